#!/usr/bin/env python3
"""Attach positional encodings written by ``graphpe encode`` to PyTorch Geometric graphs as ``data.pe``.

Make the file first (one entry per molecule, in the dataset's row order):

    npx graphpe encode zinc --pe lap:k=16,rwse:steps=20,canon:oap --out zinc-pe.npz

Then, in a training script (numpy reads the file; torch is only needed for ``attach_pe``):

    from attach_pe import read_node_pe, attach_pe
    pes = read_node_pe("zinc-pe.npz", ["lap_vec", "rwse"])  # one float32 array [n_b, 16 + 20] per graph
    attach_pe(graphs, pes)                                   # graphs[b].pe = torch.from_numpy(pes[b])

``graphs`` must hold the same molecules in the same order, and each graph's nodes in graphpe's order
(the RDKit atom order of the SMILES, which is what OGB's ``smiles2graph`` uses; see docs/molecules.md).
``attach_pe`` checks the node counts and refuses a mismatch.

Run as a script, it reads a file (.npz, or .arrow/.feather/.ipc with pyarrow) and prints what it holds:

    python3 docs/examples/attach_pe.py zinc-pe.npz            # numpy only
    python3 docs/examples/attach_pe.py zinc-pe.npz --pyg      # also builds torch_geometric Data objects
"""

import os
import sys

import numpy as np

# Codes of the `<name>_canon` output (one per LapPE column), as @graphpe/encodings writes them.
CANON_STATUS = {
    0: "padding",  # no eigenvector in this column (n too small): mask 0
    1: "canonized",  # independent of the solver's sign / basis choice
    2: "sign_noncanonizable",  # simple eigenvalue whose sign no equivariant rule can fix; left as solved
    3: "basis_noncanonizable",  # repeated eigenvalue the basis rule cannot fix; left as solved
    4: "partial",  # k cuts this eigenspace; left as solved
}

ARROW_EXTENSIONS = (".arrow", ".feather", ".ipc")


def _is_arrow(path):
    return path.lower().endswith(ARROW_EXTENSIONS)


def read_npz(path):
    """The arrays of a graphpe NPZ as a dict (keys: n, ptr, name, spec and one or more per PE output)."""
    with np.load(path) as z:
        return {key: z[key] for key in z.files}


def _node_keys_npz(arrays):
    """Node-level outputs of an NPZ: 2-d arrays with one row per node (sum of n)."""
    total = int(arrays["ptr"][-1])
    skip = {"n", "ptr", "name", "spec", "num_edges"}
    return [
        k
        for k, a in arrays.items()
        if k not in skip and a.ndim == 2 and a.shape[0] == total and not k.endswith("_mask")
    ]


def read_node_pe(path, keys=None):
    """Per-graph node PEs: a list with one float32 array [n_b, d] per graph, the outputs in `keys`
    (default: every node-level output, in file order) side by side in that order."""
    if _is_arrow(path):
        return _read_node_pe_arrow(path, keys)
    arrays = read_npz(path)
    keys = list(keys) if keys is not None else _node_keys_npz(arrays)
    if not keys:
        raise ValueError(f"{path}: no node-level PE outputs")
    for k in keys:
        if k not in arrays:
            raise ValueError(f"{path}: no output '{k}' (has: {', '.join(sorted(arrays))})")
    ptr = arrays["ptr"]
    x = np.concatenate([arrays[k].reshape(int(ptr[-1]), -1) for k in keys], axis=1).astype(np.float32)
    return [x[ptr[b] : ptr[b + 1]] for b in range(len(ptr) - 1)]


