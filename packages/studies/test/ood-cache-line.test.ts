import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type OodSweepEvent, parseBudget, runOodSweep } from '@graphpe/studies';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BAD, cacheFiles, DOMAINS, drugOodDir, SETS, tmp } from '../../gnn/test/drugood-helpers.js';

describe('OOD sweep: preprocessing cache line', () => {
  it('the OOD sweep reports the cache once, after preparing every dataset', async () => {
    const dataDir = drugOodDir();
    const cacheDir = tmp();
    const keep = process.env.GRAPHPE_CACHE_DIR;
    process.env.GRAPHPE_CACHE_DIR = cacheDir;
    onTestFinished(() => {
      if (keep === undefined) delete process.env.GRAPHPE_CACHE_DIR;
      else process.env.GRAPHPE_CACHE_DIR = keep;
    });
    // the bench loads with onInvalid 'error': a data folder without the unparsable molecule
    const good = tmp();
    mkdirSync(join(good, 'drugood_lbap_core_ec50'));
    for (const d of DOMAINS) {
      const f = join('drugood_lbap_core_ec50', `lbap_core_ec50_${d}.json.gz`);
      const doc = JSON.parse(gunzipSync(readFileSync(join(dataDir, f))).toString('utf8')) as {
        split: Record<string, { smiles: string }[]>;
      };
      for (const s of SETS) doc.split[s] = (doc.split[s] ?? []).filter((x) => x.smiles !== BAD);
      writeFileSync(join(good, f), gzipSync(JSON.stringify(doc)));
    }
    const events: OodSweepEvent[] = [];
    await runOodSweep({
      datasets: DOMAINS.map((d) => `drugood-ec50-${d}`),
      pes: ['none'],
      seeds: 1,
      budget: parseBudget('tiny'),
      outDir: join(tmp(), 'out'),
      dataDir: good,
      workers: 0,
      estimateOnly: true,
      onEvent: (e) => events.push(e),
    });
    const lines = events.filter((e) => e.type === 'cache');
    expect(lines).toHaveLength(1);
    const { bytes } = cacheFiles(cacheDir);
    expect(lines[0]).toEqual({
      type: 'cache',
      line: `cache: ${cacheDir} (written, ${(bytes / 1e3).toFixed(1)} kB)`,
    });
    const kinds = events.map((e) => e.type);
    expect(kinds.indexOf('cache')).toBe(kinds.lastIndexOf('prepared') + 1);
    expect(
      events.filter((e) => e.type === 'prepared').map((e) => (e as { fromCache: boolean }).fromCache),
    ).toEqual([false, true, true]);
  });
});
