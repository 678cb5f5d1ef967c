// graphRecords for lap+frame: the cap on framed columns per graph (2^m passes) is an error by default,
// and with frameOverflow 'drop' the extra flagged columns are zeroed, left out of the frame and reported.
import { type GraphRecord, graphRecords, type PreparedLike } from '@graphpe/gnn';
import { fromEdgeList, type Graph } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';

const path = (n: number): Graph => fromEdgeList(Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as const));

function dataset(graphs: Graph[]): PreparedLike {
  return {
    graphs: graphs.map((graph) => ({
      n: graph.n,
      graph,
      atomFeatures: new Int32Array(graph.n),
      bondFeatures: new Int32Array(graph.indices.length / 2),
    })) as unknown as PreparedLike['graphs'],
    targets: new Float32Array(graphs.length),
    numTasks: 1,
    eigen: undefined,
    pe: [],
  } as unknown as PreparedLike;
}

type Framed = GraphRecord & { frameColumns: Int32Array; eig: { k: number; vectors: ArrayLike<number> } };

describe('graphRecords lap+frame cap', () => {
  // P6: three sign-non-canonizable simple eigenvectors (a sign frame of 2^3 elements).
  const ds = dataset([path(6), path(3)]);

  it('frames every flagged column under the cap', () => {
    const [p6] = graphRecords(ds, [0], { pe: 'lap+frame' }) as Framed[];
    expect(p6!.frameColumns.length).toBe(3);
  });

  it('errors past the cap by default, naming the row', () => {
    expect(() => graphRecords(ds, [1, 0], { pe: 'lap+frame', maxFrameBits: 2 })).toThrowError(
      expect.objectContaining({
        code: 'E_TOO_LARGE',
        message: expect.stringMatching(/row 0 has 3 .*maxFrameBits = 2/),
      }),
    );
  });

  it("with 'drop': keeps the first columns, zeroes the others' eigenvectors and reports it", () => {
    const full = (graphRecords(ds, [0], { pe: 'lap+frame' }) as Framed[])[0]!;
    const lines: string[] = [];
    const [p6, p3] = graphRecords(ds, [0, 1], {
      pe: 'lap+frame',
      maxFrameBits: 1,
      frameOverflow: 'drop',
      log: (l) => lines.push(l),
    }) as Framed[];
    expect(Array.from(p6!.frameColumns)).toEqual([full.frameColumns[0]]);
    const { k, vectors } = p6!.eig;
    for (let q = 0; q < full.frameColumns.length; q++) {
      const j = full.frameColumns[q]!;
      for (let i = 0; i < 6; i++) {
        const want = q === 0 ? full.eig.vectors[i * k + j] : 0;
        expect(vectors[i * k + j]).toBe(want);
      }
    }
    // columns that were not flagged are untouched
    for (let j = 0; j < k; j++) {
      if (Array.from(full.frameColumns).includes(j)) continue;
      for (let i = 0; i < 6; i++) expect(vectors[i * k + j]).toBe(full.eig.vectors[i * k + j]);
    }
    expect(p3!.frameColumns.length).toBeLessThanOrEqual(1);
    expect(lines).toEqual([
      "lap+frame: 1 of 2 graphs had more than 1 sign-non-canonizable columns; their 2 extra columns were zeroed (frameOverflow 'drop')",
    ]);
  });

  it('only counts columns below frameK', () => {
    const [p6] = graphRecords(ds, [0], { pe: 'lap+frame', frameK: 1, maxFrameBits: 0 }) as Framed[];
    const full = (graphRecords(ds, [0], { pe: 'lap+frame' }) as Framed[])[0]!;
    expect(Array.from(full.frameColumns).some((j) => j < 1)).toBe(false);
    expect(p6!.frameColumns.length).toBe(3); // nothing below frameK: the record is unchanged
  });
});