def _read_node_pe_arrow(path, keys):
    import json

    import pyarrow as pa

    table = pa.ipc.open_file(path).read_all()
    levels = json.loads(table.schema.metadata[b"graphpe:levels"])
    keys = list(keys) if keys is not None else [k for k, lv in levels.items() if lv == "node"]
    for k in keys:
        if levels.get(k) != "node":
            raise ValueError(f"{path}: '{k}' is not a node-level output (node-level: {list(levels)})")
    n = table["n"].to_numpy()
    ptr = np.concatenate([[0], np.cumsum(n)])
    cols = []
    for k in keys:
        flat = np.asarray(table[k].combine_chunks().values)  # row-major [n_b, d] of every graph, concatenated
        cols.append(flat.reshape(int(ptr[-1]), -1))
    x = np.concatenate(cols, axis=1).astype(np.float32)
    return [x[ptr[b] : ptr[b + 1]] for b in range(len(n))]


def canon_status(path, name="lap"):
    """The `<name>_canon` codes as an int array [G, k] (see CANON_STATUS); needs `canon` in --pe."""
    key = f"{name}_canon"
    if _is_arrow(path):
        import pyarrow as pa

        table = pa.ipc.open_file(path).read_all()
        if key not in table.column_names:
            raise ValueError(f"{path}: no '{key}' (encode with canon in --pe)")
        flat = np.asarray(table[key].combine_chunks().values)
        return flat.reshape(table.num_rows, -1).astype(np.int64)
    arrays = read_npz(path)
    if key not in arrays:
        raise ValueError(f"{path}: no '{key}' (encode with canon in --pe)")
    return arrays[key].astype(np.int64)


def attach_pe(graphs, pes, attr="pe"):
    """Set `graph.pe` (or `attr`) to a float32 torch tensor [num_nodes, d] on every graph, in order."""
    import torch

    if len(graphs) != len(pes):
        raise ValueError(f"{len(graphs)} graphs but {len(pes)} PE rows: not the same dataset")
    for b, (g, pe) in enumerate(zip(graphs, pes)):
        if g.num_nodes != pe.shape[0]:
            raise ValueError(f"graph {b}: {g.num_nodes} nodes but its PE has {pe.shape[0]} rows")
        setattr(g, attr, torch.from_numpy(np.ascontiguousarray(pe)))
    return graphs


def write_edge_lists(graphs, folder):
    """One edge-list file per graph (`u v` per undirected edge, from `edge_index`) in `folder`, named so
    that they sort in dataset order: `graphpe encode <folder> ...` then gives PEs in the graphs' own node
    numbering (use it for PyG datasets that are not built from SMILES, such as `ZINC`)."""
    os.makedirs(folder, exist_ok=True)
    width = len(str(max(len(graphs) - 1, 0)))
    for b, g in enumerate(graphs):
        ei = g.edge_index.cpu().numpy()
        if ei.size == 0 or int(ei.max()) != g.num_nodes - 1:
            # An edge list has no node count: n is the highest id + 1.
            raise ValueError(f"graph {b}: node {g.num_nodes - 1} has no edge; an edge list cannot hold it")
        pairs = ei[:, ei[0] < ei[1]].T
        np.savetxt(os.path.join(folder, f"{b:0{width}d}.txt"), pairs, fmt="%d")


def main(argv):
    if not argv or argv[0].startswith("-"):
        print(__doc__)
        return 2
    path = argv[0]
    pes = read_node_pe(path)
    sizes = [p.shape[0] for p in pes]
    print(f"{path}: {len(pes)} graphs, {sum(sizes)} nodes, node PE width {pes[0].shape[1] if pes else 0}")
    try:
        codes = canon_status(path)
    except (ValueError, KeyError):
        codes = None
    if codes is not None:
        values, counts = np.unique(codes, return_counts=True)
        summary = ", ".join(f"{CANON_STATUS[int(v)]} {c}" for v, c in zip(values, counts))
        print(f"lap_canon over {codes.shape[0]} graphs x {codes.shape[1]} columns: {summary}")
    if "--pyg" in argv:
        from torch_geometric.data import Data

        graphs = [Data(num_nodes=n) for n in sizes]  # stand-ins: use your dataset's Data objects
        attach_pe(graphs, pes)
        print(f"graph 0: {graphs[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
