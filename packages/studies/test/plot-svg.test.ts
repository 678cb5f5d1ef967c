import { groupedBarChart, scatterChart } from '@graphpe/studies';
import { describe, expect, it } from 'vitest';
import { checkWellFormed } from '../../gnn/test/svg-helpers.js';

describe('SVG bar and scatter charts', () => {
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
});
