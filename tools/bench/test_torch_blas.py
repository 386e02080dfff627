"""Checks of tools/bench/torch_blas.py: telling BLAS libraries apart by their mapped paths.

    /usr/bin/python3 -B tools/bench/test_torch_blas.py
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_blas  # noqa: E402


class ClassifyTest(unittest.TestCase):
    def test_debian_openblas_through_the_libblas_alternative(self):
        paths = ["/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so"]
        self.assertEqual(torch_blas.classify(paths), "openblas")

    def test_the_reference_blas_is_netlib_and_not_well_built(self):
        kind = torch_blas.classify(["/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0", "/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3"])
        self.assertEqual(kind, "netlib")
        self.assertNotIn(kind, torch_blas.WELL_BUILT)

    def test_mkl_blis_and_nothing(self):
        self.assertEqual(torch_blas.classify(["/opt/intel/oneapi/mkl/lib/libmkl_rt.so.2"]), "mkl")
        self.assertEqual(torch_blas.classify(["/usr/lib/x86_64-linux-gnu/blis-openmp/libblas.so.3"]), "blis")
        self.assertEqual(torch_blas.classify([]), "unknown")

    def test_this_process(self):
        info = torch_blas.blas_info()
        self.assertEqual(info["well_built"], info["kind"] in torch_blas.WELL_BUILT)
        self.assertGreater(info["matmul256_gflops"], 0)
        self.assertIn(info["kind"], torch_blas.describe(info))


if __name__ == "__main__":
    unittest.main()
