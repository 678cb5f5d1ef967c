"""PyTorch reference for graphpe's training-step benchmarks (bench:encoders, bench:train).

Mirrors graphpe's TensorFlow.js models layer for layer (same layer counts, widths, bias/BN placement,
masks, message formulation, pooling and head; same dense padded shapes and FLOPs), so the ratios the JS
harness prints compare two implementations of one computation:
- SPE = packages/encodings/src/learned/spe.ts (phi 'mlp'): phi = m element-wise MLPs 1->h->h->1 (no bias
  before BN, masked BN + ReLU after the first two Linear layers), W[b,i,(j,l)] = (V diag(phi_l) V^T)_ij as
  one bmm V @ M; rho = GIN layers over the node axis, x <- MLP((1+eps) x + A x) with 3-Linear MLPs
  [in, H, H, out] (masked BN over the real (i, j) rows), no masking or norm between layers; masked sum
  over the column axis j; output zero on padded nodes.
- SignNet = signnet.ts (rho 'deepsets'): v and -v concatenated along the column axis [B,N,2K,1]; phi layer
  l: (1+eps) h + A h -> MLP [in,H,H] (Linear+bias, ReLU, Linear with bias only in the last layer) -> masked
  BN + ReLU (not after the last layer) -> mask, residual from the second layer on; phi(v)+phi(-v), masked
  sum over k, rho MLP [H,H,out] with masked BN.
- LapPE-MLP = FrameAveragedMlp.phi (frame-average.ts) without the frame: MLP [K,H,H,out] on the raw vectors.
- GINE = packages/gnn/src/model/gine.ts (mlpLayers 3, batchNorm, residual, mean pool): x0 = AtomLin(multi-hot)
  + Lin(PE); per layer h = x + MLP_l(PE); S = sum_t A^t relu(h + E_t) as one bmm over the [B,N,T*N] typed
  adjacency (E_t = per-layer Linear of the edge-type multi-hot); x <- (x + MLP_l((1+eps) h + S)) * mask;
  masked mean pool, 3-Linear head with plain BN; masked L1 loss; Adam with L2 weight decay on kernels only
  (gnn/src/train/optimizer.ts). RWSE: masked BN on the raw PE.
Remaining differences (timing-neutral or small): tfjs keeps BatchNorm gamma/beta as trainable weights as
torch does, but computes the masked variance as E[x^2] - mean^2 (SPE) or with a second masked pass
(ops.ts), and updates running statistics with Keras momentum semantics; initialisers differ (Glorot in
tfjs); tfjs applies per-graph 2-D matmul loops where torch uses bmm/einsum (the same FLOPs).
Inputs: --inputs reads the exact batch the JS harness wrote (scripts/bench/lib/molbatch.mjs writeTensors),
else random inputs of the right shapes (timing does not depend on values).
Prints one JSON object: {"model", "ms_per_step" (median), "steps", "batch", "torch", "threads", "params"}.
"""

import argparse
import json
import time

import torch
from torch import nn


def masked_bn(x, mask, bn):
    """BatchNorm over the last axis using only entries with mask 1 (mask shaped like x.shape[:-1]).

    Written with masked sums (as graphpe does) rather than boolean indexing, which copies and is
    several times slower; running statistics are updated as nn.BatchNorm1d would.
    """
    m = mask.unsqueeze(-1)
    if bn.training:
        count = m.sum().clamp(min=1)
        mean = (x * m).sum(dim=tuple(range(x.dim() - 1))) / count
        var = (((x - mean) ** 2) * m).sum(dim=tuple(range(x.dim() - 1))) / count
        with torch.no_grad():
            bn.running_mean.mul_(1 - bn.momentum).add_(bn.momentum * mean)
            bn.running_var.mul_(1 - bn.momentum).add_(bn.momentum * var)
    else:
        mean, var = bn.running_mean, bn.running_var
    return ((x - mean) * torch.rsqrt(var + bn.eps) * bn.weight + bn.bias) * m


