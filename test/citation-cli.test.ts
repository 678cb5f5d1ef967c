// The CLI on Cora as a user runs it: `graphpe spectrum --k 100` equals `--solver dense` with the null
// space reported as multiplicity 78, and `graphpe sample --method ge --k 100` reports the true λ_K and
// reconstructs a bandlimited signal (the true 95th eigenvector, which lives on a 26-node component).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { run } from '../packages/cli/test/helpers.js';
import { citationData, citationReference, loadCitationGraph } from './helpers/citation.js';

const { dir, missing } = citationData('cora');

describe.skipIf(missing !== null)(`graphpe spectrum / sample on Cora (${missing ?? dir})`, () => {
  beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
  const tmp = mkdtempSync(join(tmpdir(), 'graphpe-cora-'));
  const edges = join(tmp, 'cora.edges');
  if (!missing) {
    const g = loadCitationGraph(dir, 'cora');
    const lines: string[] = [];
    for (let i = 0; i < g.n; i++) {
      for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++)
        if (g.indices[p] > i) lines.push(`${i} ${g.indices[p]}`);
    }
    writeFileSync(edges, `${lines.join('\n')}\n`);
  }
  const ref = citationReference('cora');
  type SpectrumJson = { values: number[]; vectors: number[][]; groups: { multiplicity: number }[] };
  let dense: SpectrumJson | undefined;
  /** The dense spectrum of the first test, or computed here when that test did not get to write it. */
  const denseSpectrum = async (): Promise<SpectrumJson> => {
    if (!dense) {
      await run('spectrum', edges, '--k', '100', '--solver', 'dense', '-q', '-o', join(tmp, 'dense.json'));
      dense = JSON.parse(readFileSync(join(tmp, 'dense.json'), 'utf8'));
    }
    return dense!;
  };

  it('spectrum --k 100: the sparse path equals --solver dense to 1e-8, null space of multiplicity 78', async () => {
    const s = await run('spectrum', edges, '--k', '100', '-o', join(tmp, 'sparse.json'));
    expect(s.code).toBe(0);
    expect(s.stderr).toMatch(/sparse solver, null space multiplicity 78/);
    const d = await run('spectrum', edges, '--k', '100', '--solver', 'dense', '-o', join(tmp, 'dense.json'));
    expect(d.code).toBe(0);
    const sparse = JSON.parse(readFileSync(join(tmp, 'sparse.json'), 'utf8'));
    dense = JSON.parse(readFileSync(join(tmp, 'dense.json'), 'utf8'));
    for (let j = 0; j < 100; j++) {
      expect(Math.abs(sparse.values[j] - dense!.values[j])).toBeLessThanOrEqual(1e-8);
      expect(Math.abs(sparse.values[j] - ref.sym[j])).toBeLessThanOrEqual(1e-8);
    }
    expect(sparse.groups[0]).toMatchObject({ start: 0, multiplicity: 78, multiplicityIsLowerBound: false });
    expect(sparse.groups).toEqual(dense!.groups.map((g: object) => ({ ...g, value: expect.any(Number) })));
  });

  it('sample --method ge --k 100: the true λ_K, and the 95th eigenvector reconstructed to ≤ 1e-6', async () => {
    const signal = join(tmp, 'v95.txt');
    const { vectors } = await denseSpectrum();
    writeFileSync(signal, `${vectors.map((row) => String(row[94])).join('\n')}\n`);
    const r = await run(
      'sample',
      edges,
      '--method',
      'ge',
      '--k',
      '100',
      '--signal',
      signal,
      '-o',
      join(tmp, 's.json'),
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(readFileSync(join(tmp, 's.json'), 'utf8'));
    expect(Math.abs(out.lambda - ref.sym[99])).toBeLessThanOrEqual(1e-8);
    expect(out.partial).toBe(false);
    expect(out.size).toBe(100);
    expect(out.reconstructionError).toBeLessThanOrEqual(1e-6);
  });
});
