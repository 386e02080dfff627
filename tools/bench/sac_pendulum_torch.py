"""The PyTorch side of tools/bench-sac-pendulum.sh: SLM Lab 5.3's SoftActorCritic (sac.py) for a
Box action space, the settings of an SLM Lab spec (sac_pendulum: MLPNet 256-256 relu, Adam 3e-4,
batch 256, training_iter 4 per vector step of 4 envs, polyak 0.005, auto-tuned alpha with target
entropy -|A|, log_alpha clamped to [-5, 2]) on one CPU thread.

Per update, as sac.py's train(): sample a batch; the critic target with no gradient
(a' ~ pi(s'), min of the target critics minus alpha log pi); an MSE step of each critic with its
own Adam; the reparameterised policy loss mean(alpha log pi - min(Q1, Q2)) through the updated
critics and an Adam step of the policy; the alpha loss -mean(exp(log_alpha) (log pi + H)) and its
Adam step, the clamp; polyak averaging of both targets. The policy is a tanh-squashed Gaussian
(log-std clamped to [-20, 2]) rescaled to the env's bounds.

Two figures, one JSON line: ms per update (CPU and wall) over --updates updates on a replay of
synthetic transitions, and frames/s of --frames frames of training on Gymnasium's Pendulum-v1
(4 envs; random actions before training_start_step, as SLM Lab acts).
"""
import argparse
import json
import os
import time

os.environ.pop("OPENBLAS_CORETYPE", None)
os.environ.pop("OPENBLAS_L2_SIZE", None)
os.environ["OPENBLAS_NUM_THREADS"] = "1"  # one thread, as torch.set_num_threads(1) does not bound the pthread OpenBLAS
import numpy as np  # noqa: E402
import torch  # noqa: E402  (after the environment is set for OpenBLAS)
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(1)
torch.set_num_interop_threads(1)

ap = argparse.ArgumentParser()
ap.add_argument("--spec-file", required=True)
ap.add_argument("--spec-name", default="sac_pendulum")
ap.add_argument("--updates", type=int, default=200)
ap.add_argument("--frames", type=int, default=1000)
ap.add_argument("--seed", type=int, default=0)
args = ap.parse_args()
spec = json.load(open(args.spec_file))[args.spec_name]
alg, mem, net_spec = spec["agent"]["algorithm"], spec["agent"]["memory"], spec["agent"]["net"]
torch.manual_seed(args.seed)
rng = np.random.default_rng(args.seed)
OBS, ACT = 3, 1  # Pendulum-v1
B = mem["batch_size"]
GAMMA, POLYAK = alg["gamma"], net_spec["polyak_coef"]
ITERS = alg["training_iter"]
START = alg["training_start_step"]
N_ENVS = spec["env"]["num_envs"]
LR = net_spec["optim_spec"]["lr"]
ACTS = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh}


def mlp(inp, out):
    layers, w = [], inp
    for h in net_spec["hid_layers"]:
        layers += [torch.nn.Linear(w, h), ACTS[net_spec["hid_layers_activation"]]()]
        w = h
    layers.append(torch.nn.Linear(w, out))
    seq = torch.nn.Sequential(*layers)
    for m in seq:
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(m.weight)
    return seq


actor = mlp(OBS, 2 * ACT)
q1, q2 = mlp(OBS + ACT, 1), mlp(OBS + ACT, 1)
t1, t2 = mlp(OBS + ACT, 1), mlp(OBS + ACT, 1)
t1.load_state_dict(q1.state_dict())
t2.load_state_dict(q2.state_dict())
opt_pi = torch.optim.Adam(actor.parameters(), lr=LR)
opt_q1 = torch.optim.Adam(q1.parameters(), lr=LR)
opt_q2 = torch.optim.Adam(q2.parameters(), lr=LR)
log_alpha = torch.zeros(1, requires_grad=True)
opt_alpha = torch.optim.Adam([log_alpha], lr=LR)
alpha = log_alpha.detach().exp()
target_entropy = -float(ACT)


def rsample(states):
    out = actor(states)
    mean, log_std = out[:, :ACT], out[:, ACT:].clamp(-20, 2)
    pd = torch.distributions.Normal(mean, log_std.exp())
    u = pd.rsample()
    log_prob = pd.log_prob(u).sum(-1) - (2 * (np.log(2) - u - F.softplus(-2 * u))).sum(-1)
    return torch.tanh(u), log_prob