class MLP(nn.Module):
    def __init__(self, dims, batch_norm=False, last_bias=True):
        super().__init__()
        self.lins = nn.ModuleList()
        self.bns = nn.ModuleList()
        for i in range(len(dims) - 1):
            last = i == len(dims) - 2
            self.lins.append(nn.Linear(dims[i], dims[i + 1], bias=last_bias if last else not batch_norm))
            if not last and batch_norm:
                self.bns.append(nn.BatchNorm1d(dims[i + 1]))
        self.batch_norm = batch_norm

    def forward(self, x, mask=None):
        for i, lin in enumerate(self.lins):
            x = lin(x)
            if i < len(self.lins) - 1:
                if self.batch_norm:
                    x = masked_bn(x, mask, self.bns[i]) if mask is not None else self.bns[i](x.reshape(-1, x.shape[-1])).reshape(x.shape)
                x = torch.relu(x)
        return x


class SPE(nn.Module):
    """graphpe's SpeEncoder (packages/encodings/src/learned/spe.ts, phi='mlp')."""

    def __init__(self, m, phi_hidden, rho_layers, rho_hidden, out_dim):
        super().__init__()
        self.m = m
        # m element-wise MLPs 1->h->h->1 stored batched (spe.ts: lin0 [1, m*h] no bias, lin1 [m, h, h] no
        # bias, lin2 [h, m] + bias; masked BN over the m*h channels after lin0 and lin1).
        self.w1 = nn.Parameter(torch.randn(m, 1, phi_hidden) * 0.5)
        self.w2 = nn.Parameter(torch.randn(m, phi_hidden, phi_hidden) / phi_hidden**0.5)
        self.w3 = nn.Parameter(torch.randn(m, phi_hidden, 1) / phi_hidden**0.5)
        self.b3 = nn.Parameter(torch.zeros(m))
        self.bn1 = nn.BatchNorm1d(m * phi_hidden)
        self.bn2 = nn.BatchNorm1d(m * phi_hidden)
        dims = [m] + [rho_hidden] * rho_layers
        self.eps = nn.Parameter(torch.randn(rho_layers))
        # rho: GIN layers, each a 3-Linear MLP [in, H, H, out] with masked BN + ReLU after the first two.
        self.rho = nn.ModuleList(
            MLP([dims[i], rho_hidden, rho_hidden, rho_hidden if i < rho_layers - 1 else out_dim], batch_norm=True)
            for i in range(rho_layers)
        )

    def phi(self, lam, eig_mask):
        # lam [B,K] -> [B,K,m]
        B, K = lam.shape
        h = torch.einsum("bk,mh->bkmh", lam, self.w1[:, 0, :])  # [B,K,m,h]
        h = masked_bn(h.reshape(B, K, -1), eig_mask, self.bn1).reshape(B, K, self.m, -1).relu()
        h = torch.einsum("bkmh,mhg->bkmg", h, self.w2)
        h = masked_bn(h.reshape(B, K, -1), eig_mask, self.bn2).reshape(B, K, self.m, -1).relu()
        return torch.einsum("bkmh,mho->bkm", h, self.w3) + self.b3

    def forward(self, V, lam, A, node_mask, eig_mask):
        B, N, K = V.shape
        z = self.phi(lam, eig_mask) * eig_mask.unsqueeze(-1)  # [B,K,m]
        # W[b,i,(j,l)] = sum_k V[b,i,k] z[b,k,l] V[b,j,k]: one bmm V @ M, M[b,k,(j,l)] = V[b,j,k] z[b,k,l]
        M = (V.transpose(1, 2).unsqueeze(-1) * z.unsqueeze(2)).reshape(B, K, N * self.m)
        x = torch.bmm(V, M)  # [B,N,N*m]
        pair_mask = (node_mask.unsqueeze(2) * node_mask.unsqueeze(1)).reshape(-1)  # rows (b,i,j)
        c = self.m
        for li, mlp in enumerate(self.rho):
            agg = torch.bmm(A, x) + (1 + self.eps[li]) * x  # [B,N,N*c]
            y = mlp(agg.reshape(-1, c), pair_mask)  # BN statistics over real (i,j) rows; rows not zeroed
            c = y.shape[-1]
            x = y.reshape(B, N, N * c)
        pe = (x.reshape(B, N, N, c) * node_mask.view(B, 1, N, 1)).sum(2)  # masked sum over columns j
        return pe * node_mask.unsqueeze(-1)


