"""numpy reference for bench:encodings: eig + LapPE(k) + RWSE(T) per graph, as PyG's transforms do it.

usage: encodings_ref.py <edges.bin> <k> <steps> <repeats> [<check.bin>]
  edges.bin: the layout of scripts/bench/lib/zinc.mjs (int32 count, n[count], m[count], (src, dst) pairs)
  check.bin: optional float64 values from graphpe for the first graphs (per graph: lap_val[k], then
             rwse[n*steps] row-major), compared with this script's to report the largest difference.

Two numpy variants, both dense and exact, both timed end to end from the edge arrays:
  loop:    one graph at a time (PyG AddLaplacianEigenvectorPE + AddRandomWalkPE with dense matrices):
           L_sym, np.linalg.eigh, first k columns zero-padded; P = D^-1 A, diag(P^t) by t matrix products.
  batched: graphs grouped by node count, eigh and matmul on (B, n, n) stacks (the fastest numpy form).
Prints JSON timings (seconds). Run with OPENBLAS_NUM_THREADS=1 for the single-thread anchor.
"""
import json
import sys
import time

import numpy as np
from spectral_ref import read_graphs  # same binary edge-list layout (scripts/bench/lib/zinc.mjs)


def adjacency(n, e):
    A = np.zeros((n, n))
    A[e[:, 0], e[:, 1]] = 1.0
    A[e[:, 1], e[:, 0]] = 1.0
    return A


def lap_rwse(n, e, k, steps):
    """LapPE (sym, trivial kept, zero padded) and RWSE of one graph."""
    A = adjacency(n, e)
    d = A.sum(1)
    s = np.zeros(n)
    s[d > 0] = d[d > 0] ** -0.5
    L = np.eye(n) - s[:, None] * A * s[None, :]
    w, V = np.linalg.eigh(L)
    kk = min(k, n)
    vec = np.zeros((n, k))
    vec[:, :kk] = V[:, :kk]
    val = np.zeros(k)
    val[:kk] = w[:kk]
    P = A / np.maximum(d, 1.0)[:, None]
    rw = np.empty((n, steps))
    M = P
    rw[:, 0] = np.diagonal(M)
    for t in range(1, steps):
        M = M @ P
        rw[:, t] = np.diagonal(M)
    return vec, val, rw


def lap_rwse_batched(graphs, k, steps):
    """The same outputs, computed on stacks of equal-size graphs (each stack's results then dropped, as the
    graphpe side drops its chunks)."""
    by_n = {}
    for i, (n, e) in enumerate(graphs):
        by_n.setdefault(n, []).append(i)
    for n, idx in by_n.items():
        B = len(idx)
        A = np.zeros((B, n, n))
        for b, i in enumerate(idx):
            e = graphs[i][1]
            A[b, e[:, 0], e[:, 1]] = 1.0
            A[b, e[:, 1], e[:, 0]] = 1.0
        d = A.sum(2)
        s = np.where(d > 0, np.maximum(d, 1e-300) ** -0.5, 0.0)
        L = np.eye(n)[None] - s[:, :, None] * A * s[:, None, :]
        w, V = np.linalg.eigh(L)
        kk = min(k, n)
        vec = np.zeros((B, n, k))
        vec[:, :, :kk] = V[:, :, :kk]
        val = np.zeros((B, k))
        val[:, :kk] = w[:, :kk]
        P = A / np.maximum(d, 1.0)[:, :, None]
        rw = np.empty((B, n, steps))
        M = P
        rw[:, :, 0] = np.diagonal(M, axis1=1, axis2=2)
        for t in range(1, steps):
            M = M @ P
            rw[:, :, t] = np.diagonal(M, axis1=1, axis2=2)
        del vec, val, rw


def main():
    path, k, steps, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    check = sys.argv[5] if len(sys.argv) > 5 else None
    graphs = read_graphs(path)
    keep = 500  # results kept for the check; the rest are dropped as computed, like graphpe's chunks
    loop_times, batch_times = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        res = []
        for i, (n, e) in enumerate(graphs):
            r = lap_rwse(n, e, k, steps)
            if i < keep:
                res.append(r)
        loop_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        lap_rwse_batched(graphs, k, steps)
        batch_times.append(time.perf_counter() - t)
    out = {
        "numpy": np.__version__,
        "graphs": len(graphs),
        "loop_s": sorted(loop_times)[len(loop_times) // 2],
        "batched_s": sorted(batch_times)[len(batch_times) // 2],
    }
    if check:
        ref = np.fromfile(check, dtype=np.float64)
        p, diff_val, diff_rw, g = 0, 0.0, 0.0, 0
        while p < len(ref) and g < len(res):
            n = graphs[g][0]
            _, val, rw = res[g]
            diff_val = max(diff_val, float(np.abs(ref[p : p + k] - val).max()))
            p += k
            diff_rw = max(diff_rw, float(np.abs(ref[p : p + n * steps] - rw.ravel()).max()))
            p += n * steps
            g += 1
        out.update({"checked_graphs": g, "max_diff_lap_val": diff_val, "max_diff_rwse": diff_rw})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
