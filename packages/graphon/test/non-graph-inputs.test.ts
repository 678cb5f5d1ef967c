import { fromCoo, type Graph, GraphpeError } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';
import {
  bandlimitedBasis,
  coarseGraph,
  cutoffEstimate,
  degreeOrder,
  inducedSubgraph,
  intervalSelect,
  pesensonConstant,
  plantedPartition,
  proxySelect,
  sampleGraph,
} from '../src/index.js';

const ENTRY_POINTS: [string, (g: Graph) => unknown][] = [
  ['bandlimitedBasis', (g) => bandlimitedBasis(g, { k: 2 })],
  ['proxySelect', (g) => proxySelect(g, { budget: 2 })],
  ['cutoffEstimate', (g) => cutoffEstimate(g, [0])],
  ['coarseGraph', (g) => coarseGraph(g, 2)],
  ['intervalSelect', (g) => intervalSelect(g, { q: 2, p: 1, r: 1 })],
  ['degreeOrder', (g) => degreeOrder(g)],
  ['pesensonConstant', (g) => pesensonConstant(g, [0])],
  ['inducedSubgraph', (g) => inducedSubgraph(g, [0, 1])],
];

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('graphon entry points refuse values that are not Graphs', () => {
  it('a sampleGraph / inducedSubgraph result, a list, an empty object, null: E_SHAPE saying what was passed', () => {
    const sample = sampleGraph(plantedPartition(2, 0.9, 0.5), 12, { seed: 1 });
    const g = fromCoo([0, 1, 2], [1, 2, 3], undefined);
    const cases: [unknown, string][] = [
      [sample, '(got an object with keys graph, latent'],
      [
        inducedSubgraph(g, [0, 1, 2]),
        "(got an object with keys graph, nodes, removed); it has a 'graph' field: pass its .graph instead",
      ],
      [[g], '(got an array of length 1); pass one Graph, not a list'],
      [{}, '(got an empty object)'],
      [null, '(got null)'],
    ];
    for (const [value, says] of cases) {
      for (const [name, run] of ENTRY_POINTS) {
        const err = caught(() => run(value as Graph));
        expect(err, `${name}: ${says}`).toBeInstanceOf(GraphpeError);
        const e = err as GraphpeError;
        expect(e.code, `${name}: ${e.message}`).toBe('E_SHAPE');
        expect(e.message, name).toContain(`graphon.${name}: graph is not a CSR Graph`);
        expect(e.message, name).toContain(says);
      }
    }
    // The graph itself is taken.
    for (const [name, run] of ENTRY_POINTS)
      expect(
        caught(() => run(sample.graph)),
        name,
      ).toBeUndefined();
  });
});
