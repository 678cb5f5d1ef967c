// Integration: spectra of real ZINC molecules read from $GRAPHPE_DATA_DIR.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eigh, fromCoo, laplacianDense, spectrum } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';
import { readZincSmiles, smilesToGraphs } from '../scripts/bench/lib/zinc.mjs';

const dir = process.env.GRAPHPE_DATA_DIR;
const file = dir ? join(dir, 'zinc', 'zinc12k.csv') : '';
const why = !dir ? 'GRAPHPE_DATA_DIR is not set' : `${file} does not exist`;

describe.skipIf(!dir || !existsSync(file))(`ZINC-12k spectra (${dir ? file : why})`, () => {
  it('first 400 molecules: residuals ≤ 1e-10, k=16 zero-padded with mask, groups consistent with the full spectrum', async () => {
    const rows = readZincSmiles(file).slice(0, 400);
    const mols = await smilesToGraphs(rows);
    const graphs = mols.map((m) => fromCoo(m.src, m.dst, undefined, { n: m.n }));
    let partial = 0;
    for (const g of graphs) {
      const full = eigh(laplacianDense(g, 'sym'), g.n).values;
      const s = spectrum(g, { k: 16 });
      expect(s.k).toBe(16);
      for (let j = 0; j < 16; j++) {
        if (s.mask[j]) expect(s.residuals[j]).toBeLessThan(1e-10);
        if (s.mask[j]) expect(s.values[j]).toBeCloseTo(full[j], 12);
        else expect(s.values[j]).toBe(0);
      }
      for (const gr of s.groups) {
        if (gr.status === 'partial') {
          partial++;
          expect(gr.start + gr.size).toBe(16);
          expect(gr.multiplicity).toBeGreaterThan(gr.size);
        }
      }
    }
    // Molecules have many repeated eigenvalues (symmetric substituents), so some k = 16 cuts must split a group.
    expect(partial).toBeGreaterThan(0);
  });
});
