"""numpy reference for bench:spectral: dense sym-Laplacian eigh per graph, as PyG does.

usage: spectral_ref.py batch <edges.bin> <repeats>   (many small graphs, the layout of lib/zinc.mjs)
       spectral_ref.py single <edges.bin> <repeats>  (the first graph only; median time)
Prints JSON timings (seconds). Run with OPENBLAS_NUM_THREADS=1 for the single-thread anchor.
"""
import json
import sys
import time

import numpy as np


def read_graphs(path):
    a = np.fromfile(path, dtype=np.int32)
    count = int(a[0])
    ns = a[1 : 1 + count]
    ms = a[1 + count : 1 + 2 * count]
    edges = a[1 + 2 * count :].reshape(-1, 2)
    out, p = [], 0
    for n, m in zip(ns, ms):
        out.append((int(n), edges[p : p + m]))
        p += m
    return out


def laplacian_sym(n, e):
    A = np.zeros((n, n))
    np.add.at(A, (e[:, 0], e[:, 1]), 1.0)
    np.add.at(A, (e[:, 1], e[:, 0]), 1.0)
    np.fill_diagonal(A, 0.0)
    d = A.sum(1)
    s = np.zeros(n)
    s[d > 0] = d[d > 0] ** -0.5
    return np.eye(n) - s[:, None] * A * s[None, :]


def main():
    mode, path, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
    graphs = read_graphs(path)
    if mode == "single":
        graphs = graphs[:1]
    mats = [laplacian_sym(n, e) for n, e in graphs]
    eig_times, pipe_times = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        for L in mats:
            np.linalg.eigh(L)
        eig_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        for n, e in graphs:
            np.linalg.eigh(laplacian_sym(n, e))
        pipe_times.append(time.perf_counter() - t)
    res = 0.0
    for L in mats[:2000]:
        w, V = np.linalg.eigh(L)
        res = max(res, float(np.abs(L @ V - V * w).max()))
    print(json.dumps({
        "numpy": np.__version__,
        "eigh_s": sorted(eig_times)[len(eig_times) // 2],
        "pipeline_s": sorted(pipe_times)[len(pipe_times) // 2],
        "max_residual": res,
    }))


if __name__ == "__main__":
    main()
