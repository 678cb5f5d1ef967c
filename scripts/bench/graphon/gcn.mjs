// A 2-layer GCN (Kipf & Welling 2017) in TensorFlow.js for the transferability experiment:
//   H1 = ReLU(Â X W1 + b1), H2 = ReLU(Â H1 W2 + b2), logits = H2 W3 + b3, log-softmax, NLL,
// Â = D̃^{-1/2}(A + I)D̃^{-1/2} (PyG GCNConv's default normalization), widths 32/32, linear readout
// (Le, Ruiz & Jegelka's GNN('gcn', [F, ·, 32], [32, C]) has GCNConv layers and one Linear).
// tfjs has no sparse matmul, so both sparse products run on the host in JS, wrapped in tf.customGrad:
//   X W1 (X the constant sparse feature matrix): value X·W, gradient w.r.t. W = Xᵀ·dY;
//   Â Z: value Â·Z, gradient Â·dY (Â symmetric).
// This is the exact GCN (not SGC's pre-propagated features): the ReLU sits between the two Â's.
import { createRng } from '@graphpe/spectral';

/** Â with self-loops, symmetric normalization, as Float32 CSR. */
export function gcnAdjacency(g) {
  const { n, indptr, indices, weights } = g;
  const deg = new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++)
    for (let p = indptr[i]; p < indptr[i + 1]; p++) if (indices[p] !== i) deg[i] += weights[p];
  const s = deg.map((d) => 1 / Math.sqrt(d));
  const ip = new Int32Array(n + 1);
  const idx = [];
  const val = [];
  for (let i = 0; i < n; i++) {
    idx.push(i);
    val.push(s[i] * s[i]);
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const j = indices[p];
      if (j === i) continue;
      idx.push(j);
      val.push(s[i] * weights[p] * s[j]);
    }
    ip[i + 1] = idx.length;
  }
  return { n, m: n, indptr: ip, indices: Int32Array.from(idx), values: Float32Array.from(val) };
}

/** Sparse rows of a CSR feature matrix (binary values unless `values`), restricted to `nodes`. */
export function featureRows(X, nodes) {
  const ip = [0];
  const idx = [];
  const val = [];
  for (const v of nodes) {
    for (let p = X.indptr[v]; p < X.indptr[v + 1]; p++) {
      idx.push(X.indices[p]);
      val.push(X.values ? X.values[p] : 1);
    }
    ip.push(idx.length);
  }
  return {
    n: nodes.length,
    m: X.F,
    indptr: Int32Array.from(ip),
    indices: Int32Array.from(idx),
    values: Float32Array.from(val),
  };
}

/** Y = M Z (M n×m CSR, Z m×d row-major). */
function spmm(M, Z, d) {
  const Y = new Float32Array(M.n * d);
  for (let i = 0; i < M.n; i++) {
    const o = i * d;
    for (let p = M.indptr[i]; p < M.indptr[i + 1]; p++) {
      const v = M.values[p];
      const jo = M.indices[p] * d;
      for (let c = 0; c < d; c++) Y[o + c] += v * Z[jo + c];
    }
  }
  return Y;
}

/** Y = Mᵀ Z (M n×m CSR, Z n×d): m×d. */
function spmmT(M, Z, d) {
  const Y = new Float32Array(M.m * d);
  for (let i = 0; i < M.n; i++) {
    const o = i * d;
    for (let p = M.indptr[i]; p < M.indptr[i + 1]; p++) {
      const v = M.values[p];
      const jo = M.indices[p] * d;
      for (let c = 0; c < d; c++) Y[jo + c] += v * Z[o + c];
    }
  }
  return Y;
}

