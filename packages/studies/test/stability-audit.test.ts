import { initBackend, SpeEncoder, tf } from '@graphpe/encodings/learned';
import { createRng, fromEdgeList, type Graph, spectrum } from '@graphpe/spectral';
import {
  changeVsEditsSvg,
  changeVsGapSvg,
  stabilityAudit,
  stabilityMarkdown,
  summarizeStability,
} from '@graphpe/studies';
import { beforeAll, describe, expect, it } from 'vitest';

function molLike(n: number, rings: number, seed: number): Graph {
  const rng = createRng(seed);
  const set = new Set<string>();
  const edges: [number, number][] = [];
  const add = (u: number, v: number) => {
    const a = Math.min(u, v);
    const b = Math.max(u, v);
    if (a !== b && !set.has(`${a},${b}`)) {
      set.add(`${a},${b}`);
      edges.push([a, b]);
    }
  };
  for (let i = 1; i < n; i++) add(i, rng.int(i));
  for (let r = 0; r < rings; r++) add(rng.int(n), rng.int(n));
  return fromEdgeList(edges, { n });
}

const cycle = (n: number) =>
  fromEdgeList(Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as [number, number]));

const GRAPHS: Graph[] = [
  cycle(6),
  cycle(8),
  ...Array.from({ length: 8 }, (_, i) => molLike(9 + i, 2 + (i % 3), i)),
];

describe('stabilityAudit', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });

  it('relabelling: RWSE and SPE are equivariant, canonized LapPE is on its canonized columns, raw LapPE is not', () => {
    const res = stabilityAudit(GRAPHS, { edits: [1], kinds: ['add'], seed: 3, k: 4 });
    const relabel = res.records.filter((r) => r.kind === 'relabel');
    expect(relabel.length).toBe(GRAPHS.length);
    for (const r of relabel) {
      expect(r.dL).toBe(0);
      expect(r.change.rwse).toBeLessThan(1e-10);
      expect(r.change.spe!).toBeLessThan(1e-4 * Math.max(1, r.norm.spe!));
      expect(r.change['lap+oap:canon']).toBeLessThan(1e-9);
      // basis alignment undoes the solver's choices unless k cuts an eigenspace (then no alignment inside the kept columns can)
      const cut = spectrum(GRAPHS[r.graph]!, { k: 5 }).groups.some((g) => g.status === 'partial');
      if (cut) expect(r.change['lap:basis']).toBeGreaterThan(1e-6);
      else expect(r.change['lap:basis']).toBeLessThan(1e-9);
    }
    // raw eigenvectors of a relabelled graph differ somewhere (solver signs and C_n bases)
    expect(Math.max(...relabel.map((r) => r.change['lap:raw']!))).toBeGreaterThan(1e-3);
    // SignNet is sign-invariant: exact on simple spectra
    const simple = relabel.filter((r) =>
      spectrum(GRAPHS[r.graph]!, { k: r.n }).groups.every((g) => g.multiplicity === 1),
    );
    expect(simple.length).toBeGreaterThan(0);
    for (const r of simple) expect(r.change.signnet!).toBeLessThan(1e-4 * Math.max(1, r.norm.signnet!));
    const s = summarizeStability(res);
    expect(s.relabel.rwse!.exactShare).toBe(1);
    expect(s.relabel.spe!.exactShare).toBe(1);
  });

  it('edge edits: one record per feasible (kind, e), ‖ΔL‖ > 0, aligned ≤ raw, summary and writers', () => {
    const res = stabilityAudit(GRAPHS, {
      edits: [1, 2],
      seed: 1,
      k: 4,
      pes: ['lap', 'lap+oap', 'rwse'],
      relabel: false,
    });
    expect(res.keys).toEqual(['lap:raw', 'lap:sign', 'lap:basis', 'lap+oap', 'lap+oap:canon', 'rwse']);
    const infeasible = Object.values(res.infeasible).reduce((a, b) => a + b, 0);
    expect(res.records.length + infeasible).toBe(GRAPHS.length * 4);
    for (const r of res.records) {
      expect(r.dL).toBeGreaterThan(0);
      expect(r.change['lap:sign']!).toBeLessThanOrEqual(r.change['lap:raw']! + 1e-12);
      expect(r.change['lap:basis']!).toBeLessThanOrEqual(r.change['lap:sign']! + 1e-12);
      expect(r.change.rwse!).toBeGreaterThan(0);
    }
    const s = summarizeStability(res, 0.5);
    expect(s.change.add![1]!['lap:raw']!.count).toBe(GRAPHS.length);
    expect(s.singleFlip['lap:sign']!.graphs).toBe(GRAPHS.length);
    const md = stabilityMarkdown(s, { dataset: 'toy' });
    expect(md).toMatch(/What is and is not reproduced/);
    expect(md).toMatch(/Single edge flip/);
    for (const svg of [changeVsEditsSvg(s, 'add'), changeVsGapSvg(res, ['lap:sign', 'rwse'])]) {
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.trim().endsWith('</svg>')).toBe(true);
      expect(svg).not.toMatch(/NaN/);
    }
  });

  it('reweighting one edge by 0.99 is a small perturbation: eigenvector change follows 1/gap (Davis–Kahan), SPE does not', () => {
    const res = stabilityAudit(GRAPHS, {
      edits: [1],
      kinds: ['reweight'],
      reweightFactor: 0.99,
      seed: 2,
      k: 4,
      pes: ['lap', 'spe'],
      relabel: false,
    });
    expect(res.records.length).toBe(GRAPHS.length);
    const s = summarizeStability(res);
    expect(s.regimes.flip).toBeUndefined();
    const r = s.regimes.reweight!;
    expect(r.meanDL).toBeLessThan(0.02);
    expect(r.columns!.withinDavisKahan).toBe(1);
    for (const rec of res.records) expect(rec.columns!.gap.length).toBe(4);
    expect(stabilityMarkdown(s, { dataset: 'toy' })).toMatch(/reweighting one edge \(× 0\.99\)/);
  });

  it('audits a trained encoder layer and is deterministic for a seed', () => {
    const layer = new SpeEncoder({ seed: 42, m: 2, rhoLayers: 1, rhoHidden: 8, outDim: 4 });
    const opts = { edits: [1], kinds: ['add'] as const, seed: 9, k: 4, pes: ['rwse', 'spe'] as const };
    const a = stabilityAudit(GRAPHS.slice(0, 4), {
      ...opts,
      trained: [{ name: 'spe@ckpt', layer, eigK: 10 }],
    });
    const b = stabilityAudit(GRAPHS.slice(0, 4), {
      ...opts,
      trained: [{ name: 'spe@ckpt', layer, eigK: 10 }],
    });
    expect(a.keys).toEqual(['rwse', 'spe', 'spe@ckpt']);
    expect(a.records.map((r) => r.change)).toEqual(b.records.map((r) => r.change));
    for (const r of a.records.filter((x) => x.kind === 'relabel'))
      expect(r.change['spe@ckpt']!).toBeLessThan(1e-4 * Math.max(1, r.norm['spe@ckpt']!));
    layer.dispose();
    expect(tf.memory().numTensors).toBeLessThan(50);
  });
});
