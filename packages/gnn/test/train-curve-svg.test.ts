import {
  CHART_PALETTE,
  chartBox,
  chartExtent,
  escapeXml,
  learningCurveSvg,
  lineChart,
  niceTicks,
} from '@graphpe/gnn';
import { describe, expect, it } from 'vitest';
import { checkWellFormed } from './svg-helpers.js';

describe('SVG line chart and chart pieces', () => {
  it('line chart with two axes, NaN gaps skipped, escaped labels', () => {
    const svg = lineChart({
      title: 'loss <&> "metric"',
      xLabel: 'epoch',
      yLabel: 'L1',
      y2Label: 'MAE',
      series: [
        { name: 'train', x: [1, 2, 3, 4], y: [1, 0.5, Number.NaN, 0.2] },
        { name: 'val', x: [1, 2, 3, 4], y: [0.9, 0.7, 0.6, 0.55], rightAxis: true, dashed: true },
      ],
    });
    checkWellFormed(svg);
    expect(svg).toContain('loss &lt;&amp;&gt; &quot;metric&quot;');
    expect((svg.match(/<polyline/g) ?? []).length).toBe(2);
    expect(svg).not.toContain('NaN');
  });

  it('log-scale line chart and a single-point series', () => {
    const svg = lineChart({
      logY: true,
      series: [
        { name: 'a', x: [0, 1, 2], y: [100, 10, 0.1] },
        { name: 'b', x: [1], y: [5] },
      ],
    });
    checkWellFormed(svg);
    expect(svg).toContain('<circle');
  });

  it('learning curve from a training history', () => {
    const svg = learningCurveSvg(
      [
        {
          epoch: 1,
          trainLoss: 1,
          lr: 1e-3,
          val: { loss: 1, mae: 0.9 },
          test: { loss: 1, mae: 0.95 },
          timeS: 1,
          best: true,
        },
        { epoch: 2, trainLoss: 0.5, lr: 1e-3, val: { loss: 0.6, mae: 0.6 }, timeS: 1, best: true },
      ],
      'mae',
      'l1',
    );
    checkWellFormed(svg);
    expect(svg).toContain('val mae');
  });

  it('nice ticks and escaping helpers', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 100, 4)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(escapeXml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });

  it('chart pieces: default 640 × 400 box with margins, padded extent, eight colours', () => {
    expect(chartBox({})).toEqual({ w: 640, h: 400, x0: 64, x1: 576, y0: 352, y1: 40 });
    expect(chartBox({ width: 300, height: 200 })).toMatchObject({ w: 300, h: 200, x1: 236, y0: 152 });
    expect(chartExtent([])).toEqual([0, 1]);
    expect(chartExtent([Number.NaN, 2, 2])).toEqual([1.8, 2.2]);
    expect(chartExtent([0, 10])).toEqual([-0.5, 10.5]);
    expect(new Set(CHART_PALETTE).size).toBe(8);
  });
});