/** The graph a GCN runs on: Â, sparse features, labels, and the nodes that count for loss/metrics. */
export function gcnContext(tf, g, X, labels, C) {
  const A = gcnAdjacency(g);
  const aHat = tf.customGrad((z) => {
    const d = z.shape[1];
    const value = tf.tensor2d(spmm(A, z.dataSync(), d), [A.n, d]);
    return { value, gradFunc: (dy) => tf.tensor2d(spmm(A, dy.dataSync(), d), [A.n, d]) };
  });
  const xMul = tf.customGrad((w) => {
    const h = w.shape[1];
    const value = tf.tensor2d(spmm(X, w.dataSync(), h), [X.n, h]);
    return { value, gradFunc: (dy) => tf.tensor2d(spmmT(X, dy.dataSync(), h), [X.m, h]) };
  });
  return { n: g.n, aHat, xMul, labels, C };
}

function glorot(tf, rng, rows, cols) {
  const a = Math.sqrt(6 / (rows + cols));
  const w = new Float32Array(rows * cols);
  for (let i = 0; i < w.length; i++) w[i] = (2 * rng.next() - 1) * a;
  return tf.variable(tf.tensor2d(w, [rows, cols]));
}

/** Glorot-uniform weights, zero biases, seeded. */
export function gcnParams(tf, F, C, hidden = 32, seed = 0) {
  const rng = createRng(seed);
  return {
    W1: glorot(tf, rng, F, hidden),
    b1: tf.variable(tf.zeros([hidden])),
    W2: glorot(tf, rng, hidden, hidden),
    b2: tf.variable(tf.zeros([hidden])),
    W3: glorot(tf, rng, hidden, C),
    b3: tf.variable(tf.zeros([C])),
  };
}

export function gcnForward(tf, ctx, P) {
  const h1 = tf.relu(tf.add(ctx.aHat(ctx.xMul(P.W1)), P.b1));
  const h2 = tf.relu(tf.add(ctx.aHat(tf.matMul(h1, P.W2)), P.b2));
  return tf.add(tf.matMul(h2, P.W3), P.b3);
}

/** Accuracy of argmax predictions on `nodes` (of ctx's graph). */
export function gcnAccuracy(tf, ctx, P, nodes) {
  if (nodes.length === 0) return Number.NaN;
  const pred = tf.tidy(() => tf.argMax(gcnForward(tf, ctx, P), 1).dataSync());
  let ok = 0;
  for (const v of nodes) if (pred[v] === ctx.labels[v]) ok++;
  return ok / nodes.length;
}

/**
 * Adam on the NLL over `train` nodes for `epochs`; after every epoch the validation accuracy on `val`
 * is measured and the best weights kept (strict improvement, starting from the untrained model, as in
 * the reference's train()). Returns the kept weights.
 */
export function gcnTrain(tf, ctx, P, { train, val, epochs = 100, lr = 1e-3 }) {
  const onehot = new Float32Array(ctx.n * ctx.C);
  for (const v of train) onehot[v * ctx.C + ctx.labels[v]] = 1;
  const target = tf.tensor2d(onehot, [ctx.n, ctx.C]);
  const opt = tf.train.adam(lr);
  const vars = Object.values(P);
  const snapshot = () => Object.fromEntries(Object.entries(P).map(([k, v]) => [k, v.clone()]));
  let best = snapshot();
  let bestAcc = 0;
  let bestEpoch = -1;
  for (let e = 0; e < epochs; e++) {
    opt.minimize(
      () => {
        const logp = tf.logSoftmax(gcnForward(tf, ctx, P));
        return tf.div(tf.neg(tf.sum(tf.mul(logp, target))), Math.max(1, train.length));
      },
      false,
      vars,
    );
    const acc = gcnAccuracy(tf, ctx, P, val);
    if (acc > bestAcc) {
      bestAcc = acc;
      bestEpoch = e;
      for (const t of Object.values(best)) t.dispose();
      best = snapshot();
    }
  }
  target.dispose();
  opt.dispose();
  return { params: best, bestVal: bestAcc, bestEpoch };
}

export function disposeParams(P) {
  for (const t of Object.values(P)) t.dispose();
}
