"""Train torch_ref's GINE (+ none / rwse / spe) on a graphpe export with `graphpe train`'s recipe.

The PyTorch side of scripts/bench/quality.mjs. Data: a folder written by scripts/bench/export-train-data.mjs
(graphpe's own featurization, split, --limit, RWSE and eigenpairs). Model: torch_ref.py's GINE / SPE /
masked_bn, imported, not copied (they mirror packages/gnn/src/model/gine.ts and encodings' spe.ts weight
for weight; the parameter count printed must equal graphpe's `params`). Recipe, as
packages/gnn/src/train/{trainer,schedule,optimizer,loss}.ts:
- Adam (beta 0.9/0.999, eps 1e-8) with L2 weight decay added to the gradient (torch Adam semantics) on
  kernels only (parameters with >= 2 dims: not biases, BatchNorm, GIN eps), default 3e-6;
- learning rate set before every optimizer step s (0-based): base*s/W for s < W (W = 100 warm-up steps),
  then base*(1 - (s-W)/max(1, S-W)) clipped to [0, base], S = steps per epoch * epochs (so step 0 has lr 0);
- steps per epoch = min(ceil(n_train / batch), --max-steps); the epoch's shuffle is the trainer's own
  (train_order.npy from the export, same seed), else a seeded numpy permutation; the last batch may be short;
- masked L1 loss (mean over present labels); BatchNorm momentum 0.1 (tfjs 0.9), eps 1e-5;
- every epoch: validation MAE (eval mode), test MAE; the reported test MAE is the one at the first epoch
  with the lowest validation MAE (the trainer evaluates test only when validation improves: same value);
- initialisation as graphpe (--init graphpe, default): Glorot-uniform kernels with tfjs' fan shapes, zero
  biases, GIN eps ~ N(0, 1), BN gamma 1 / beta 0; --init torch keeps PyTorch's defaults.
Batches are padded to the batch's largest molecule (N) and the eigenpairs to K = N columns (columns past
a graph's n are masked), which the masked GINE/SPE math does not see. One torch thread by default.

Output: per-epoch lines on stderr; one JSON line on stdout:
  {"impl": "pytorch", "pe", "test_mae" (at best val), "best_epoch", "best_val_mae", "epochs_run",
   "wall_time_s" (training + evaluation), "total_time_s" (incl. loading), "params", "config", "history"}
Usage: /usr/bin/python3 scripts/bench/torch_train.py --data EXPORT_DIR --pe none|rwse|spe --epochs E
  [--hidden 128] [--layers 4] [--batch-size 128] [--lr 1e-3] [--weight-decay 3e-6] [--warmup 100]
  [--max-steps S] [--seed 0] [--spe-m M] [--spe-rho-layers L] [--pe-hidden H] [--threads 1] [--init graphpe]
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_ref import GINE, SPE  # noqa: E402  (the aligned reference modules)


def log(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


class Split:
    """One split of an export: ragged arrays + dense batch assembly (padding to the batch's max n)."""

    def __init__(self, folder, name, meta, need_rwse, need_eig):
        def load(key):
            return np.load(os.path.join(folder, f"{name}_{key}.npy"))

        self.name = name
        self.n = load("num_nodes").astype(np.int64)
        self.node_ptr = load("node_ptr").astype(np.int64)
        self.x = load("x").astype(np.float32)
        self.edge_ptr = load("edge_ptr").astype(np.int64)
        self.src = load("edge_src").astype(np.int64)
        self.dst = load("edge_dst").astype(np.int64)
        self.etype = load("edge_type").astype(np.int64)
        self.y = load("y").astype(np.float32)
        self.y_mask = load("y_mask").astype(np.float32)
        self.rwse = load("rwse").astype(np.float32) if need_rwse else None
        if need_eig:
            self.eig_values = load("eig_values").astype(np.float32)
            self.eig_mask = load("eig_mask").astype(np.float32)
            self.eig_vectors = load("eig_vectors").astype(np.float32)
        self.T = meta["numEdgeTypes"]
        self.need_eig = need_eig
        self.size = len(self.n)

    def batch(self, ids):
        ids = np.asarray(ids, dtype=np.int64)
        n = self.n[ids]
        B, N, T = len(ids), int(n.max()), self.T
        # node slots: graph b, local i
        b_idx = np.repeat(np.arange(B), n)
        i_idx = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
        rows = np.repeat(self.node_ptr[ids], n) + i_idx
        atoms = np.zeros((B, N, self.x.shape[1]), np.float32)
        atoms[b_idx, i_idx] = self.x[rows]
        mask = np.zeros((B, N), np.float32)
        mask[b_idx, i_idx] = 1
        m = self.edge_ptr[ids + 1] - self.edge_ptr[ids]
        eb = np.repeat(np.arange(B), m)
        erows = np.repeat(self.edge_ptr[ids], m) + (np.arange(m.sum()) - np.repeat(np.cumsum(m) - m, m))
        src, dst, et = self.src[erows], self.dst[erows], self.etype[erows]
        typed = np.zeros((B, N, T * N), np.float32)
        typed[eb, dst, et * N + src] = 1  # message src -> dst (collate's edgeAdjacency)
        out = {
            "atoms": torch.from_numpy(atoms),
            "typed": torch.from_numpy(typed),
            "mask": torch.from_numpy(mask),
            "y": torch.from_numpy(self.y[ids]),
            "y_mask": torch.from_numpy(self.y_mask[ids]),
            "pe": None,
            "eig": None,
        }
        if self.rwse is not None:
            pe = np.zeros((B, N, self.rwse.shape[1]), np.float32)
            pe[b_idx, i_idx] = self.rwse[rows]
            out["pe"] = torch.from_numpy(pe)
        if self.need_eig:
            A = np.zeros((B, N, N), np.float32)
            A[eb, dst, src] = 1
            K = N  # columns >= the batch's largest n are padding (eig_mask 0) for every graph
            V = np.zeros((B, N, K), np.float32)
            V[b_idx, i_idx] = self.eig_vectors[rows, :K]
            out["eig"] = (
                torch.from_numpy(V),
                torch.from_numpy(np.ascontiguousarray(self.eig_values[ids, :K])),
                torch.from_numpy(A),
                out["mask"],
                torch.from_numpy(np.ascontiguousarray(self.eig_mask[ids, :K])),
            )
        return out


def lr_at(step, base, warmup, total):
    """packages/gnn/src/train/schedule.ts, kind 'linear', minLr 0."""
    if step < warmup:
        return base * step / warmup
    span = max(1, total - warmup)
    frac = min(1.0, max(0.0, (step - warmup) / span))
    return base * (1 - frac)


def glorot_(t, fan_in, fan_out):
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        t.uniform_(-limit, limit)


def graphpe_init(model, seed):
    """graphpe's initialisers (encodings/src/learned/nn/param-layer.ts): Glorot-uniform kernels over tfjs'
    [in, out] shapes, zero biases; eps stay N(0, 1) and BN 1/0 as torch_ref builds them."""
    torch.manual_seed(seed)
    for mod in model.modules():
        if isinstance(mod, nn.Linear):
            glorot_(mod.weight, mod.in_features, mod.out_features)
            if mod.bias is not None:
                nn.init.zeros_(mod.bias)
        elif isinstance(mod, SPE):
            m, _, h = mod.w1.shape
            glorot_(mod.w1, 1, m * h)  # phi/lin0 [1, m*h]
            glorot_(mod.w2, h, m * h)  # phi/lin1 [h, m*h]
            glorot_(mod.w3, h, m)  # phi/lin2 [h, m]
            nn.init.zeros_(mod.b3)


def evaluate(model, batches):
    model.eval()
    err, count = 0.0, 0.0
    with torch.no_grad():
        for b in batches:
            out = model(b["atoms"], b["typed"], b["mask"], b["pe"], b["eig"])
            err += float(((out - b["y"]).abs() * b["y_mask"]).sum())
            count += float(b["y_mask"].sum())
    return err / count if count > 0 else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="folder from export-train-data.mjs")
    ap.add_argument("--pe", required=True, choices=["none", "rwse", "spe"])
    ap.add_argument("--epochs", type=int, required=True)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--weight-decay", type=float, default=3e-6)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--max-steps", type=int, default=0, help="cap on steps per epoch (0: all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--spe-m", type=int, default=0, help="SPE channels m [graphpe's default]")
    ap.add_argument("--spe-rho-layers", type=int, default=0, help="SPE rho GIN layers [graphpe's default]")
    ap.add_argument("--pe-hidden", type=int, default=0, help="SPE rho hidden width [graphpe's default]")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--init", choices=["graphpe", "torch"], default="graphpe")
    a = ap.parse_args()
    t_start = time.perf_counter()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    with open(os.path.join(a.data, "meta.json")) as f:
        meta = json.load(f)
    if meta.get("task") != "regression":
        raise SystemExit(f"torch_train.py: only regression (L1/MAE) datasets, got task {meta.get('task')}")
    if a.pe == "rwse" and not meta.get("rwse"):
        raise SystemExit("torch_train.py: the export has no RWSE (export with --pe rwse or all)")
    if a.pe == "spe" and not meta.get("spe"):
        raise SystemExit("torch_train.py: the export has no eigenpairs (export with --pe spe or all)")
    splits = {
        name: Split(a.data, name, meta, a.pe == "rwse", a.pe == "spe")
        for name in ("train", "valid", "test")
        if name in meta["splitSizes"]
    }
    train, valid, test = splits["train"], splits["valid"], splits.get("test")

    sd = meta["speDefaults"]
    spe_cfg = {
        "m": a.spe_m or sd["m"],
        "phiHidden": sd["phiHidden"],
        "rhoLayers": a.spe_rho_layers or sd["rhoLayers"],
        "rhoHidden": a.pe_hidden or sd["rhoHidden"],
        "outDim": sd["outDim"],
    }
    if a.pe == "spe" and sd["phi"] != "mlp":
        raise SystemExit(f"torch_train.py: torch_ref's SPE has phi 'mlp' only (graphpe default {sd['phi']})")
    pe_module = (
        SPE(spe_cfg["m"], spe_cfg["phiHidden"], spe_cfg["rhoLayers"], spe_cfg["rhoHidden"], spe_cfg["outDim"])
        if a.pe == "spe"
        else None
    )
    pe_dim = meta["rwse"]["peDim"] if a.pe == "rwse" else spe_cfg["outDim"] if a.pe == "spe" else 0
    table = torch.from_numpy(np.load(os.path.join(a.data, "edge_type_multihot.npy")).astype(np.float32))
    model = GINE(
        meta["nodeDim"], table.shape[1], table.shape[0], a.hidden, a.layers, pe_dim, a.pe, pe_module,
        out_dim=meta["numTargets"],
    )
    model.edge_table.copy_(table)  # graphpe's edge-type multi-hot rows (torch_ref defaults to an identity)
    if a.init == "graphpe":
        graphpe_init(model, a.seed)
    params = sum(p.numel() for p in model.parameters())

    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.Adam(
        [{"params": decay, "weight_decay": a.weight_decay}, {"params": rest, "weight_decay": 0.0}],
        lr=a.lr, betas=(0.9, 0.999), eps=1e-8,
    )

    n_train = train.size
    bs = a.batch_size
    full = math.ceil(n_train / bs)
    steps_per_epoch = min(full, a.max_steps) if a.max_steps > 0 else full
    total_steps = steps_per_epoch * a.epochs
    orders = None
    shuffle = "numpy"
    sh = meta.get("shuffle")
    if sh and sh["seed"] == a.seed and sh["epochs"] >= a.epochs:
        orders = np.load(os.path.join(a.data, "train_order.npy"))
        shuffle = "graphpe"
    else:
        log(f"torch_train: no graphpe shuffle for seed {a.seed} x {a.epochs} epochs in the export; numpy shuffle")
    rng = np.random.RandomState(a.seed)
    eval_bs = bs
    val_batches = [valid.batch(np.arange(i, min(valid.size, i + eval_bs))) for i in range(0, valid.size, eval_bs)]
    test_batches = (
        [test.batch(np.arange(i, min(test.size, i + eval_bs))) for i in range(0, test.size, eval_bs)] if test else []
    )
    log(
        f"torch_train: {meta['dataset']} train {n_train} valid {valid.size} test {test.size if test else 0}; "
        f"pe {a.pe}; {params} parameters; {steps_per_epoch} steps/epoch x {a.epochs}; torch {torch.__version__}, "
        f"{torch.get_num_threads()} thread(s); shuffle {shuffle}; init {a.init}"
    )

    t0 = time.perf_counter()
    step = 0
    best = None
    history = []
    for epoch in range(1, a.epochs + 1):
        te = time.perf_counter()
        order = orders[epoch - 1] if orders is not None else rng.permutation(n_train)
        model.train()
        loss_sum, loss_count = 0.0, 0
        for s in range(steps_per_epoch):
            ids = order[s * bs : min(n_train, (s + 1) * bs)]
            b = train.batch(ids)
            lr = lr_at(step, a.lr, a.warmup, total_steps)
            for g in opt.param_groups:
                g["lr"] = lr
            opt.zero_grad()
            out = model(b["atoms"], b["typed"], b["mask"], b["pe"], b["eig"])
            lm = b["y_mask"]
            loss = ((out - b["y"]).abs() * lm).sum() / lm.sum().clamp(min=1)
            loss.backward()
            opt.step()
            v = float(loss)
            if not math.isfinite(v):
                raise SystemExit(f"torch_train.py: loss is {v} at epoch {epoch} step {s + 1}")
            loss_sum += v * len(ids)
            loss_count += len(ids)
            step += 1
        train_loss = loss_sum / max(1, loss_count)
        train_s = time.perf_counter() - te
        val_mae = evaluate(model, val_batches)
        test_mae = evaluate(model, test_batches) if test_batches else float("nan")
        improved = math.isfinite(val_mae) and (best is None or val_mae < best["val_mae"])
        if improved:
            best = {"epoch": epoch, "val_mae": val_mae, "test_mae": test_mae}
        dt = time.perf_counter() - te
        history.append({"epoch": epoch, "train_loss": train_loss, "val_mae": val_mae, "test_mae": test_mae,
                        "lr": lr, "time_s": dt, "train_s": train_s, "eval_s": dt - train_s, "best": improved})
        el = time.perf_counter() - t0
        eta = el / epoch * (a.epochs - epoch)
        log(
            f"epoch {epoch}/{a.epochs} train_loss {train_loss:.4g} val_mae {val_mae:.4g} test_mae {test_mae:.4g} "
            f"lr {lr:.2e} {dt:.1f}s (eval {dt - train_s:.1f}s){' *best' if improved else ''} (best {best['epoch'] if best else 0}, eta {eta:.0f}s)"
        )
    wall = time.perf_counter() - t0
    print(json.dumps({
        "impl": "pytorch",
        "pe": a.pe,
        "dataset": meta["dataset"],
        "test_mae": best["test_mae"] if best else None,
        "best_epoch": best["epoch"] if best else 0,
        "best_val_mae": best["val_mae"] if best else None,
        "epochs_run": len(history),
        "wall_time_s": wall,
        "total_time_s": time.perf_counter() - t_start,
        "params": params,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "config": {
            "hidden": a.hidden, "layers": a.layers, "batch_size": bs, "lr": a.lr, "weight_decay": a.weight_decay,
            "warmup": a.warmup, "epochs": a.epochs, "max_steps": a.max_steps or None, "steps_per_epoch": steps_per_epoch,
            "seed": a.seed, "init": a.init, "shuffle": shuffle, "spe": spe_cfg if a.pe == "spe" else None,
            "limit": meta.get("limit"), "split_sizes": meta["splitSizes"],
        },
        "history": history,
    }))


if __name__ == "__main__":
    main()
