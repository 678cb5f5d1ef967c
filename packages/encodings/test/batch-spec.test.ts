import { GraphpeError } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';
import { formatPeSpec, parsePeSpec, specLaplacians, specOutputs } from '../src/batch/index.js';

function optionError(spec: string): GraphpeError {
  try {
    parsePeSpec(spec);
  } catch (err) {
    expect(err).toBeInstanceOf(GraphpeError);
    expect((err as GraphpeError).code).toBe('E_OPTION');
    return err as GraphpeError;
  }
  throw new Error(`'${spec}' parsed without error`);
}

describe('PE spec strings', () => {
  it('parses the issue example into LapPE (canonical, OAP) and RWSE', () => {
    const s = parsePeSpec('lap:k=16,rwse:steps=20,canon:oap');
    expect(s.items).toEqual([
      { kind: 'lap', options: { k: 16, dtype: 'float64', sign: 'canonical', canon: { basis: 'oap' } } },
      { kind: 'rwse', options: { steps: 20, dtype: 'float64' } },
    ]);
    expect(specOutputs(s)).toEqual([
      { name: 'lap_vec', level: 'node' },
      { name: 'lap_val', level: 'graph' },
      { name: 'lap_canon', level: 'graph' },
      { name: 'rwse', level: 'node' },
    ]);
    expect(specLaplacians(s)).toEqual(['sym']);
  });

  it('applies defaults, presets and explicit options (explicit wins over a preset)', () => {
    const s = parsePeSpec('lap:graphgps:laplacian=comb:eigenvalues=true,proj,hk:steps=3', {
      k: 8,
      dtype: 'float32',
    });
    expect(s.items[0].options).toMatchObject({
      k: 8,
      dtype: 'float32',
      pad: 'nan',
      eigenvalues: true,
      clampEigenvalues: true,
      laplacian: 'comb',
    });
    expect(s.items[1]).toEqual({ kind: 'proj', options: { k: 8, dtype: 'float32' } });
    expect(s.items[2].options).toMatchObject({ times: [1, 2, 3] });
    expect(specLaplacians(s).sort()).toEqual(['comb', 'sym']);
    expect(parsePeSpec('lap:pyg').items[0].options).toMatchObject({ dropTrivial: true, eigenvalues: false });
  });

  it('formats to a normalized string that parses back to the same spec under any defaults', () => {
    for (const text of [
      'lap:k=16,rwse:steps=20,canon:oap',
      'lap:k=4:drop:pad=nan:eigenvalues=per-node:clamp:name=pe:laplacian=rw',
      'lap:sign=random:seed=7,rwse:steps=3:name=rw:method=sparse',
      'lap:k=5,canon:map:descending:tol=1e-5:keytol=1e-4:basistol=1e-9:scaling=map',
      'lap:k=3:canon=oap-diag:canonmode=descending,lap:k=2:name=b',
      'hk:times=0.5/1/2,proj:k=all:partial=drop:laplacian=comb',
    ]) {
      const s = parsePeSpec(text, { k: 12, dtype: 'float32' });
      const f = formatPeSpec(s);
      expect(parsePeSpec(f)).toEqual(s);
      expect(parsePeSpec(f, { k: 99, dtype: 'float64' })).toEqual(s);
      expect(formatPeSpec(parsePeSpec(f))).toBe(f);
    }
  });

  it('names the bad token and its position in every error', () => {
    expect(optionError('lap:k=16,rwse:stps=20').message).toMatch(
      /unknown option 'stps'.*in 'stps=20' \(at character 15\)/,
    );
    expect(optionError('lap:k=0').message).toMatch(/'k' must be an integer ≥ 1, got '0'.*'k=0'/);
    expect(optionError('lap:k=1.5').message).toMatch(/'k=1.5'/);
    expect(optionError('lapx:k=3').message).toMatch(/unknown item 'lapx'.*'lapx:k=3' \(at character 1\)/);
    expect(optionError('lap,,rwse').message).toMatch(/empty item/);
    expect(optionError('').message).toMatch(/empty spec/);
    expect(optionError('rwse,canon:oap').message).toMatch(/'canon' needs a 'lap' item/);
    expect(optionError('lap,canon:oapp').message).toMatch(/unknown flag 'oapp'/);
    expect(optionError('lap:sign=random:seed=1,canon').message).toMatch(/sign=random/);
    expect(optionError('lap:laplacian=foo').message).toMatch(/sym\|rw\|comb, got 'foo'/);
    expect(optionError('lap:name=1x').message).toMatch(/identifier/);
    expect(optionError('hk:times=1/x').message).toMatch(/'times=1\/x'/);
    expect(optionError('lap:sign=random').message).toMatch(/seed/); // from lapPE's own validation
    expect(optionError('lap,lap').message).toMatch(/two items produce 'lap_vec'/);
  });
});
