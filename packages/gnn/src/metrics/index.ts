/**
 * Evaluation metrics on host arrays, with masks for missing labels: MAE, RMSE and ROC-AUC (ties get the
 * average rank, i.e. the Mann–Whitney U statistic, as sklearn's `roc_auc_score`), and the OGB-style mean
 * ROC-AUC over tasks that have both classes present (ogb `Evaluator` for molpcba/moltox21).
 *
 * Multi-target arrays are row-major [rows × tasks]. A label is present when its mask entry is 1 (default:
 * when the label is finite).
 */
import { GraphpeError } from '@graphpe/spectral';

function present(y: ArrayLike<number>, mask: ArrayLike<number> | undefined, i: number): boolean {
  return mask ? mask[i] === 1 : Number.isFinite(y[i] as number);
}

function checkLen(where: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw new GraphpeError('E_SHAPE', `gnn.metrics.${where}: ${a.length} predictions for ${b.length} labels`);
  }
}

/** Mean |pred − y| over present labels (NaN when none). */
export function mae(pred: ArrayLike<number>, y: ArrayLike<number>, mask?: ArrayLike<number>): number {
  checkLen('mae', pred, y);
  let s = 0;
  let c = 0;
  for (let i = 0; i < y.length; i++) {
    if (!present(y, mask, i)) continue;
    s += Math.abs((pred[i] as number) - (y[i] as number));
    c++;
  }
  return c === 0 ? Number.NaN : s / c;
}

/** √(mean (pred − y)²) over present labels (NaN when none). */
export function rmse(pred: ArrayLike<number>, y: ArrayLike<number>, mask?: ArrayLike<number>): number {
  checkLen('rmse', pred, y);
  let s = 0;
  let c = 0;
  for (let i = 0; i < y.length; i++) {
    if (!present(y, mask, i)) continue;
    s += ((pred[i] as number) - (y[i] as number)) ** 2;
    c++;
  }
  return c === 0 ? Number.NaN : Math.sqrt(s / c);
}

/**
 * Binary ROC-AUC of scores against 0/1 labels (present labels only; a label counts as positive when > 0.5).
 * Ties among scores get their average rank. NaN when only one class is present.
 */
export function rocAuc(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  mask?: ArrayLike<number>,
): number {
  checkLen('rocAuc', scores, labels);
  const idx: number[] = [];
  for (let i = 0; i < labels.length; i++) if (present(labels, mask, i)) idx.push(i);
  idx.sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let pos = 0;
  let rankSumPos = 0;
  let r = 0;
  while (r < idx.length) {
    let e = r + 1;
    const s = scores[idx[r] as number] as number;
    while (e < idx.length && scores[idx[e] as number] === s) e++;
    const avgRank = (r + 1 + e) / 2; // ranks r+1..e, 1-based
    for (let q = r; q < e; q++) {
      if ((labels[idx[q] as number] as number) > 0.5) {
        pos++;
        rankSumPos += avgRank;
      }
    }
    r = e;
  }
  const neg = idx.length - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Per-task ROC-AUC of [rows × tasks] arrays, and their mean over tasks with both classes present. */
export function multiTaskRocAuc(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  tasks: number,
  mask?: ArrayLike<number>,
): { mean: number; perTask: number[]; validTasks: number } {
  checkLen('multiTaskRocAuc', scores, labels);
  if (!(Number.isInteger(tasks) && tasks >= 1) || labels.length % tasks !== 0) {
    throw new GraphpeError(
      'E_SHAPE',
      `gnn.metrics.multiTaskRocAuc: ${labels.length} labels is not rows × ${tasks}`,
    );
  }
  const rows = labels.length / tasks;
  const perTask: number[] = [];
  let sum = 0;
  let valid = 0;
  for (let t = 0; t < tasks; t++) {
    const s = new Float64Array(rows);
    const l = new Float64Array(rows);
    const m = new Uint8Array(rows);
    for (let r = 0; r < rows; r++) {
      const i = r * tasks + t;
      s[r] = scores[i] as number;
      l[r] = labels[i] as number;
      m[r] = present(labels, mask, i) ? 1 : 0;
    }
    const auc = rocAuc(s, l, m);
    perTask.push(auc);
    if (!Number.isNaN(auc)) {
      sum += auc;
      valid++;
    }
  }
  return { mean: valid === 0 ? Number.NaN : sum / valid, perTask, validTasks: valid };
}

export type MetricName = 'mae' | 'rmse' | 'rocauc';

/** Every metric name, in the order they are listed to users. */
export const METRIC_NAMES: readonly MetricName[] = ['mae', 'rmse', 'rocauc'];

/** Whether larger is better for a metric. */
export function higherIsBetter(m: MetricName): boolean {
  return m === 'rocauc';
}

/** The metrics that fit a task: MAE and RMSE for 'regression', ROC-AUC for (multi-task) binary classification. */
export function metricsForTask(task: string): MetricName[] {
  return task === 'regression' ? ['mae', 'rmse'] : ['rocauc'];
}

/**
 * `metric` when it is a metric of `task`, else `E_OPTION` naming the metrics that fit. `where` prefixes the
 * message, `what` names the task's owner (e.g. `ogbg-molesol, a regression dataset`) and `flag` the option
 * that gave the metric [`metric`].
 */
export function checkMetricForTask(
  metric: string,
  task: string,
  context: { where: string; what: string; flag?: string },
): MetricName {
  const valid = metricsForTask(task);
  if (!(valid as string[]).includes(metric)) {
    throw new GraphpeError(
      'E_OPTION',
      `${context.where}: ${context.flag ?? 'metric'} ${metric} does not fit ${context.what}; use ${valid.length === 1 ? valid[0] : `one of ${valid.join(', ')}`}`,
      { metric, task, valid },
    );
  }
  return metric as MetricName;
}

/** Computes a named metric over [rows × tasks] predictions (scores/logits for ROC-AUC). */
export function computeMetric(
  name: MetricName,
  pred: ArrayLike<number>,
  y: ArrayLike<number>,
  tasks: number,
  mask?: ArrayLike<number>,
): number {
  if (name === 'mae') return mae(pred, y, mask);
  if (name === 'rmse') return rmse(pred, y, mask);
  if (name === 'rocauc') return multiTaskRocAuc(pred, y, tasks, mask).mean;
  throw new GraphpeError('E_OPTION', `gnn.metrics: unknown metric '${String(name)}' (mae, rmse, rocauc)`);
}
