"""Prints the numpy reference values that libs/random's tests hold as literals.

Run with Debian's python3-numpy (2.x): python3 tools/numpy-random-reference.py
Every value is printed with repr, so floats are exact.
"""
import numpy as np


def rng(seed):
    return np.random.default_rng(seed)


print("numpy", np.__version__)
for seed in [0, 12345, 2**63]:
    print(f"random {seed}:", [repr(float(x)) for x in rng(seed).random(20)])
for seed in [0, 1, 12345, 2**32, 2**63, 2**64 + 5, [1, 2, 3, 4, 5]]:
    words = np.random.SeedSequence(seed).generate_state(4, np.uint64)
    print(f"generate_state {seed}:", [hex(int(w)) for w in words])
    print(f"generate_state32 {seed}:", [hex(int(w)) for w in np.random.SeedSequence(seed).generate_state(3)])
print("spawn 7 -> child 1 generate_state:", [hex(int(w)) for w in np.random.SeedSequence(7).spawn(2)[1].generate_state(4, np.uint64)])
for seed in [0, 2**63]:
    st = np.random.PCG64(seed).state["state"]
    print(f"pcg64 state {seed}:", hex(st["state"]), hex(st["inc"]))
    print(f"raw {seed}:", [hex(int(x)) for x in np.random.PCG64(seed).random_raw(3)])
g = rng(42)
print("uniform 42 (-0.05, 0.05):", [repr(float(g.uniform(-0.05, 0.05))) for _ in range(4)])
print("uniform 42 then (-pi, pi):", repr(float(g.uniform(-np.pi, np.pi))))
g = rng(3)
print("integers 3 (n=10) x12:", [int(g.integers(10)) for _ in range(12)])
print("integers 3 then (n=2**32) x2:", [int(g.integers(2**32)) for _ in range(2)])
print("integers 3 then (n=2**40+3) x3:", [int(g.integers(2**40 + 3)) for _ in range(3)])
print("integers 3 then (low=-5, high=5) x4:", [int(g.integers(-5, 5)) for _ in range(4)])
print("integers 3 then random:", repr(float(g.random())))
g = rng(8)
print("uint32 8 x5:", [int(g.integers(0, 2**32, dtype=np.uint32)) for _ in range(5)])
g = rng(5)
a = list(range(10))
g.shuffle(a)
print("shuffle 5 arange(10):", a)
b = list(range(7))
g.shuffle(b)
print("shuffle 5 then arange(7):", b)
print("shuffle 5 then random:", repr(float(g.random())))
for seed in [0, 12345, 2**63]:
    print(f"standard_normal {seed}:", [repr(float(x)) for x in rng(seed).standard_normal(20)])
g = rng(7)
print("normal 7 (1.5, 0.1) x3:", [repr(float(g.normal(1.5, 0.1))) for _ in range(3)], "then random:", repr(float(g.random())))
x = rng(3).standard_normal(200000).tolist()
s = 0.0
for v in x:
    s += v
r = 3.6541528853610087963519472518
print("standard_normal 3 x200000: left-to-right sum", repr(s), "beyond r", sum(1 for v in x if abs(v) > r), "largest |x|", repr(max(x, key=abs)))
