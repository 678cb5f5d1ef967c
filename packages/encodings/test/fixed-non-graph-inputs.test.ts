import { compose, eigenspaceProjectors, heatKernelDiag, lapPE, PeContext, rwse } from '@graphpe/encodings';
import { fromCoo, type Graph, GraphpeError } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';

const ENTRY_POINTS: [string, (g: Graph) => unknown][] = [
  ['lapPE', (g) => lapPE({ k: 2 })(g)],
  ['heatKernelDiag', (g) => heatKernelDiag({ times: [1] })(g)],
  ['eigenspaceProjectors', (g) => eigenspaceProjectors({ k: 2 })(g)],
  ['rwse', (g) => rwse({ steps: 2 })(g)],
  ['compose', (g) => compose(lapPE({ k: 2 }), rwse({ steps: 2 }))(g)],
  ['PeContext', (g) => new PeContext(g)],
];

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('fixed PEs refuse values that are not Graphs', () => {
  it('{ graph, nodes }, lists, empty objects and primitives: E_SHAPE saying what was passed', () => {
    const g = fromCoo([0, 1], [1, 2], undefined);
    const cases: [unknown, string][] = [
      [{ graph: g, nodes: ['a', 'b', 'c'] }, "it has a 'graph' field: pass its .graph instead"],
      [[g], 'pass one Graph, not a list'],
      [{}, '(got an empty object)'],
      [null, '(got null)'],
      [7, '(got number 7)'],
    ];
    for (const [value, says] of cases) {
      for (const [name, run] of ENTRY_POINTS) {
        const err = caught(() => run(value as Graph));
        expect(err, `${name}: ${says}`).toBeInstanceOf(GraphpeError);
        const e = err as GraphpeError;
        expect(e.code, `${name}: ${e.message}`).toBe('E_SHAPE');
        expect(e.message, name).toMatch(/^encodings\.\w+: graph is not a CSR Graph/);
        expect(e.message, name).toContain(says);
      }
    }
    // The same graph, passed as it should be, works.
    for (const [name, run] of ENTRY_POINTS)
      expect(
        caught(() => run(g)),
        name,
      ).toBeUndefined();
  });
});
