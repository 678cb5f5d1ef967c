"""PyTorch reference for graphpe's training-step benchmarks (bench:encoders, bench:train).

Mirrors graphpe's dense, padded formulation layer for layer (same shapes, same FLOPs), so the ratio
printed by the JS harness compares implementations of one computation, not two algorithms:
- SPE (Huang et al. 2024): phi = m element-wise MLPs 1->h->h->1 on eigenvalues (BN+ReLU), W_l = V diag(phi_l) V^T,
  rho = GIN over the node axis of W [B,N,N,m] (column axis as batch), masked sum over columns.
- SignNet (Lim et al. 2023): phi = GIN on each eigenvector channel, phi(v)+phi(-v), masked DeepSets rho.
- LapPE-MLP: per-node MLP on raw eigenvectors.
- GINE (Hu et al. 2020) with PE injection at the input and per layer, typed-adjacency messages
  sum_t A^t relu(x + E_t), residual, masked mean pool, 3-layer head.
Inputs are random with the right shapes and masks (timing does not depend on values).
Prints one JSON object: {"model": ..., "ms_per_step": median, "steps": n, "torch": version, "threads": t}.
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
    def __init__(self, dims, batch_norm=False):
        super().__init__()
        self.lins = nn.ModuleList()
        self.bns = nn.ModuleList()
        for i in range(len(dims) - 1):
            last = i == len(dims) - 2
            self.lins.append(nn.Linear(dims[i], dims[i + 1], bias=last or not batch_norm))
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
    def __init__(self, m, phi_hidden, rho_layers, rho_hidden, out_dim):
        super().__init__()
        self.m = m
        # m element-wise MLPs 1->h->h->1, batched: weights [m, ...]
        self.w1 = nn.Parameter(torch.randn(m, 1, phi_hidden) * 0.5)
        self.w2 = nn.Parameter(torch.randn(m, phi_hidden, phi_hidden) / phi_hidden**0.5)
        self.w3 = nn.Parameter(torch.randn(m, phi_hidden, 1) / phi_hidden**0.5)
        self.b3 = nn.Parameter(torch.zeros(m))
        self.bn1 = nn.BatchNorm1d(m * phi_hidden)
        self.bn2 = nn.BatchNorm1d(m * phi_hidden)
        dims = [m] + [rho_hidden] * rho_layers
        self.eps = nn.Parameter(torch.randn(rho_layers))
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
        # W[b,i,j,l] = sum_k V[b,i,k] z[b,k,l] V[b,j,k]
        Vz = V.unsqueeze(-1) * z.unsqueeze(1)  # [B,N,K,m]
        W = torch.einsum("bikl,bjk->bijl", Vz, V)  # [B,N,N,m]
        pair_mask = (node_mask.unsqueeze(2) * node_mask.unsqueeze(1)).unsqueeze(-1)  # [B,N,N,1]
        x = W
        for li, mlp in enumerate(self.rho):
            agg = torch.bmm(A, x.reshape(B, N, -1)).reshape(x.shape)
            x = mlp((1 + self.eps[li]) * x + agg, pair_mask[..., 0]) * pair_mask
        return (x * pair_mask).sum(2)  # [B,N,out]


class SignNet(nn.Module):
    def __init__(self, phi_layers, hidden, out_dim):
        super().__init__()
        self.eps = nn.Parameter(torch.randn(phi_layers))
        self.phi = nn.ModuleList(MLP([1 if i == 0 else hidden, hidden, hidden], batch_norm=True) for i in range(phi_layers))
        self.rho = MLP([hidden, hidden, out_dim])

    def forward(self, V, lam, A, node_mask, eig_mask):
        B, N, K = V.shape
        x = torch.cat([V, -V], 0).unsqueeze(-1)  # [2B,N,K,1]
        A2 = torch.cat([A, A], 0)
        m = (torch.cat([node_mask, node_mask], 0).unsqueeze(2) * torch.cat([eig_mask, eig_mask], 0).unsqueeze(1))  # [2B,N,K]
        for li, mlp in enumerate(self.phi):
            agg = torch.bmm(A2, x.reshape(2 * B, N, -1)).reshape(x.shape)
            h = mlp((1 + self.eps[li]) * x + agg, m) * m.unsqueeze(-1)
            x = h if li == 0 else x + h
        x = x[:B] + x[B:]
        s = (x * m[:B].unsqueeze(-1)).sum(2)  # masked sum over k
        return self.rho(s) * node_mask.unsqueeze(-1)


class LapMLP(nn.Module):
    def __init__(self, k, hidden, out_dim):
        super().__init__()
        self.mlp = MLP([k, hidden, hidden, out_dim])

    def forward(self, V, lam, A, node_mask, eig_mask):
        return self.mlp(V) * node_mask.unsqueeze(-1)


class GINE(nn.Module):
    def __init__(self, atom_dim, n_types, hidden, layers, pe_dim, pe_kind, pe_module=None):
        super().__init__()
        self.atom = nn.Linear(atom_dim, hidden, bias=False)
        self.bond = nn.Parameter(torch.randn(n_types, hidden) * 0.1)
        self.eps = nn.Parameter(torch.zeros(layers))
        self.convs = nn.ModuleList(MLP([hidden, hidden, hidden]) for _ in range(layers))
        self.pe_kind = pe_kind
        self.pe_module = pe_module
        if pe_kind == "rwse":
            self.pe_bn = nn.BatchNorm1d(pe_dim)
        if pe_kind != "none":
            self.pe_in = nn.Linear(pe_dim, hidden)
            self.pe_layer = nn.ModuleList(MLP([pe_dim, hidden, hidden]) for _ in range(layers))
        self.head = MLP([hidden, hidden, hidden, 1])

    def forward(self, atoms, typed_adj, node_mask, pe, eig):
        B, N, _ = atoms.shape
        x = self.atom(atoms)
        p = None
        if self.pe_kind == "rwse":
            p = masked_bn(pe, node_mask, self.pe_bn)
        elif self.pe_kind == "spe":
            p = self.pe_module(*eig)
        if p is not None:
            x = x + self.pe_in(p)
        T = self.bond.shape[0]
        for li, conv in enumerate(self.convs):
            if p is not None:
                x = x + self.pe_layer[li](p)
            msg_in = torch.relu(x.unsqueeze(1) + self.bond.view(1, T, 1, -1))  # [B,T,N,H]
            msg = torch.bmm(typed_adj, msg_in.reshape(B, T * N, -1))  # [B,N,H]
            x = x + torch.relu(conv((1 + self.eps[li]) * x + msg))
            x = x * node_mask.unsqueeze(-1)
        pooled = (x * node_mask.unsqueeze(-1)).sum(1) / node_mask.sum(1, keepdim=True).clamp(min=1)
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, choices=["spe", "signnet", "lapmlp", "gine-none", "gine-rwse", "gine-spe"])
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--nodes", type=int, default=38)
    ap.add_argument("--k", type=int, default=38)
    ap.add_argument("--m", type=int, default=16)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--phi-hidden", type=int, default=16)
    ap.add_argument("--rho-layers", type=int, default=8)
    ap.add_argument("--signnet-layers", type=int, default=4)
    ap.add_argument("--out-dim", type=int, default=37)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--atom-dim", type=int, default=28)
    ap.add_argument("--types", type=int, default=3)
    ap.add_argument("--rwse", type=int, default=20)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    d = random_inputs(a.batch, a.nodes, a.k, a.atom_dim, a.types, a.rwse, 0)
    eig = (d["V"], d["lam"], d["A"], d["node_mask"], d["eig_mask"])
    if a.model == "spe":
        model = SPE(a.m, a.phi_hidden, a.rho_layers, a.hidden, a.out_dim)
        fwd = lambda: model(*eig)
    elif a.model == "signnet":
        model = SignNet(a.signnet_layers, a.hidden, a.out_dim)
        fwd = lambda: model(*eig)
    elif a.model == "lapmlp":
        model = LapMLP(a.k, a.hidden, a.out_dim)
        fwd = lambda: model(*eig)
    else:
        kind = a.model.split("-")[1]
        spe = SPE(a.m, a.phi_hidden, a.rho_layers, a.hidden, a.out_dim) if kind == "spe" else None
        pe_dim = a.rwse if kind == "rwse" else a.out_dim
        model = GINE(a.atom_dim, a.types, a.hidden, a.layers, pe_dim, kind, spe)
        fwd = lambda: model(d["atoms"], d["typed"], d["node_mask"], d["pe"], eig)
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    times = []
    for s in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        opt.zero_grad()
        out = fwd()
        loss = (out - d["y"]).abs().mean() if out.dim() == 2 and out.shape[1] == 1 else out.square().mean()
        loss.backward()
        opt.step()
        if s >= a.warmup:
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(json.dumps({
        "model": a.model,
        "ms_per_step": times[len(times) // 2],
        "steps": a.steps,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "params": sum(p.numel() for p in model.parameters()),
    }))


if __name__ == "__main__":
    main()