class SignNet(nn.Module):
    """graphpe's SignNetEncoder (signnet.ts, rho='deepsets', no eigenvalues)."""

    def __init__(self, phi_layers, hidden, out_dim):
        super().__init__()
        self.eps = nn.Parameter(torch.zeros(phi_layers))
        # phi layer l: MLP [in, H, H] (Linear+bias -> ReLU -> Linear, bias only in the last layer), then masked
        # BN + ReLU except after the last layer; residual h <- h + y from the second layer on.
        self.phi = nn.ModuleList(
            MLP([1 if i == 0 else hidden, hidden, hidden], last_bias=(i == phi_layers - 1)) for i in range(phi_layers)
        )
        self.bns = nn.ModuleList(nn.BatchNorm1d(hidden) for _ in range(phi_layers - 1))
        self.rho = MLP([hidden, hidden, out_dim], batch_norm=True)

    def forward(self, V, lam, A, node_mask, eig_mask):
        B, N, K = V.shape
        x = torch.cat([V, -V], 2).unsqueeze(-1)  # [B,N,2K,1]: both signs along the column axis
        m = node_mask.unsqueeze(2) * torch.cat([eig_mask, eig_mask], 1).unsqueeze(1)  # [B,N,2K]
        for li, mlp in enumerate(self.phi):
            agg = torch.bmm(A, x.reshape(B, N, -1)).reshape(x.shape)
            y = mlp((1 + self.eps[li]) * x + agg)
            if li < len(self.bns):
                y = torch.relu(masked_bn(y, m, self.bns[li]))
            y = y * m.unsqueeze(-1)
            x = y if li == 0 else x + y
        cols = x[:, :, :K] + x[:, :, K:]  # phi(v) + phi(-v), padded columns already 0
        s = cols.sum(2)  # [B,N,H]
        return self.rho(s, node_mask) * node_mask.unsqueeze(-1)


class LapMLP(nn.Module):
    """Plain LapPE-MLP: FrameAveragedMlp.phi (frame-average.ts) without the frame: MLP on masked raw vectors."""

    def __init__(self, k, hidden, out_dim):
        super().__init__()
        self.mlp = MLP([k, hidden, hidden, out_dim])

    def forward(self, V, lam, A, node_mask, eig_mask):
        return self.mlp(V * eig_mask.unsqueeze(1)) * node_mask.unsqueeze(-1)


