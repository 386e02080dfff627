"""The PyTorch side of tools/bench-fast-mlp.mjs: the same three measurements on one CPU thread.

One Adam step of an MLP 4-64-64-2 tanh on a batch of 128 (forward, MSE loss, backward, step),
one action on one observation (forward and argmax, no gradient), and a 256x256 by 256x256
matmul. Prints one JSON line: microseconds per step/action/matmul (CPU time of this process and
wall time), GFLOP/s of the matmul, and the BLAS torch runs on.
"""
import json
import sys
import time

from torch_blas import blas_info, describe  # first: it unsets OPENBLAS_CORETYPE/L2_SIZE before torch loads
import torch  # noqa: E402

torch.set_num_threads(1)
torch.manual_seed(0)
reps = int(sys.argv[1]) if len(sys.argv) > 1 else 2000


def timed(fn, n):
    for _ in range(max(3, n // 20)):
        fn()
    c0, t0 = time.process_time(), time.perf_counter()
    for _ in range(n):
        fn()
    return (time.process_time() - c0) / n * 1e6, (time.perf_counter() - t0) / n * 1e6


net = torch.nn.Sequential(torch.nn.Linear(4, 64), torch.nn.Tanh(), torch.nn.Linear(64, 64), torch.nn.Tanh(), torch.nn.Linear(64, 2))
opt = torch.optim.Adam(net.parameters(), lr=1e-4)
x, t = torch.randn(128, 4), torch.randn(128, 2)


def step():
    opt.zero_grad()
    loss = torch.nn.functional.mse_loss(net(x), t)
    loss.backward()
    opt.step()
    return loss.item()


obs = torch.randn(1, 4)


def act():
    with torch.no_grad():
        return int(net(obs).argmax())


a, b = torch.randn(256, 256), torch.randn(256, 256)


def mm():
    return torch.mm(a, b)


blas = blas_info()
print(describe(blas), file=sys.stderr)
s_cpu, s_wall = timed(step, reps)
a_cpu, a_wall = timed(act, reps * 5)
m_cpu, m_wall = timed(mm, max(20, reps // 20))
print(json.dumps({
    "side": "torch", "torch": torch.__version__, "blas": blas,
    "adam_step_us_cpu": round(s_cpu, 1), "adam_step_us_wall": round(s_wall, 1),
    "act_us_cpu": round(a_cpu, 1), "act_us_wall": round(a_wall, 1),
    "matmul256_gflops_cpu": round(2 * 256**3 / m_cpu / 1e3, 2), "matmul256_gflops_wall": round(2 * 256**3 / m_wall / 1e3, 2),
}))
