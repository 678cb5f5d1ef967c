import {
  buildEdgeTypes,
  type CollateSpec,
  collate,
  edgeTypeTable,
  flipPeSigns,
  type GraphRecord,
} from '@graphpe/gnn';
import { createRng } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';

// A: path 0–1–2, atoms with 2 features (vocab 3, 2), bonds (1,0) and (2,1), edges as src/dst lists.
const A: GraphRecord = {
  n: 3,
  atomFeatures: [0, 1, 2, 0, 1, 1],
  edgeSrc: [0, 1, 1, 2],
  edgeDst: [1, 0, 2, 1],
  bondFeatures: [1, 0, 1, 0, 2, 1, 2, 1],
  y: [0.5, Number.NaN],
  pe: [1, 2, 3, 4, 5, 6, 7, 8, 9],
  peDim: 3,
  eig: { k: 2, values: [0, 1], vectors: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], mask: [1, 1] },
};
// B: one bond (1,0), edges as CSR.
const B: GraphRecord = {
  n: 2,
  atomFeatures: [2, 1, 0, 0],
  graph: { indptr: [0, 1, 2], indices: [1, 0] },
  bondFeatures: [1, 0, 1, 0],
  y: [1, 2],
  pe: [-1, -2, -3, -4, -5, -6],
  peDim: 3,
  eig: { k: 1, values: [0], vectors: [0.7, 0.7] },
};

describe('edge types', () => {
  it('distinct bond tuples, most frequent first, multi-hot rows per bond feature block', () => {
    const t = buildEdgeTypes([A, B], { bondVocab: [3, 2] });
    expect(t.combos).toEqual([
      [1, 0],
      [2, 1],
    ]);
    expect(t.numTypes).toBe(2);
    expect(Array.from(t.multiHot)).toEqual([0, 1, 0, 1, 0, 0, 0, 1, 0, 1]);
    expect(t.typeOf([2, 1])).toBe(1);
    // unseen tuples: the kept tuple sharing most features (earlier features weigh more)
    expect(t.typeOf([0, 1])).toBe(1);
    expect(t.typeOf([1, 1])).toBe(0);
    // vocab inferred from the data when not given
    expect(buildEdgeTypes([A, B]).bondVocab).toEqual([3, 2]);
    // capped
    expect(buildEdgeTypes([A, B], { maxTypes: 1 }).combos).toEqual([[1, 0]]);
    expect(() => edgeTypeTable({ bondVocab: [2], combos: [[2]] })).toThrow(/outside/);
  });
});