class GINE(nn.Module):
    """graphpe's GineNet (packages/gnn/src/model/gine.ts) with mlpLayers=3, batchNorm, residual, mean pool."""

    def __init__(self, atom_dim, bond_dim, n_types, hidden, layers, pe_dim, pe_kind, pe_module=None, out_dim=1):
        super().__init__()
        H = hidden
        self.atom = nn.Linear(atom_dim, H, bias=False)
        # edge-type multi-hot table [T, bond_dim] (constant) and a per-layer bond embedding Linear(bond_dim, H)
        self.register_buffer("edge_table", torch.eye(n_types, bond_dim))
        self.bond = nn.ModuleList(nn.Linear(bond_dim, H, bias=False) for _ in range(layers))
        self.eps = nn.Parameter(torch.randn(layers))
        self.convs = nn.ModuleList(MLP([H, H, H, H], batch_norm=True) for _ in range(layers))
        self.pe_kind = pe_kind
        self.pe_module = pe_module
        if pe_kind == "rwse":
            self.pe_bn = nn.BatchNorm1d(pe_dim)
        if pe_kind != "none":
            self.pe_in = nn.Linear(pe_dim, H)
            self.pe_layer = nn.ModuleList(MLP([pe_dim, H, H, H], batch_norm=True) for _ in range(layers))
        self.head = MLP([H, H, H, out_dim], batch_norm=True)

    def forward(self, atoms, typed_adj, node_mask, pe, eig):
        B, N, _ = atoms.shape
        mask3 = node_mask.unsqueeze(-1)
        p = None
        if self.pe_kind == "rwse":
            p = masked_bn(pe, node_mask, self.pe_bn)
        elif self.pe_kind == "spe":
            p = self.pe_module(*eig)
        x = self.atom(atoms)
        if p is not None:
            x = x + self.pe_in(p)
        x = x * mask3
        T = self.edge_table.shape[0]
        for li, conv in enumerate(self.convs):
            h = x + self.pe_layer[li](p, node_mask) if p is not None else x
            e = self.bond[li](self.edge_table).view(1, T, 1, -1)  # E_t
            msg_in = torch.relu(h.unsqueeze(1) + e).reshape(B, T * N, -1)  # [B,T*N,H]
            s = torch.bmm(typed_adj, msg_in)  # [B,N,H] = sum_t A^t relu(h + E_t)
            out = conv((1 + self.eps[li]) * h + s, node_mask)
            x = (x + out) * mask3
        pooled = (x * mask3).sum(1) / node_mask.sum(1, keepdim=True).clamp(min=1)
        return self.head(pooled)


