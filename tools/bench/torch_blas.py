#!/usr/bin/env python3
"""Which BLAS this PyTorch computes its matrix products with, and how fast it is on one thread.

Debian's python3-torch links the generic libblas.so.3, which is the reference (netlib) BLAS unless
an optimised one such as libopenblas0-pthread is installed and chosen by update-alternatives.
`torch.__config__.show()` says only `BLAS_INFO=generic` there, so the answer is read from the
shared libraries this process has mapped (/proc/self/maps) after a matrix product has run:
OpenBLAS (with its version and the core it picked), MKL, BLIS, or the netlib reference BLAS. The
reference BLAS is not a yardstick a PyTorch user would have (its 256x256 matmul is ~20-40x slower
than OpenBLAS's here), so `well_built` is false for it and for a BLAS that cannot be told.

Used by the side-by-side benchmarks (`blas_info()`); as a script, prints one JSON line (`--line`:
the one-line description instead).
Run it with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (the benchmarks do), as a user would.
"""
import ctypes
import json
import os
import sys
import time

os.environ.pop("OPENBLAS_CORETYPE", None)
os.environ.pop("OPENBLAS_L2_SIZE", None)
os.environ["OPENBLAS_NUM_THREADS"] = "1"  # one thread, as torch.set_num_threads(1) does not bound the pthread OpenBLAS
import torch  # noqa: E402  (after the environment is set for OpenBLAS)

WELL_BUILT = ("openblas", "mkl", "blis")


def mapped_blas_libraries():
    """Paths of the BLAS/LAPACK libraries mapped into this process (resolved, sorted)."""
    found = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            parts = line.split()
            if len(parts) < 6:
                continue
            name = os.path.basename(parts[5]).lower()
            if any(k in name for k in ("blas", "lapack", "mkl", "blis")):
                found.add(parts[5])
    return sorted(found)


def classify(paths):
    """'openblas', 'mkl', 'blis', 'netlib' (the reference libblas) or 'unknown'."""
    low = [p.lower() for p in paths]
    for kind in WELL_BUILT:
        if any(kind in p for p in low):
            return kind
    if any(os.path.basename(p).startswith("libblas.so") for p in low):
        return "netlib"  # libblas.so.3 outside an optimised BLAS's folder: Debian's reference BLAS
    return "unknown"


def openblas_config(paths):
    """OpenBLAS's own description (version, build, the core it runs on), or None."""
    for p in paths:
        if "openblas" not in os.path.basename(p).lower():
            continue
        try:
            lib = ctypes.CDLL(p)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return f"{lib.openblas_get_config().decode().strip()}, core {lib.openblas_get_corename().decode()}"
        except (OSError, AttributeError):
            continue
    return None


def matmul_gflops(n=256, reps=50):
    """GFLOP/s of an n x n by n x n float32 matmul on the current torch threads (CPU time)."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(5):
        torch.mm(a, b)
    c0 = time.process_time()
    for _ in range(reps):
        torch.mm(a, b)
    return round(2 * n**3 * reps / max(time.process_time() - c0, 1e-9) / 1e9, 2)


def blas_info():
    """{kind, well_built, libraries, config, matmul256_gflops, threads} for this process's torch."""
    torch.mm(torch.ones(8, 8), torch.ones(8, 8))  # a product loads the BLAS
    paths = mapped_blas_libraries()
    kind = classify(paths)
    return {
        "kind": kind,
        "well_built": kind in WELL_BUILT,
        "libraries": paths,
        "config": openblas_config(paths) if kind == "openblas" else None,
        "matmul256_gflops": matmul_gflops(),
        "threads": torch.get_num_threads(),
    }


def describe(info):
    """One line for the benchmarks' output."""
    what = info["config"] or info["kind"]
    where = ", ".join(info["libraries"]) or "no BLAS library mapped"
    verdict = "a well-built yardstick" if info["well_built"] else (
        "NOT a well-built yardstick (the netlib reference BLAS or one that cannot be told): "
        "install libopenblas0-pthread (apt-get install libopenblas0-pthread)")
    return f"torch BLAS: {what} ({where}); 256x256 matmul {info['matmul256_gflops']} GFLOP/s on {info['threads']} thread(s): {verdict}"


if __name__ == "__main__":
    torch.set_num_threads(1)
    info = blas_info()
    print(describe(info) if sys.argv[1:] == ["--line"] else json.dumps(info))
