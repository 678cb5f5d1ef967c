import {
  escapeXml,
  groupedBarChart,
  learningCurveSvg,
  lineChart,
  niceTicks,
  scatterChart,
} from '@graphpe/gnn';
import { describe, expect, it } from 'vitest';

/** A minimal XML well-formedness check: balanced tags, quoted attributes, escaped text, one root <svg>. */
function checkWellFormed(svg: string): void {
  const stack: string[] = [];
  const re = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->/g;
  let last = 0;
  let roots = 0;
  let m: RegExpExecArray | null = re.exec(svg);
  while (m !== null) {
    const text = svg.slice(last, m.index);
    expect(text).not.toMatch(/[<>]/);
    expect(text).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
    const [, close, name, , selfClose] = m;
    if (close) expect(stack.pop()).toBe(name);
    else if (!selfClose) {
      if (stack.length === 0) roots++;
      stack.push(name!);
    } else if (stack.length === 0) roots++;
    last = m.index + m[0].length;
    m = re.exec(svg);
  }
  expect(svg.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
  expect(svg.trimStart().startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
}

describe('SVG writers', () => {
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

  it('grouped bars with error bars and a scatter with a diagonal', () => {
    const bars = groupedBarChart({
      title: 'OOD',
      groups: ['iid_test', 'ood_test'],
      series: [
        { name: 'none', values: [0.7, 0.65], errors: [0.01, 0.02] },
        { name: 'spe', values: [0.72, Number.NaN] },
      ],
      yMin: 0.5,
    });
    checkWellFormed(bars);
    expect((bars.match(/<rect /g) ?? []).length).toBe(2 + 3); // background + frame + 3 finite bars
    const sc = scatterChart({
      diagonal: true,
      series: [
        {
          name: 'pe',
          points: [
            { x: 0.7, y: 0.65, label: 'none' },
            { x: 0.72, y: 0.69, label: 'spe & co' },
          ],
        },
      ],
    });
    checkWellFormed(sc);
    expect(sc).toContain('spe &amp; co');
    expect(sc).toContain('stroke-dasharray="4,3"');
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
});
