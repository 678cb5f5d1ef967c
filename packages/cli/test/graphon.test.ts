import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEdgeList } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';
import { parseGraphonSpec } from '../src/commands/graphon.js';
import { run } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'graphpe-cli-graphon-'));

describe('graphpe graphon sample', () => {
  it('writes a seeded SBM sample readable by readEdgeList and spectrum, with latents', async () => {
    const out = join(dir, 'sbm.edges');
    const lat = join(dir, 'sbm.latent');
    const spec = 'sbm:sizes=0.5,0.5:p=0.8,0.1,0.1,0.8';
    const r = await run(
      'graphon',
      'sample',
      '--graphon',
      spec,
      '--n',
      '120',
      '--seed',
      '3',
      '--out',
      out,
      '--latent-out',
      lat,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/n=120, edges=\d+/);
    expect(r.stderr).toMatch(/ s → /);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(spec);
    expect(text).toMatch(/n=120 seed=3/);
    const g = await readEdgeList(out, { n: 120 });
    expect(g.n).toBe(120);
    const m = g.indices.length / 2;
    // E[m] = C(120,2)·(0.8·½ + 0.1·½) − within-block correction; roughly 0.45·7140 ≈ 3200.
    expect(m).toBeGreaterThan(2500);
    expect(m).toBeLessThan(3900);
    const latent = readFileSync(lat, 'utf8').trim().split('\n').map(Number);
    expect(latent).toHaveLength(120);
    for (let i = 1; i < latent.length; i++) expect(latent[i]).toBeGreaterThanOrEqual(latent[i - 1]);
    // Same seed → same file.
    const out2 = join(dir, 'sbm2.edges');
    await run('graphon', 'sample', '--graphon', spec, '--n', '120', '--seed', '3', '--out', out2, '--quiet');
    expect(readFileSync(out2, 'utf8')).toBe(text);
    const s = await run('spectrum', out, '--k', '3', '--quiet');
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout).n).toBe(120);
  });

  it('accepts named graphons, grid latents and rho', async () => {
    for (const name of ['cos', 'xy', 'min', 'exp', 'logistic', 'planted:k=3:p=0.6:q=0.05']) {
      const out = join(dir, `${name.replace(/[:=.]/g, '_')}.edges`);
      const r = await run(
        'graphon',
        'sample',
        '--graphon',
        name,
        '--n',
        '80',
        '--rho',
        '0.5',
        '--latent',
        'grid',
        '--out',
        out,
        '--quiet',
      );
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toBe('');
      expect(readFileSync(out, 'utf8')).toMatch(/latent=grid/);
    }
    expect(parseGraphonSpec('quarter-poly').name).toBe('quarter-poly');
  });

  it('rejects bad specs with E_OPTION naming the token', async () => {
    const out = join(dir, 'bad.edges');
    const cases: [string, RegExp][] = [
      ['nope', /unknown graphon.*"nope"/],
      ['sbm:sizes=0.5,x:p=1,0,0,1', /"x" is not a number/],
      ['sbm:sizes=0.5,0.5:p=1,0,0', /K×K = 4 values.*"p=1,0,0"/],
      ['sbm:sizes=1,1:p=0.5,0.1,0.2,0.5', /probs\[0\]\[1\]/],
      ['sbm:sizes=1,1:w=3', /unknown sbm option "w".*"w=3"/],
      ['cos:k=2', /cos takes no options at "k=2"/],
      ['planted:k=2:p=1.5:q=0', /p must be in \[0, 1\]/],
    ];
    for (const [spec, re] of cases) {
      const r = await run('graphon', 'sample', '--graphon', spec, '--n', '10', '--out', out);
      expect(r.code, spec).toBe(2);
      expect(r.stderr, spec).toMatch(re);
    }
    const badN = await run('graphon', 'sample', '--graphon', 'cos', '--n', '0', '--out', out);
    expect(badN.code).toBe(2);
    expect(badN.stderr).toMatch(/--n must be an integer/);
  });
});