describe('collate', () => {
  const edgeTypes = buildEdgeTypes([A, B], { bondVocab: [3, 2] });
  const spec: CollateSpec = { atomVocab: [3, 2], edgeTypes, maxNodes: 4, numTargets: 2, peDim: 2, eigK: 3 };

  it('shapes, multi-hot atoms, typed edge adjacency, masks, targets with missing labels', () => {
    const b = collate([A, B], spec);
    expect([b.batchSize, b.maxNodes, b.nodeDim, b.numEdgeTypes, b.numTargets]).toEqual([2, 4, 5, 2, 2]);
    expect(b.nodeFeatures.length).toBe(2 * 4 * 5);
    expect(b.edgeAdjacency.length).toBe(2 * 4 * 2 * 4);
    expect(b.adjacency.length).toBe(2 * 4 * 4);
    expect(Array.from(b.numNodes)).toEqual([3, 2]);
    // A atom 0 = (0, 1) → columns 0 and 3 + 1
    expect(Array.from(b.nodeFeatures.subarray(0, 5))).toEqual([1, 0, 0, 0, 1]);
    // A atom 1 = (2, 0)
    expect(Array.from(b.nodeFeatures.subarray(5, 10))).toEqual([0, 0, 1, 1, 0]);
    // padding row is all zeros
    expect(Array.from(b.nodeFeatures.subarray(15, 20))).toEqual([0, 0, 0, 0, 0]);
    const e = (g: number, i: number, t: number, j: number) => b.edgeAdjacency[(g * 4 + i) * 8 + t * 4 + j];
    // A: 0–1 type 0 both ways, 1–2 type 1 both ways; nothing else
    expect([e(0, 1, 0, 0), e(0, 0, 0, 1), e(0, 2, 1, 1), e(0, 1, 1, 2)]).toEqual([1, 1, 1, 1]);
    expect(b.edgeAdjacency.subarray(0, 32).reduce((s, v) => s + v, 0)).toBe(4);
    expect([e(1, 1, 0, 0), e(1, 0, 0, 1)]).toEqual([1, 1]);
    expect(b.edgeAdjacency.subarray(32).reduce((s, v) => s + v, 0)).toBe(2);
    // plain adjacency = sum over types
    for (let g = 0; g < 2; g++)
      for (let i = 0; i < 4; i++)
        for (let j = 0; j < 4; j++) {
          expect(b.adjacency[(g * 4 + i) * 4 + j]).toBe((e(g, i, 0, j) ?? 0) + (e(g, i, 1, j) ?? 0));
        }
    expect(Array.from(b.nodeMask)).toEqual([1, 1, 1, 0, 1, 1, 0, 0]);
    expect(Array.from(b.targets)).toEqual([0.5, 0, 1, 2]);
    expect(Array.from(b.labelMask)).toEqual([1, 0, 1, 1]);
  });

  it('fixed PE truncated to peDim and zero-padded; eigenpairs padded to K with a mask', () => {
    const b = collate([A, B], spec);
    expect(Array.from(b.pe!)).toEqual([1, 2, 4, 5, 7, 8, 0, 0, -1, -2, -4, -5, 0, 0, 0, 0]);
    expect(Array.from(b.eigValues!)).toEqual([0, 1, 0, 0, 0, 0]);
    expect(Array.from(b.eigMask!)).toEqual([1, 1, 0, 1, 0, 0]);
    expect(Array.from(b.eigVectors!.subarray(0, 12)).map((v) => Math.round(v * 10) / 10)).toEqual([
      0.1, 0.2, 0, 0.3, 0.4, 0, 0.5, 0.6, 0, 0, 0, 0,
    ]);
    expect(Array.from(b.eigVectors!.subarray(12, 18)).map((v) => Math.round(v * 10) / 10)).toEqual([
      0.7, 0, 0, 0.7, 0, 0,
    ]);
  });

  it('sign flips negate whole PE columns per graph, seeded', () => {
    const b = collate([A, B], spec);
    const f1 = flipPeSigns(b, createRng(5));
    const f2 = flipPeSigns(b, createRng(5));
    expect(Array.from(f1.pe!)).toEqual(Array.from(f2.pe!));
    for (let g = 0; g < 2; g++)
      for (let c = 0; c < 2; c++) {
        const s = Math.sign(f1.pe![g * 4 * 2 + c]!) * Math.sign(b.pe![g * 4 * 2 + c]!);
        for (let i = 0; i < b.numNodes[g]!; i++) {
          expect(f1.pe![(g * 4 + i) * 2 + c]).toBe(s * b.pe![(g * 4 + i) * 2 + c]!);
        }
      }
    expect(b.pe![0]).toBe(1); // original untouched
  });

  it('clear errors: atom outside its vocabulary, graph above maxNodes, missing pe', () => {
    expect(() => collate([{ ...A, atomFeatures: [0, 1, 3, 0, 1, 1] }], spec)).toThrow(
      /record 0 atom 1 feature 0 = 3/,
    );
    expect(() => collate([A], { ...spec, maxNodes: 2 })).toThrow(/above maxNodes 2/);
    const { pe: _pe, ...noPe } = A;
    expect(() => collate([noPe], spec)).toThrow(/no pe/);
    expect(() => collate([], spec)).toThrow(/empty batch/);
  });
});
