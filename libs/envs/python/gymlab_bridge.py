#!/usr/bin/env python3
"""gymlab's Gymnasium bridge: runs N copies of one Gymnasium env for a gymlab (Node.js) parent.

The parent speaks to this process through two named pipes given as arguments (requests, replies)
with length-prefixed binary messages; the protocol is documented in
libs/envs/src/gymnasium/PROTOCOL.md. Anything the env prints goes to stderr. The process ignores
SIGINT (the parent decides when to stop), and exits when the parent closes the request pipe, sends
CLOSE, or dies (Linux parent-death signal).
Needs Python 3.8+, NumPy and Gymnasium; ALE ids also need ale-py (and the user's ROMs).
"""
import json
import os
import signal
import struct
import sys

MAKE, RESET, STEP, CLOSE, LIST = 0x01, 0x02, 0x03, 0x04, 0x05
SPACES, OBS, STEPPED, LISTED, ERROR = 0x81, 0x82, 0x83, 0x84, 0xFF

# dtype codes of array blocks (PROTOCOL.md)
DTYPE_CODES = {
    "float32": 1, "float64": 2, "uint8": 3, "int8": 4, "int16": 5,
    "int32": 6, "int64": 7, "bool": 8, "uint16": 9, "uint32": 10,
}


class BridgeFault(Exception):
    """A fault to report to the parent as an ERROR message (kind, one-line message)."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.message = message


def die_with_parent():
    """Linux: receive SIGTERM when the parent process dies (no orphans even on SIGKILL)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:
            sys.exit(0)
    except Exception:  # not Linux: stdin EOF still ends the process
        pass


class Channel:
    def __init__(self, inp, out):
        self.inp = inp
        self.out = out

    def read_exactly(self, n):
        chunks = []
        while n > 0:
            b = self.inp.read(n)
            if not b:
                return None
            chunks.append(b)
            n -= len(b)
        return b"".join(chunks)

    def receive(self):
        head = self.read_exactly(4)
        if head is None:
            return None
        (length,) = struct.unpack("<I", head)
        body = self.read_exactly(length)
        if body is None or length < 1:
            return None
        return body[0], body[1:]

    def send(self, kind, *parts):
        payload = b"".join(parts)
        self.out.write(struct.pack("<IB", len(payload) + 1, kind))
        self.out.write(payload)
        self.out.flush()

    def send_json(self, kind, obj):
        self.send(kind, json.dumps(obj).encode("utf-8"))


def array_block(np, a):
    a = np.ascontiguousarray(a)
    name = "bool" if a.dtype == np.bool_ else a.dtype.name
    if name not in DTYPE_CODES:
        a = a.astype(np.float64)
        name = "float64"
    if a.dtype.byteorder == ">":
        a = a.byteswap().view(a.dtype.newbyteorder("<"))
    return struct.pack("<BB", DTYPE_CODES[name], a.ndim) + struct.pack("<%dI" % a.ndim, *a.shape) + a.tobytes()


def json_float(x):
    """A bound for JSON: finite numbers as they are, infinities as the strings "inf" / "-inf"."""
    x = float(x)
    return x if x == x and abs(x) != float("inf") else ("inf" if x > 0 else "-inf" if x < 0 else "nan")


def describe_space(np, space, role):
    from gymnasium import spaces

    if isinstance(space, spaces.Box):
        return {
            "type": "Box",
            "shape": list(space.shape),
            "dtype": space.dtype.name,
            "low": [json_float(x) for x in np.asarray(space.low, dtype=np.float64).ravel()],
            "high": [json_float(x) for x in np.asarray(space.high, dtype=np.float64).ravel()],
        }
    if isinstance(space, spaces.Discrete):
        return {"type": "Discrete", "n": int(space.n), "start": int(space.start)}
    if isinstance(space, spaces.MultiDiscrete):
        return {"type": "MultiDiscrete", "nvec": [int(x) for x in space.nvec.ravel()], "shape": list(space.shape)}
    if isinstance(space, spaces.MultiBinary):
        return {"type": "MultiBinary", "shape": list(space.shape)}
    raise BridgeFault("space", "%s space %s is not one gymlab maps (Box, Discrete, MultiDiscrete, MultiBinary)" % (role, type(space).__name__))


