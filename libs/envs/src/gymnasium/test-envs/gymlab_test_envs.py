"""Small Gymnasium envs for gymlab's bridge tests: a crash, a hang, pixels, multi-spaces, a Dict.

Used as `gymlab_test_envs:<Id>` (Gymnasium imports this module, which registers them).
"""
import os
import sys
import time

import numpy as np
import gymnasium as gym
from gymnasium import spaces


class Counter(gym.Env):
    """Observation: the step count; fails (crash or hang) at step `fail_at` when asked."""

    def __init__(self, fail="none", fail_at=3):
        self.observation_space = spaces.Box(-np.inf, np.inf, (1,), np.float32)
        self.action_space = spaces.Discrete(2)
        self.fail = fail
        self.fail_at = fail_at
        self.t = 0

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.t = 0
        return np.zeros(1, np.float32), {}

    def step(self, action):
        self.t += 1
        if self.t == self.fail_at and self.fail == "crash":
            sys.stderr.write("gymlab test env: simulated crash at step %d\n" % self.t)
            sys.stderr.flush()
            os._exit(3)
        if self.t == self.fail_at and self.fail == "hang":
            time.sleep(3600)
        return np.array([self.t], np.float32), 1.0, False, self.t >= 10, {}


class Pixels(gym.Env):
    """210x160x3 uint8 frames (a moving bright square on a seeded background), rewards in {-3, 0, 2}."""

    def __init__(self):
        self.observation_space = spaces.Box(0, 255, (210, 160, 3), np.uint8)
        self.action_space = spaces.Discrete(4)
        self.t = 0

    def frame(self):
        f = self.background.copy()
        r, c = (7 * self.t) % 190, (5 * self.t) % 140
        f[r : r + 20, c : c + 20] = (250, 200, 100)
        return f

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.background = self.np_random.integers(0, 60, (210, 160, 3), dtype=np.uint8)
        self.t = 0
        return self.frame(), {"lives": 3}

    def step(self, action):
        self.t += 1
        reward = (-3.0, 0.0, 2.0, 0.0)[int(action)]
        # a life lost every 15 steps (as ALE's info["lives"]); the game ends at step 40
        return self.frame(), reward, self.t >= 40, False, {"lives": 3 - self.t // 15}


class Multi(gym.Env):
    def __init__(self, kind="multidiscrete"):
        self.observation_space = spaces.Box(0, 1, (2,), np.float32)
        self.action_space = spaces.MultiDiscrete([3, 2]) if kind == "multidiscrete" else spaces.MultiBinary(4)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        return np.zeros(2, np.float32), {}

    def step(self, action):
        return np.zeros(2, np.float32), float(np.sum(action)), False, False, {}


class DictObs(gym.Env):
    def __init__(self):
        self.observation_space = spaces.Dict({"a": spaces.Discrete(2)})
        self.action_space = spaces.Discrete(2)


gym.register("GymlabCounter-v0", entry_point=Counter)
gym.register("GymlabCrash-v0", entry_point=Counter, kwargs={"fail": "crash"})
gym.register("GymlabHang-v0", entry_point=Counter, kwargs={"fail": "hang"})
gym.register("GymlabPixels-v0", entry_point=Pixels)
# an ALE-namespaced id: gymlab gives it SLM Lab's Atari pipeline, as a real ALE/*-v5 id (no ale-py needed)
gym.register("ALE/GymlabPixels-v5", entry_point=Pixels)
gym.register("GymlabMultiDiscrete-v0", entry_point=Multi, kwargs={"kind": "multidiscrete"})
gym.register("GymlabMultiBinary-v0", entry_point=Multi, kwargs={"kind": "multibinary"})
gym.register("GymlabDict-v0", entry_point=DictObs)