def random_inputs(B, N, K, atom_dim, T, pe_dim, seed):
    g = torch.Generator().manual_seed(seed)
    n = torch.randint(N // 2, N + 1, (B,), generator=g)
    node_mask = (torch.arange(N).unsqueeze(0) < n.unsqueeze(1)).float()
    eig_mask = (torch.arange(K).unsqueeze(0) < n.unsqueeze(1)).float()
    # molecule-like: a path plus a few chords, mean degree ~2.2
    A = torch.zeros(B, N, N)
    typed = torch.zeros(B, N, T * N)
    for b in range(B):
        nb = int(n[b])
        for i in range(1, nb):
            j = int(torch.randint(max(0, i - 3), i, (1,), generator=g))
            t = int(torch.randint(0, T, (1,), generator=g))
            A[b, i, j] = A[b, j, i] = 1
            typed[b, i, t * N + j] = typed[b, j, t * N + i] = 1
    V = torch.linalg.qr(torch.randn(B, N, K, generator=g))[0] * node_mask.unsqueeze(-1) * eig_mask.unsqueeze(1)
    lam = torch.rand(B, K, generator=g) * 2 * eig_mask
    atoms = torch.zeros(B, N, atom_dim)
    atoms[torch.arange(B).unsqueeze(1), torch.arange(N).unsqueeze(0), torch.randint(0, atom_dim, (B, N), generator=g)] = 1
    atoms = atoms * node_mask.unsqueeze(-1)
    pe = torch.rand(B, N, pe_dim, generator=g) * node_mask.unsqueeze(-1)
    y = torch.randn(B, 1, generator=g)
    return dict(V=V, lam=lam, A=A, typed=typed, node_mask=node_mask, eig_mask=eig_mask, atoms=atoms, pe=pe, y=y)


def read_inputs(path, batch):
    """Tensors written by scripts/bench/lib/molbatch.mjs writeTensors (JSON header line + float32 data), first `batch` rows."""
    with open(path, "rb") as f:
        raw = f.read()
    nl = raw.index(b"\n")
    header = json.loads(raw[:nl])
    out, at = {}, nl + 1
    for name, shape in header.items():
        size = 1
        for d in shape:
            size *= d
        t = torch.frombuffer(bytearray(raw[at : at + 4 * size]), dtype=torch.float32).reshape(shape)
        at += 4 * size
        out[name] = t[:batch].contiguous() if batch else t
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, choices=["spe", "signnet", "lapmlp", "gine-none", "gine-rwse", "gine-spe"])
    ap.add_argument("--inputs", help="batch file from the JS harness (else random inputs of the default shapes)")
    ap.add_argument("--batch-size", type=int, default=0, help="use the first B graphs of --inputs (0: all)")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--nodes", type=int, default=38)
    ap.add_argument("--k", type=int, default=38)
    ap.add_argument("--m", type=int, default=16)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--phi-hidden", type=int, default=16)
    ap.add_argument("--rho-layers", type=int, default=8)
    ap.add_argument("--rho-hidden", type=int, default=0, help="SPE rho width inside GINE (0: --hidden)")
    ap.add_argument("--signnet-layers", type=int, default=4)
    ap.add_argument("--out-dim", type=int, default=37)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--atom-dim", type=int, default=28)
    ap.add_argument("--bond-dim", type=int, default=3)
    ap.add_argument("--types", type=int, default=3)
    ap.add_argument("--rwse", type=int, default=20)
    ap.add_argument("--weight-decay", type=float, default=0.0)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if a.inputs:
        d = read_inputs(a.inputs, a.batch_size)
        d.setdefault("V", d.get("vectors"))
        d.setdefault("lam", d.get("values"))
        d.setdefault("A", d.get("adjacency"))
        if "nodeFeatures" in d:
            d.update(atoms=d["nodeFeatures"], typed=d["edgeAdjacency"], node_mask=d["nodeMask"], y=d["targets"])
        else:
            d["node_mask"] = d["nodeMask"]
        d["eig_mask"] = d.get("eigMask")
        B, N = d["node_mask"].shape
        if "typed" in d:
            a.types = d["typed"].shape[2] // N
            a.atom_dim = d["atoms"].shape[2]
        if d.get("pe") is not None:
            a.rwse = d["pe"].shape[2]
    else:
        d = random_inputs(a.batch, a.nodes, a.k, a.atom_dim, a.types, a.rwse, 0)
        B = a.batch
    eig = (d.get("V"), d.get("lam"), d.get("A"), d["node_mask"], d.get("eig_mask"))
    if a.model == "spe":
        model = SPE(a.m, a.phi_hidden, a.rho_layers, a.hidden, a.out_dim)
        fwd = lambda: model(*eig)
    elif a.model == "signnet":
        model = SignNet(a.signnet_layers, a.hidden, a.out_dim)
        fwd = lambda: model(*eig)
    elif a.model == "lapmlp":
        model = LapMLP(d["V"].shape[2], a.hidden, a.out_dim)
        fwd = lambda: model(*eig)
    else:
        kind = a.model.split("-")[1]
        spe = SPE(a.m, a.phi_hidden, a.rho_layers, a.rho_hidden or a.hidden, a.out_dim) if kind == "spe" else None
        pe_dim = a.rwse if kind == "rwse" else a.out_dim
        model = GINE(a.atom_dim, a.bond_dim, a.types, a.hidden, a.layers, pe_dim, kind, spe)
        fwd = lambda: model(d["atoms"], d["typed"], d["node_mask"], d.get("pe"), eig)
    model.train()
    # graphpe's AdamWithDecay: L2 weight decay (torch Adam semantics) on kernels only (params with >= 2 dims)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.Adam(
        [{"params": decay, "weight_decay": a.weight_decay}, {"params": rest, "weight_decay": 0.0}], lr=1e-3, eps=1e-8
    )
    gine = a.model.startswith("gine")
    times = []
    for s in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        opt.zero_grad()
        out = fwd()
        if gine:  # masked L1, as gnn/src/train/loss.ts
            lm = d.get("labelMask", torch.ones_like(out))
            loss = ((out - d["y"]).abs() * lm).sum() / lm.sum().clamp(min=1)
        else:
            loss = out.square().mean()
        loss.backward()
        opt.step()
        if s >= a.warmup:
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(json.dumps({
        "model": a.model,
        "ms_per_step": times[len(times) // 2],
        "steps": a.steps,
        "batch": B,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "params": sum(p.numel() for p in model.parameters()),
    }))


if __name__ == "__main__":
    main()
