"""numpy counterpart of dense-micro.mjs: times np.linalg.eigh on the same dense Laplacians.

Reads a file of float64 little-endian: [count, n_0, L_0 (n_0^2 row-major), n_1, L_1, ...]
(a group name per file is given on the command line), prints one JSON line per group with
seconds per matrix (median of repeats). Run with OPENBLAS_NUM_THREADS=1 for the 1-thread anchor.
"""
import json
import sys
import time

import numpy as np


def load(path):
    raw = np.fromfile(path, dtype="<f8")
    count = int(raw[0])
    mats, p = [], 1
    for _ in range(count):
        n = int(raw[p])
        p += 1
        mats.append(raw[p : p + n * n].reshape(n, n).copy())
        p += n * n
    return mats


def main():
    repeats = int(sys.argv[1])
    for arg in sys.argv[2:]:
        name, path = arg.split("=", 1)
        mats = load(path)
        for m in mats[: min(len(mats), 50)]:
            np.linalg.eigh(m)  # warm-up
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            for m in mats:
                np.linalg.eigh(m)
            times.append((time.perf_counter() - t) / len(mats))
        times.sort()
        print(json.dumps({"group": name, "count": len(mats), "s_per_matrix": times[len(times) // 2]}), flush=True)


if __name__ == "__main__":
    main()