class PixelPipeline:
    """SLM Lab's Atari preprocessing (its single-env path: AtariPreprocessing(frame_skip=1,
    scale_obs=False) then FrameStackObservation(4, zero padding), rewards clipped to [-1, 1]) in
    NumPy, for any env emitting HxWx3 uint8 frames: no-op starts, grayscale, area resize to
    screen x screen, a stack of the last frames (oldest first). Frame skip is the env's own (ALE v5: 4)."""

    def __init__(self, np, env, opts):
        self.np = np
        self.env = env
        self.noop_max = int(opts.get("noop_max", 30))
        self.screen = int(opts.get("screen_size", 84))
        self.stack = int(opts.get("frame_stack", 4))
        self.clip = bool(opts.get("clip_reward", True))
        self.episodic_life = bool(opts.get("episodic_life", False))
        self.lives = 0
        h, w = env.observation_space.shape[:2]
        self.rows = self.area_weights(h, self.screen)
        self.cols = self.area_weights(w, self.screen)
        self.frames = np.zeros((self.stack, self.screen, self.screen), dtype=np.uint8)
        from gymnasium import spaces

        self.observation_space = spaces.Box(0, 255, (self.stack, self.screen, self.screen), np.uint8)
        self.action_space = env.action_space
        self.spec = env.spec

    def area_weights(self, n_in, n_out):
        """Row i averages input cells [i*n_in/n_out, (i+1)*n_in/n_out) by their covered fraction."""
        np = self.np
        wts = np.zeros((n_out, n_in))
        scale = n_in / n_out
        for i in range(n_out):
            lo, hi = i * scale, (i + 1) * scale
            for j in range(int(np.floor(lo)), min(n_in, int(np.ceil(hi)))):
                wts[i, j] = (min(hi, j + 1) - max(lo, j)) / scale
        return wts

    def process(self, frame):
        np = self.np
        unwrapped = self.env.unwrapped
        if hasattr(unwrapped, "ale"):
            gray = np.empty(frame.shape[:2], dtype=np.uint8)
            unwrapped.ale.getScreenGrayscale(gray)
            gray = gray.astype(np.float64)
        else:
            f = np.asarray(frame, dtype=np.float64)
            gray = f[..., 0] * 0.299 + f[..., 1] * 0.587 + f[..., 2] * 0.114
        small = self.rows @ gray @ self.cols.T
        return np.clip(np.rint(small), 0, 255).astype(np.uint8)

    def push(self, frame):
        self.frames[:-1] = self.frames[1:]
        self.frames[-1] = self.process(frame)
        return self.frames.copy()

    def reset(self, seed=None):
        obs, info = self.env.reset(seed=seed)
        noops = int(self.env.unwrapped.np_random.integers(1, self.noop_max + 1)) if self.noop_max > 0 else 0
        lives = int(info.get("lives", 0))
        for _ in range(noops):
            obs, _, terminated, truncated, step_info = self.env.step(0)
            lives = int(step_info.get("lives", lives))
            if terminated or truncated:
                obs, info = self.env.reset(seed=seed)
                lives = int(info.get("lives", 0))
        self.frames[:] = 0
        self.lives = lives
        return self.push(obs), info

    def step(self, action):
        obs, reward, terminated, truncated, info = self.env.step(action)
        if self.clip:
            reward = float(self.np.clip(reward, -1.0, 1.0))
        lives = int(info.get("lives", 0))
        if self.episodic_life and lives < self.lives and not (terminated or truncated):
            # AtariVectorEnv's life_loss_info: a lost life ends the learner's episode, not the game
            terminated = True
            info = dict(info, life_lost=True)
        self.lives = lives
        return self.push(obs), reward, terminated, truncated, info

    def close(self):
        self.env.close()


def make_envs(req):
    try:
        import numpy as np
    except ImportError as e:
        raise BridgeFault("no-gymnasium", "%s cannot import numpy (%s)" % (sys.executable, e))
    try:
        import gymnasium as gym
    except ImportError as e:
        raise BridgeFault("no-gymnasium", "%s cannot import gymnasium (%s)" % (sys.executable, e))
    env_id = req["id"]
    kwargs = dict(req.get("kwargs") or {})
    pixels = req.get("pixels")
    if env_id.startswith("ALE/"):
        try:
            import ale_py

            gym.register_envs(ale_py)
        except ImportError:
            raise BridgeFault("no-ale", "%s needs ale-py, which %s cannot import (install ale-py and your Atari ROMs)" % (env_id, sys.executable))
    if pixels is not None:
        # AtariVectorEnv's own options, done here by the pipeline (reward clipping always, as SLM Lab)
        pixels = dict(pixels, episodic_life=bool(kwargs.pop("life_loss_info", False)))
        kwargs.pop("reward_clipping", None)
    if req.get("max_episode_steps") is not None:
        kwargs["max_episode_steps"] = int(req["max_episode_steps"])
    envs = []
    try:
        for _ in range(int(req["num_envs"])):
            env = gym.make(env_id, **kwargs)
            envs.append(PixelPipeline(np, env, pixels) if pixels is not None else env)
    except (gym.error.NameNotFound, gym.error.VersionNotFound, gym.error.NamespaceNotFound, gym.error.UnregisteredEnv) as e:
        raise BridgeFault("unknown-id", "Gymnasium has no env %s (%s)" % (env_id, str(e).splitlines()[0]))
    except gym.error.DependencyNotInstalled as e:
        raise BridgeFault("dependency", "%s: %s" % (env_id, str(e).splitlines()[0]))
    except ModuleNotFoundError as e:
        raise BridgeFault("dependency", "%s: %s" % (env_id, e))
    except TypeError as e:
        raise BridgeFault("kwargs", "%s: %s" % (env_id, e))
    first = envs[0]
    spec = first.spec
    return np, gym, envs, {
        "observation_space": describe_space(np, first.observation_space, "observation"),
        "action_space": describe_space(np, first.action_space, "action"),
        "max_episode_steps": None if spec is None else spec.max_episode_steps,
        "reward_threshold": None if spec is None else spec.reward_threshold,
        "gymnasium_version": gym.__version__,
        "python": sys.version.split()[0],
    }


