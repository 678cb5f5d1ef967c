import {
  applySignConvention,
  assembleSpectrum,
  degrees,
  eigenGroups,
  fromEdgeList,
  type Graph,
  GraphpeError,
  type GraphpeErrorCode,
  invSqrtDegrees,
  type LaplacianKind,
  laplacianCsr,
  laplacianDense,
  laplacianEighBatch,
  laplacianEigsh,
  laplacianOperator,
  spectralDiagonals,
  spectrum,
  symToRwVectors,
} from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';

function expectError(fn: () => unknown, code: GraphpeErrorCode, ...parts: string[]): void {
  let err: unknown;
  try {
    fn();
  } catch (x) {
    err = x;
  }
  expect(err, 'expected a GraphpeError').toBeInstanceOf(GraphpeError);
  expect((err as GraphpeError).code, (err as Error).message).toBe(code);
  for (const part of parts) expect((err as Error).message).toContain(part);
}

const P3 = (): Graph =>
  fromEdgeList([
    [0, 1],
    [1, 2],
  ]);
const C4 = (): Graph =>
  fromEdgeList([
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 0],
  ]);
const foo = 'foo' as unknown as LaplacianKind;

describe('options of the spectral package are checked', () => {
  it('Laplacian kinds', () => {
    expectError(
      () => laplacianDense(P3(), foo),
      'E_OPTION',
      'spectral.laplacianDense',
      "'sym', 'rw' or 'comb'",
      'foo',
    );
    expectError(() => laplacianCsr(P3(), foo), 'E_OPTION', 'spectral.laplacianCsr', 'foo');
    expectError(() => laplacianOperator(P3(), foo), 'E_OPTION', 'spectral.laplacianOperator', 'foo');
  });

  it('buffer lengths', () => {
    expectError(
      () => laplacianDense(P3(), 'sym', new Float64Array(4)),
      'E_SHAPE',
      'out must be',
      'n² = 9',
      'length 4',
    );
    const op = laplacianOperator(P3());
    expectError(() => op.matvec(new Float64Array(2), new Float64Array(3)), 'E_SHAPE', 'n = 3', 'x length 2');
    expectError(() => op.matvec(new Float64Array(3), new Float64Array(1)), 'E_SHAPE', 'y length 1');
    expectError(() => degrees(P3(), new Float64Array(2)), 'E_OPTION', 'spectral.degrees', 'length 2');
    expectError(
      () => invSqrtDegrees(new Float64Array(3), new Float64Array(1)),
      'E_OPTION',
      'spectral.invSqrtDegrees',
    );
    expectError(
      () => symToRwVectors(new Float64Array(5), 3, 2, new Float64Array(3)),
      'E_OPTION',
      'spectral.symToRwVectors',
      'vectors 5',
    );
    expectError(
      () =>
        spectralDiagonals(
          new Float64Array(9),
          3,
          3,
          Int32Array.from([9]),
          1,
          new Float64Array(1),
          1,
          new Float64Array(3),
        ),
      'E_OPTION',
      'cols[0] must be a column index in [0, 3)',
      '9',
    );
    expectError(
      () => applySignConvention(new Float64Array(3), 2, 2, 'max-abs-positive'),
      'E_OPTION',
      'n·k = 4',
    );
    expectError(
      () => applySignConvention(new Float64Array(4), 2, 2, 'bogus' as 'none'),
      'E_OPTION',
      "'none' or 'max-abs-positive'",
    );
  });

  it('edge-list policies and sizes', () => {
    expectError(
      () =>
        fromEdgeList(
          [
            [0, 1],
            [0, 1],
          ],
          { duplicates: 'bogus' as 'sum' },
        ),
      'E_OPTION',
      "duplicates must be 'sum' or 'error'",
      'bogus',
    );
    expectError(
      () => fromEdgeList([[0, 1]], { selfLoops: 'bogus' as 'keep' }),
      'E_OPTION',
      "selfLoops must be 'keep' or 'drop'",
    );
  });

  it('group tolerances: finite and > 0', () => {
    for (const groupTol of [Number.NaN, -1, 0, Number.POSITIVE_INFINITY]) {
      expectError(
        () => spectrum(C4(), { groupTol }),
        'E_OPTION',
        'spectral.spectrum: groupTol must be finite and > 0',
      );
      expectError(() => eigenGroups([1, 1], 2, { tol: groupTol }), 'E_OPTION', 'spectral.eigenGroups: tol');
    }
    // C4's double eigenvalue 1 is one complete group.
    expect(spectrum(C4()).groups.map((g) => g.multiplicity)).toEqual([1, 2, 1]);
  });

  it('spectrum options: graph, numbers, callbacks, memory cap', () => {
    expectError(() => spectrum(null as unknown as Graph), 'E_SHAPE', 'spectral.spectrum');
    expectError(() => spectrum(P3(), { denseThreshold: -5 }), 'E_OPTION', 'denseThreshold');
    expectError(() => spectrum(P3(), { tol: 0 }), 'E_OPTION', 'spectral.spectrum: tol');
    expectError(() => spectrum(P3(), { maxIter: 1.5 }), 'E_OPTION', 'maxIter');
    expectError(() => spectrum(P3(), { seed: -1 }), 'E_OPTION', 'seed');
    expectError(() => spectrum(P3(), { onProgress: 3 as unknown as () => void }), 'E_OPTION', 'onProgress');
    expectError(
      () => spectrum(P3(), { precondition: 'yes' as unknown as boolean }),
      'E_OPTION',
      'precondition',
    );
    expectError(() => spectrum(P3(), { maxBytes: Number.NaN }), 'E_OPTION', 'maxBytes');
    expectError(() => laplacianEigsh(P3(), { k: 1, seed: 0.5 }), 'E_OPTION', 'spectral.laplacianEigsh: seed');
    expectError(() => laplacianEighBatch([P3()], { workspace: {} as never }), 'E_OPTION', 'workspace');
  });

  it('assembleSpectrum checks k, pad and the vector block', () => {
    const raw = { n: 2, values: [0, 2], vectors: new Float64Array(4), complete: true };
    const base = {
      k: 2,
      laplacian: 'sym' as const,
      pad: 'zero' as const,
      sign: 'none' as const,
      solver: 'dense' as const,
    };
    expectError(() => assembleSpectrum(raw, { ...base, k: 0 }), 'E_OPTION', 'k must be');
    expectError(() => assembleSpectrum(raw, { ...base, pad: 'bogus' as 'zero' }), 'E_OPTION', 'pad');
    expectError(
      () => assembleSpectrum({ ...raw, vectors: new Float64Array(3) }, base),
      'E_OPTION',
      'n·columns = 4',
    );
    expectError(() => assembleSpectrum(raw, { ...base, groupTol: -1 }), 'E_OPTION', 'tol');
  });
});
