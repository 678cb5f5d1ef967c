import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkNodeCount } from '../src/commands/sample.js';
import { run } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'graphpe-cli-guards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('graphpe graphon sample: size guards', () => {
  it('refuses the dense cos graphon at n = 200000 before sampling, with the estimate and --max-edges', async () => {
    const out = join(dir, 'cos.edges');
    const t0 = performance.now();
    const r = await run('graphon', 'sample', '--graphon', 'cos', '--n', '200000', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'graphpe graphon sample: G(n = 200000, ρW) for cos, ρ = 1: ≈ 1.00e+10 expected edges, ≈ 480 GB of memory to sample, over --max-edges 500000000; lower --n or --rho, or raise --max-edges (at most 1073741823)\n',
    );
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses --n past the Int32 node ids and --max-edges past the CSR limit (E_OPTION, exit 2)', async () => {
    const out = join(dir, 'n.edges');
    const n = await run('graphon', 'sample', '--graphon', 'cos', '--n', '3000000000', '--out', out);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain('--n 3000000000 is over 2147483647, the most nodes Int32 node ids can number');
    const m = await run(
      'graphon',
      'sample',
      '--graphon',
      'cos',
      '--n',
      '10',
      '--max-edges',
      '2000000000',
      '--out',
      out,
    );
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('--max-edges 2000000000 must be an integer in [1, 1073741823]');
    expect(existsSync(out)).toBe(false);
  });

  it('prints the estimate when the sample is large for its cap, and samples within --max-edges', async () => {
    const out = join(dir, 'xy.edges');
    const low = await run(
      'graphon',
      'sample',
      '--graphon',
      'xy',
      '--n',
      '2000',
      '--max-edges',
      '1000',
      '--out',
      out,
    );
    expect(low.code).toBe(2);
    expect(low.stderr).toMatch(
      /≈ 5\.0\de\+5 expected edges, ≈ 24 MB of memory to sample, over --max-edges 1000/,
    );
    const ok = await run(
      'graphon',
      'sample',
      '--graphon',
      'xy',
      '--n',
      '2000',
      '--max-edges',
      '2000000',
      '--out',
      out,
    );
    expect(ok.code).toBe(0);
    expect(ok.stderr.split('\n')[0]).toMatch(
      /^graphon sample: G\(n = 2000, ρW\) for xy, ρ = 1: ≈ 5\.0\de\+5 expected edges, ≈ 24 MB of memory to sample$/,
    );
    const small = await run('graphon', 'sample', '--graphon', 'xy', '--n', '200', '--out', out);
    expect(small.stderr).not.toContain('expected edges');
  });

  it('names --max-edges when the draw passes it although the expectation did not', async () => {
    const out = join(dir, 'sbm.edges');
    // sbm with p = 0.5 on n = 100: E[m] = 2475; seed 0 draws more (checked against the uncapped sample).
    const free = await run('graphon', 'sample', '--graphon', 'sbm:sizes=1:p=0.5', '--n', '100', '--out', out);
    const m = Number(/edges=(\d+)/.exec(free.stderr)![1]);
    const r = await run(
      'graphon',
      'sample',
      '--graphon',
      'sbm:sizes=1:p=0.5',
      '--n',
      '100',
      '--max-edges',
      String(m - 1),
      '--out',
      join(dir, 'capped.edges'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`the sample passed --max-edges ${m - 1} while sampling`);
    expect(existsSync(join(dir, 'capped.edges'))).toBe(false);
  });
});

describe('graphpe sample: --n guards', () => {
  const edges = join(dir, 'good.edges');
  writeFileSync(edges, '0 1\n1 2\n2 3\n');

  it('refuses --n 3000000000 on a 4-node graph before reading or allocating (E_OPTION, exit 2)', async () => {
    const t0 = performance.now();
    const r = await run('sample', edges, '--n', '3000000000');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'graphpe sample: --n 3000000000 is over 2147483647, the most nodes Int32 node ids can number\n',
    );
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('refuses an n whose basis cannot fit in memory (E_TOO_LARGE), and passes one that fits', async () => {
    const r = await run('sample', edges, '--n', String(2 ** 31 - 1));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--n 2147483647 with K = 32 needs ≈ 687 GB .*more than this machine's/);
    expect(() => checkNodeCount(1000, 32, 1e5)).toThrow(
      /K = 32 needs ≈ 320 kB .*this machine's 100 kB of memory/,
    );
    expect(() => checkNodeCount(1000, 32, 1e9)).not.toThrow();
    const ok = await run('sample', edges, '--n', '6', '--k', '2', '--quiet');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).n).toBe(6);
  });
});