def list_envs():
    """Every registered Gymnasium id with its spaces, or why it cannot be made here."""
    try:
        import numpy as np
        import gymnasium as gym
    except ImportError as e:
        raise BridgeFault("no-gymnasium", "%s cannot import gymnasium (%s)" % (sys.executable, e))
    try:
        import ale_py

        gym.register_envs(ale_py)
    except ImportError:
        pass
    out = []
    for env_id in sorted(gym.registry):
        entry = {"id": env_id}
        try:
            env = gym.make(env_id)
            try:
                entry["observation_space"] = describe_space(np, env.observation_space, "observation")
                entry["action_space"] = describe_space(np, env.action_space, "action")
            finally:
                env.close()
        except BridgeFault as f:
            entry["unavailable"] = f.message
        except Exception as e:
            entry["unavailable"] = "%s: %s" % (type(e).__name__, (str(e).splitlines() or [""])[0])
        out.append(entry)
    return out


def serve(ch):
    first = ch.receive()
    if first is None:
        return
    kind, body = first
    if kind == LIST:
        ch.send_json(LISTED, list_envs())
        return
    if kind != MAKE:
        raise BridgeFault("protocol", "first message must be MAKE, got 0x%02x" % kind)
    np, gym, envs, facts = make_envs(json.loads(body.decode("utf-8")))
    ch.send_json(SPACES, facts)
    n = len(envs)
    act = facts["action_space"]
    act_shape = tuple(act["shape"]) if act["type"] != "Discrete" else ()
    act_dtype = np.float64 if act["type"] == "Box" else np.int64  # PROTOCOL.md: Box actions travel as float64
    obs_space = envs[0].observation_space
    obs_buf = np.zeros((n,) + obs_space.shape, dtype=obs_space.dtype)
    try:
        while True:
            msg = ch.receive()
            if msg is None or msg[0] == CLOSE:
                return
            kind, body = msg
            if kind == RESET:
                seeded, seed = struct.unpack("<Bq", body[:9])
                for i, env in enumerate(envs):
                    obs_buf[i] = env.reset(seed=seed + i if seeded else None)[0]
                ch.send(OBS, array_block(np, obs_buf))
            elif kind == STEP:
                actions = np.frombuffer(body, dtype=act_dtype).reshape((n,) + act_shape)
                rewards = np.zeros(n, dtype=np.float64)
                flags = np.zeros(2 * n, dtype=np.uint8)
                next_obs = np.zeros_like(obs_buf)
                for i, env in enumerate(envs):
                    a = actions[i]
                    obs, reward, terminated, truncated, info = env.step(int(a) if act["type"] == "Discrete" else a)
                    next_obs[i] = obs
                    rewards[i] = float(reward)
                    flags[i], flags[n + i] = bool(terminated), bool(truncated)
                    ended = (terminated or truncated) and not info.get("life_lost", False)
                    obs_buf[i] = env.reset()[0] if ended else obs
                ch.send(STEPPED, rewards.astype("<f8").tobytes(), flags.tobytes(), array_block(np, next_obs), array_block(np, obs_buf))
            else:
                raise BridgeFault("protocol", "unknown message type 0x%02x" % kind)
    finally:
        for env in envs:
            env.close()


def main():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    if len(sys.argv) != 3:
        sys.stderr.write("usage: gymlab_bridge.py REQUEST_PIPE REPLY_PIPE (started by gymlab)\n")
        sys.exit(2)
    inp = open(sys.argv[1], "rb")
    out = open(sys.argv[2], "wb")
    os.dup2(2, 1)  # stray prints of the env go to stderr
    sys.stdout = sys.stderr
    ch = Channel(inp, out)
    try:
        serve(ch)
    except BridgeFault as f:
        ch.send_json(ERROR, {"kind": f.kind, "message": f.message})
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    except Exception as e:  # the env raised: report its one line, keep the traceback on stderr
        import traceback

        traceback.print_exc()
        try:
            ch.send_json(ERROR, {"kind": "exception", "message": "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")})
        except BrokenPipeError:
            pass


if __name__ == "__main__":
    main()
