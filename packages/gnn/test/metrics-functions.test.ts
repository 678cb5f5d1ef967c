import { initBackend, tf } from '@graphpe/encodings/learned';
import {
  checkMetricForTask,
  computeMetric,
  datasetInfo,
  higherIsBetter,
  listDatasets,
  mae,
  maskedLoss,
  maskedLossHost,
  metricsForTask,
  multiTaskRocAuc,
  rmse,
  rocAuc,
} from '@graphpe/gnn';
import { beforeAll, describe, expect, it } from 'vitest';

describe('metrics', () => {
  it('metricsForTask / checkMetricForTask: mae and rmse for regression, rocauc for classification', () => {
    expect(metricsForTask('regression')).toEqual(['mae', 'rmse']);
    expect(metricsForTask('binary')).toEqual(['rocauc']);
    expect(metricsForTask('multitask-binary')).toEqual(['rocauc']);
    expect(checkMetricForTask('rmse', 'regression', { where: 'w', what: 'x' })).toBe('rmse');
    expect(() =>
      checkMetricForTask('rocauc', 'regression', { where: 'graphpe train', what: 'esol', flag: '--metric' }),
    ).toThrow(/^graphpe train: --metric rocauc does not fit esol; use one of mae, rmse$/);
    expect(() => checkMetricForTask('mae', 'binary', { where: 'w', what: 'bbbp' })).toThrow(
      expect.objectContaining({ code: 'E_OPTION', message: 'w: metric mae does not fit bbbp; use rocauc' }),
    );
    expect([higherIsBetter('mae'), higherIsBetter('rmse'), higherIsBetter('rocauc')]).toEqual([
      false,
      false,
      true,
    ]);
    // Every registered dataset's official metric fits its task (train's default must not be refused).
    for (const d of listDatasets()) expect(metricsForTask(d.task)).toContain(d.metric);
    expect(datasetInfo('ogbg-molesol').metric).toBe('rmse');
  });

  it('MAE and RMSE skip missing labels (NaN or mask 0)', () => {
    expect(mae([1, 2, 3], [1.5, Number.NaN, 1])).toBeCloseTo(1.25, 12);
    expect(rmse([1, 2, 3], [1.5, Number.NaN, 1])).toBeCloseTo(Math.sqrt(2.125), 12);
    expect(mae([1, 2, 3], [1.5, 0, 1], [1, 0, 1])).toBeCloseTo(1.25, 12);
    expect(Number.isNaN(mae([1], [Number.NaN]))).toBe(true);
  });

  it('ROC-AUC without ties', () => {
    // sklearn roc_auc_score([0,0,1,1], [0.1,0.4,0.35,0.8]) = 0.75
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(rocAuc([0.1, 0.2, 0.3, 0.4], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.4, 0.3, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
  });

  it('ROC-AUC gives tied scores their average rank', () => {
    // pairs (pos, neg): (0.5, 0.5) ×2 count ½ each, (0.9, ·) ×2 count 1 → 3 / 4
    expect(rocAuc([0.5, 0.5, 0.5, 0.9], [0, 1, 0, 1])).toBeCloseTo(0.75, 12);
    expect(rocAuc([1, 1, 1, 1], [0, 1, 0, 1])).toBeCloseTo(0.5, 12);
    // one class only → NaN
    expect(Number.isNaN(rocAuc([0.1, 0.2], [1, 1]))).toBe(true);
  });

  it('multi-task ROC-AUC: mean over tasks with both classes, missing labels skipped', () => {
    // rows × tasks (3 tasks); task 1 has only negatives among its present labels
    const labels = [1, 0, 1, 0, 0, 0, 1, Number.NaN, 0, Number.NaN, 0, 1];
    const scores = [0.9, 0.7, 0.3, 0.1, 0.2, 0.6, 0.2, 0.4, 0.1, 0.5, 0.3, 0.6];
    const r = multiTaskRocAuc(scores, labels, 3);
    // task 0: pos {0.9, 0.2}, neg {0.1} → 1
    expect(r.perTask[0]).toBeCloseTo(1, 12);
    expect(Number.isNaN(r.perTask[1] as number)).toBe(true);
    // task 2: pos {0.3, 0.6}, neg {0.6, 0.1} → (0 + 1 + ½ + 1) / 4
    expect(r.perTask[2]).toBeCloseTo(0.625, 12);
    expect(r.validTasks).toBe(2);
    expect(r.mean).toBeCloseTo(0.8125, 12);
    expect(computeMetric('rocauc', scores, labels, 3)).toBeCloseTo(0.8125, 12);
    // the same through an explicit mask
    const mask = labels.map((v) => (Number.isNaN(v) ? 0 : 1));
    const zeroed = labels.map((v) => (Number.isNaN(v) ? 0 : v));
    expect(multiTaskRocAuc(scores, zeroed, 3, mask).mean).toBeCloseTo(0.8125, 12);
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`masked losses on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });
    it('tensor losses match hand values and the host versions, ignoring masked entries', () => {
      const pred = [0, 2, -1, 5];
      const target = [1, 1, 0, 100];
      const mask = [1, 1, 1, 0];
      const run = (name: 'l1' | 'mse' | 'bce') =>
        tf.tidy(
          () =>
            maskedLoss(
              name,
              tf.tensor2d(pred, [2, 2]),
              tf.tensor2d(target, [2, 2]),
              tf.tensor2d(mask, [2, 2]),
            ).dataSync()[0],
        );
      expect(run('l1')).toBeCloseTo(1, 6);
      expect(run('mse')).toBeCloseTo(1, 6);
      const bce = (Math.log(2) + (2 + Math.log1p(Math.exp(-2)) - 2) + Math.log1p(Math.exp(-1))) / 3;
      expect(run('bce')).toBeCloseTo(bce, 5);
      for (const name of ['l1', 'mse', 'bce'] as const) {
        expect(run(name)).toBeCloseTo(maskedLossHost(name, pred, target, mask), 5);
      }
    });
  });
}
