// -q means the same for every command: nothing on stderr (no progress, no backend line, no summary)
// when all goes well. Runs the built CLI (`npx tsc -b` first), so writes that bypass the CLI's io
// (straight to process.stderr) are caught too.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { zincFixtureDataDir } from './helpers.js';
import { bin } from './tty-helpers.js';

const dataDir = zincFixtureDataDir('graphpe-quiet-');
const env: NodeJS.ProcessEnv = { ...process.env, GRAPHPE_CACHE_DIR: join(dataDir, 'cache') };
delete env.GRAPHPE_BACKEND;

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A 6-cycle edge list, and a DrugOOD-style folder (ZINC fixture SMILES, 32 items split 16/4/4/4/4).
const c6 = join(dataDir, 'c6.txt');
writeFileSync(c6, '0 1\n1 2\n2 3\n3 4\n4 5\n5 0\n');
const smiles = readFileSync(
  fileURLToPath(new URL('../../gnn/test/fixtures/zinc32.csv', import.meta.url)),
  'utf8',
)
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(',')[1] as string);
const split: Record<string, unknown[]> = {};
let next = 0;
for (const [name, size] of Object.entries({ train: 16, iid_val: 4, iid_test: 4, ood_val: 4, ood_test: 4 })) {
  split[name] = Array.from({ length: size }, () => {
    const i = next++;
    return { smiles: smiles[i], reg_label: i % 5, assay_id: i % 3, cls_label: i % 2, domain_id: i % 4 };
  });
}
mkdirSync(join(dataDir, 'drugood_lbap_core_ec50'));
writeFileSync(
  join(dataDir, 'drugood_lbap_core_ec50', 'lbap_core_ec50_scaffold.json.gz'),
  gzipSync(JSON.stringify({ cfg: {}, split, statistics: {} })),
);

describe('-q on every command', () => {
  const out = (name: string) => join(dataDir, name);
  const cases: [string, string[]][] = [
    ['spectrum', ['spectrum', c6, '--k', '3']],
    ['encode (edge list)', ['encode', c6, '--pe', 'lap:k=3', '-o', out('c6.npz')]],
    [
      'encode (molecules)',
      ['encode', 'zinc', '--data-dir', dataDir, '--pe', 'rwse:steps=4', '-o', out('z.npz')],
    ],
    ['graphon sample', ['graphon', 'sample', '--graphon', 'xy', '--n', '50', '--out', out('g.txt')]],
    ['sample', ['sample', c6, '--n', '6', '--k', '2']],
    ['stats', ['stats', '--dataset', 'zinc', '--data-dir', dataDir, '--out', out('stats')]],
    [
      'stability',
      ['stability', '--dataset', 'zinc', '--limit', '4', '--edits', '1..1', '--learned-limit', '1'].concat([
        '--data-dir',
        dataDir,
        '--out',
        out('stab'),
      ]),
    ],
  ];
  for (const [name, args] of cases) {
    it(name, () => {
      const r = cli(...args, '-q');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    });
  }

  it('train and eval (the backend line too)', () => {
    const run = out('run');
    const t = cli(
      ...['train', '--dataset', 'zinc', '--data-dir', dataDir, '--epochs', '1', '--max-steps', '1'],
      ...['--hidden', '8', '--layers', '1', '--out', run, '-q'],
    );
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^best epoch 1\/1: /);
    const e = cli('eval', join(run, 'best'), '--dataset', 'zinc', '--data-dir', dataDir, '-q');
    expect(e.stderr).toBe('');
    expect(e.code).toBe(0);
    // without -q the backend line is there (auto says which backend it chose), once
    const loud = cli('eval', join(run, 'best'), '--dataset', 'zinc', '--data-dir', dataDir);
    expect(loud.code).toBe(0);
    expect(loud.stderr.match(/^graphpe: tfjs backend \w+ \(auto: /gm)).toHaveLength(1);
  });

  it('bench ood', () => {
    const r = cli(
      ...['bench', 'ood', '--dataset', 'drugood-ec50-scaffold', '--pe', 'none', '--seeds', '1'],
      ...['--budget', 'epochs=1,batch=8,hidden=8,layers=1', '--data-dir', dataDir, '--out', out('ood'), '-q'],
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 cells run, 0 skipped');
  });
  it('datasets list and datasets fetch', async () => {
    const list = cli('datasets', 'list', '--data-dir', dataDir, '-q');
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^zinc /m);
    // fetch from a local mirror (the server answers while the CLI runs, so the child is async)
    const gz = (t: string) => new Uint8Array(gzipSync(Buffer.from(t)));
    const zip = zipSync({
      'bbbp/mapping/mol.csv.gz': gz('p_np,smiles,mol_id\n1,CCO,a\n0,CCN,b\n'),
      'bbbp/split/scaffold/train.csv.gz': gz('0\n'),
      'bbbp/split/scaffold/valid.csv.gz': gz('1\n'),
      'bbbp/split/scaffold/test.csv.gz': gz('1\n'),
    });
    const server = createServer((_req, res) => res.end(zip));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bbbp.zip`;
    const fetchDir = out('fetched');
    const args = ['datasets', 'fetch', 'ogbg-molbbbp', '--url', url, '--no-verify', '--data-dir', fetchDir];
    const fetch = (...more: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((ok) => {
        const child = spawn(process.execPath, [bin, ...args, ...more], {
          env,
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d) => {
          stderr += d;
        });
        child.on('close', (code) => ok({ code, stderr }));
      });
    try {
      const quiet = await fetch('-q');
      expect(quiet.stderr).toBe('');
      expect(quiet.code).toBe(0);
      const loud = await fetch(); // without -q: one line per download
      expect(loud.code).toBe(0);
      expect(loud.stderr).toMatch(
        /^graphpe datasets fetch: downloaded http:\/\/127\.0\.0\.1:\d+\/bbbp\.zip /,
      );
    } finally {
      server.close();
    }
  });
});
