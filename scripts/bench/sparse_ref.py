"""scipy reference for bench/sparse.mjs: k smallest eigenpairs of L_sym = I - D^-1/2 A D^-1/2.

usage: sparse_ref.py <edges.bin> <n> <k> <method>
  edges.bin: little-endian int32 pairs (u, v), one per undirected edge (graphpe edgeListInt32)
  method:    SA     eigsh(L, k, which='SA')                     (what PyG's AddLaplacianEigenvectorPE runs)
             SI     eigsh(L, k, sigma=-1e-3, which='LM')        (shift-invert, sparse LU)
Prints one JSON line: seconds (eigsh call only), Laplacian build seconds, eigenvalues, per-pair
residuals ||L v - lambda v||, and the peak RSS of this process (MiB). Default eigsh tol (0 = machine precision).
"""
import json
import resource
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh


def laplacian_sym(n, e):
    A = sp.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
    A = (A + A.T).tocsr()
    A.setdiag(0)
    A.eliminate_zeros()
    A.data[:] = 1.0  # unit weights, duplicates merged as one edge
    d = np.asarray(A.sum(axis=1)).ravel()
    s = np.zeros(n)
    s[d > 0] = d[d > 0] ** -0.5
    S = sp.diags(s)
    return (sp.identity(n, format="csr") - S @ A @ S).tocsr()


def main():
    path, n, k, method = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    e = np.fromfile(path, dtype=np.int32).reshape(-1, 2)
    t = time.perf_counter()
    L = laplacian_sym(n, e)
    build = time.perf_counter() - t
    rng = np.random.default_rng(0)
    v0 = rng.standard_normal(n)
    t = time.perf_counter()
    if method == "SA":
        vals, vecs = eigsh(L, k=k, which="SA", v0=v0)
    elif method == "SI":
        vals, vecs = eigsh(L, k=k, sigma=-1e-3, which="LM", v0=v0)
    else:
        raise SystemExit(f"unknown method {method}")
    seconds = time.perf_counter() - t
    order = np.argsort(vals)
    vals, vecs = vals[order], vecs[:, order]
    vecs = vecs / np.linalg.norm(vecs, axis=0)
    res = np.linalg.norm(L @ vecs - vecs * vals, axis=0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "method": method, "seconds": seconds, "build": build, "values": vals.tolist(),
        "residuals": res.tolist(), "peakMiB": peak, "scipy": scipy.__version__,
    }))


if __name__ == "__main__":
    main()