describe('graphpe sample', () => {
  const sbm = join(dir, 'sel.edges');
  const ready = run(
    'graphon',
    'sample',
    '--graphon',
    'planted:k=3:p=0.7:q=0.05',
    '--n',
    '90',
    '--seed',
    '1',
    '--out',
    sbm,
    '--quiet',
  );

  it('GE and QR select K nodes that recover a random bandlimited signal exactly', async () => {
    await ready;
    for (const method of ['ge', 'qr']) {
      const out = join(dir, `${method}.json`);
      const r = await run('sample', sbm, '--method', method, '--k', '3', '--out', out);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/\|S\|=3, cond/);
      const j = JSON.parse(readFileSync(out, 'utf8'));
      expect(j).toMatchObject({ method, k: 3, n: 90, size: 3, rank: 3, signal: 'random-bandlimited' });
      expect(j.nodes).toHaveLength(3);
      expect(j.condition).toBeGreaterThanOrEqual(1);
      expect(j.condition).toBeLessThan(100);
      expect(j.reconstructionError).toBeLessThan(1e-8);
      expect(j.pivots).toHaveLength(3);
    }
  });

  it('proxy, intervals and random report size, condition and error; output goes to stdout without --out', async () => {
    await ready;
    const proxy = await run('sample', sbm, '--method', 'proxy', '--k', '6', '--quiet');
    expect(proxy.code, proxy.stderr).toBe(0);
    const p = JSON.parse(proxy.stdout);
    expect(p.size).toBe(6);
    expect(p.k).toBe(6);
    expect(typeof p.cutoff).toBe('number');
    const iv = JSON.parse(
      (
        await run(
          'sample',
          sbm,
          '--method',
          'intervals',
          '--k',
          '3',
          '--q',
          '9',
          '--p',
          '3',
          '--r',
          '2',
          '--quiet',
        )
      ).stdout,
    );
    expect(iv.size).toBe(6);
    expect(iv.intervals).toHaveLength(3);
    expect(iv.reconstructionError).toBeLessThan(1);
    const rnd1 = JSON.parse(
      (await run('sample', sbm, '--method', 'random', '--k', '5', '--seed', '2', '--quiet')).stdout,
    );
    const rnd2 = JSON.parse(
      (await run('sample', sbm, '--method', 'random', '--k', '5', '--seed', '2', '--quiet')).stdout,
    );
    expect(rnd1.nodes).toEqual(rnd2.nodes);
    expect(rnd1.size).toBe(5);
  });

  it('reads a signal file (one value per line) and checks its length', async () => {
    await ready;
    const sig = join(dir, 'x.txt');
    writeFileSync(sig, `${Array.from({ length: 90 }, () => '1').join('\n')}\n`);
    const r = await run('sample', sbm, '--method', 'ge', '--k', '3', '--signal', sig, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.signal).toBe(sig);
    expect(j.reconstructionError).toBeGreaterThanOrEqual(0);
    const short = join(dir, 'short.txt');
    writeFileSync(short, '1\n2\n');
    const bad = await run('sample', sbm, '--signal', short, '--k', '3');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/short\.txt/);
    const nan = join(dir, 'nan.txt');
    writeFileSync(nan, '1\nfoo\n');
    const badNum = await run('sample', sbm, '--signal', nan, '--k', '3');
    expect(badNum.code).toBe(2);
    expect(badNum.stderr).toMatch(/nan\.txt: line 2: "foo"/);
    // Isolated trailing nodes: a longer signal (or --n) extends the graph past max id + 1.
    const tiny = join(dir, 'tiny.edges');
    writeFileSync(tiny, '0 1\n1 2\n');
    const sig4 = join(dir, 'x4.txt');
    writeFileSync(sig4, '1\n2\n3\n4\n');
    const ext = await run('sample', tiny, '--method', 'random', '--k', '2', '--signal', sig4, '--quiet');
    expect(ext.code, ext.stderr).toBe(0);
    expect(JSON.parse(ext.stdout).n).toBe(4);
    const withN = await run('sample', tiny, '--method', 'qr', '--k', '2', '--n', '5', '--quiet');
    expect(withN.code, withN.stderr).toBe(0);
    expect(JSON.parse(withN.stdout).n).toBe(5);
    const missing = await run('sample', join(dir, 'none.edges'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('none.edges');
  });
});
