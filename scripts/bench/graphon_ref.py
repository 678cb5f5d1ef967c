"""scipy/numpy reference for bench/graphon.mjs part 1: GE selection = K+1 smallest eigenpairs of
L_sym = I - D^-1/2 A D^-1/2 (eigsh which='SA', ARPACK Lanczos; shift-invert is hopeless on SBM
expanders, whose sparse LU fills in) followed by pivoted Gaussian elimination on U_K^T (numpy,
vectorized, the same algorithm as geSelect).

usage: graphon_ref.py <edges.bin> <n> <K>
  edges.bin: little-endian int32 pairs (u, v), one per undirected edge (graphpe edgeListInt32)
Prints one JSON line: eigsh seconds, elimination seconds, Laplacian build seconds, eigenvalues,
max residual, the selected nodes and cond(U_K[S,:]), peak RSS (MiB). Default eigsh tol (machine precision).
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
    A.data[:] = 1.0
    d = np.asarray(A.sum(axis=1)).ravel()
    s = np.zeros(n)
    s[d > 0] = d[d > 0] ** -0.5
    S = sp.diags(s)
    return (sp.identity(n, format="csr") - S @ A @ S).tocsr()


def ge_select(U):
    n, K = U.shape
    R = U.copy()
    taken = np.zeros(n, dtype=bool)
    nodes = []
    for j in range(K):
        col = np.abs(R[:, j])
        col[taken] = -1.0
        i = int(np.argmax(col))
        taken[i] = True
        nodes.append(i)
        if j + 1 < K:
            R[:, j + 1:] -= np.outer(R[:, j], R[i, j + 1:] / R[i, j])
    return nodes


def main():
    path, n, K = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    e = np.fromfile(path, dtype=np.int32).reshape(-1, 2)
    t = time.perf_counter()
    L = laplacian_sym(n, e)
    build = time.perf_counter() - t
    v0 = np.random.default_rng(0).standard_normal(n)
    t = time.perf_counter()
    vals, vecs = eigsh(L, k=K + 1, which="SA", v0=v0)
    eig_seconds = time.perf_counter() - t
    order = np.argsort(vals)
    vals, vecs = vals[order], vecs[:, order]
    res = np.linalg.norm(L @ vecs - vecs * vals, axis=0)
    U = np.ascontiguousarray(vecs[:, :K])
    t = time.perf_counter()
    nodes = ge_select(U)
    ge_seconds = time.perf_counter() - t
    cond = float(np.linalg.cond(U[nodes, :]))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "eigSeconds": eig_seconds, "geSeconds": ge_seconds, "build": build, "values": vals.tolist(),
        "maxResidual": float(res.max()), "nodes": nodes, "condition": cond, "peakMiB": peak,
        "scipy": scipy.__version__, "numpy": np.__version__,
    }))


if __name__ == "__main__":
    main()