def update(batch):
    global alpha
    s, a, r, s2, done = batch
    with torch.no_grad():
        a2, lp2 = rsample(s2)
        sa2 = torch.cat([s2, a2], -1)
        v_next = torch.min(t1(sa2), t2(sa2)).squeeze(-1) - alpha * lp2
        y = r + GAMMA * (1 - done) * v_next
    sa = torch.cat([s, a], -1)
    for q, opt in ((q1, opt_q1), (q2, opt_q2)):
        loss = F.mse_loss(q(sa).squeeze(-1), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    act, lp = rsample(s)
    sa_pi = torch.cat([s, act], -1)
    policy_loss = (alpha * lp - torch.min(q1(sa_pi), q2(sa_pi)).squeeze(-1)).mean()
    opt_pi.zero_grad()
    policy_loss.backward()
    opt_pi.step()
    alpha_loss = -(log_alpha.exp() * (lp.detach() + target_entropy)).mean()
    opt_alpha.zero_grad()
    alpha_loss.backward()
    opt_alpha.step()
    with torch.no_grad():
        log_alpha.clamp_(alg.get("log_alpha_min", -5.0), alg.get("log_alpha_max", 2.0))
    alpha = log_alpha.detach().exp()
    with torch.no_grad():
        for q, t in ((q1, t1), (q2, t2)):
            for p, tp in zip(q.parameters(), t.parameters()):
                tp.mul_(1 - POLYAK).add_(p, alpha=POLYAK)


class Replay:
    def __init__(self, size):
        self.s = np.zeros((size, OBS), np.float32)
        self.a = np.zeros((size, ACT), np.float32)
        self.r = np.zeros(size, np.float32)
        self.s2 = np.zeros((size, OBS), np.float32)
        self.d = np.zeros(size, np.float32)
        self.size, self.head, self.max = 0, 0, size

    def add(self, s, a, r, s2, d):
        i = self.head
        self.s[i], self.a[i], self.r[i], self.s2[i], self.d[i] = s, a, r, s2, d
        self.head = (i + 1) % self.max
        self.size = min(self.size + 1, self.max)

    def sample(self):
        idx = rng.integers(0, self.size, B)
        return tuple(torch.from_numpy(x[idx]) for x in (self.s, self.a, self.r, self.s2, self.d))


# ---- ms per update on synthetic transitions
replay = Replay(mem["max_size"])
for _ in range(max(START, B) * 4):
    replay.add(rng.uniform(-1, 1, OBS), rng.uniform(-1, 1, ACT), -8 * rng.random(), rng.uniform(-1, 1, OBS), 0.0)
for _ in range(5):
    update(replay.sample())
c0, w0 = time.process_time(), time.perf_counter()
for _ in range(args.updates):
    update(replay.sample())
ms_cpu = (time.process_time() - c0) / args.updates * 1e3
ms_wall = (time.perf_counter() - w0) / args.updates * 1e3

# ---- frames/s of training on Pendulum-v1
fps = None
if args.frames > 0:
    import gymnasium as gym

    envs = gym.vector.SyncVectorEnv([lambda: gym.make("Pendulum-v1") for _ in range(N_ENVS)])
    replay = Replay(mem["max_size"])
    obs, _ = envs.reset(seed=args.seed)
    frame = 0
    w0 = time.perf_counter()
    while frame < args.frames:
        if frame < START:
            unit = rng.uniform(-1, 1, (N_ENVS, ACT)).astype(np.float32)
        else:
            with torch.no_grad():
                unit = rsample(torch.from_numpy(obs.astype(np.float32)))[0].numpy()
        obs2, rew, term, trunc, _ = envs.step(2.0 * unit)
        for k in range(N_ENVS):
            replay.add(obs[k], unit[k], rew[k], obs2[k], float(term[k]))
        obs = obs2
        frame += N_ENVS
        if frame > START:
            for _ in range(ITERS):
                update(replay.sample())
    fps = frame / (time.perf_counter() - w0)

blas = "openblas" if "openblas" in os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3") else os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
print(json.dumps({
    "side": "torch", "torch": torch.__version__, "blas": blas, "threads": torch.get_num_threads(),
    "updates": args.updates, "update_ms_cpu": round(ms_cpu, 2), "update_ms_wall": round(ms_wall, 2),
    "frames": args.frames, "fps": None if fps is None else round(fps, 1),
}))
