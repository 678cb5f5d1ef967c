import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { GraphpeError } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';
import { listDatasets, loadDataset, loadSmilesCsv, parseCsv, resolveDataDir } from '../src/index.js';
import { dataDir } from './data-scaffold-helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), 'graphpe-gnn-data-'));

async function datasetError(name: string, dir: string): Promise<GraphpeError> {
  const err = await loadDataset(name, { dataDir: dir }).catch((e) => e);
  expect(err).toBeInstanceOf(GraphpeError);
  return err;
}

describe('dataset registry', () => {
  it('lists every registered dataset', () => {
    expect(listDatasets().map((d) => d.name)).toEqual([
      'zinc',
      'zinc-full',
      'ogbg-molesol',
      'ogbg-molfreesolv',
      'ogbg-molbbbp',
      'ogbg-molbace',
      'lipophilicity',
      'tox21',
      'hiv',
      'drugood-ec50-assay',
      'drugood-ec50-scaffold',
      'drugood-ec50-size',
    ]);
    const tox = listDatasets().find((d) => d.name === 'tox21')!;
    expect([tox.task, tox.metric, tox.numTasks]).toEqual(['multitask-binary', 'rocauc', 12]);
  });

  it('names the path looked at and the OGB download for a missing OGB set', async () => {
    const dir = tmp();
    const err = await datasetError('ogbg-molesol', dir);
    expect(err.code).toBe('E_DATASET');
    expect(err.message).toContain(join(dir, 'esol', 'mapping', 'mol.csv.gz'));
    expect(err.message).toContain(
      'https://snap.stanford.edu/ogb/data/graphproppred/csv_mol_download/esol.zip',
    );
    expect(err.message).toContain('graphpe datasets fetch ogbg-molesol');
  });

  it('names the path and the source for a missing ZINC-full or DrugOOD file', async () => {
    const dir = tmp();
    const zinc = await datasetError('zinc-full', dir);
    expect(zinc.code).toBe('E_DATASET');
    expect(zinc.message).toContain(join(dir, 'zinc', 'zinc_full.csv.gz'));
    expect(zinc.message).toContain('GRAPHPE_DATA_DIR');
    const ood = await datasetError('drugood-ec50-size', dir);
    expect(ood.message).toContain(join(dir, 'drugood_lbap_core_ec50', 'lbap_core_ec50_size.json.gz'));
    expect(ood.message).toContain('DrugOOD');
  });

  it('ZINC-12k ships with the package: a data directory without it reads the shipped copy (official split)', async () => {
    const dir = tmp();
    expect(resolveDataDir('zinc', dir)).not.toBe(dir);
    const ds = await loadDataset('zinc', { dataDir: dir, featurizer: false });
    expect(ds.smiles.length).toBe(12000);
    expect([ds.splits.train.length, ds.splits.valid.length, ds.splits.test.length]).toEqual([
      10000, 1000, 1000,
    ]);
    // A data directory that holds the file wins over the shipped copy.
    mkdirSync(join(dir, 'zinc'));
    writeFileSync(
      join(dir, 'zinc', 'zinc12k.csv'),
      'split,smiles,y\ntrain,CCO,0.5\nvalid,CC,0.1\ntest,C,0.2\n',
    );
    expect(resolveDataDir('zinc', dir)).toBe(dir);
    expect((await loadDataset('zinc', { dataDir: dir, featurizer: false })).smiles).toEqual([
      'CCO',
      'CC',
      'C',
    ]);
  });

  it('rejects an unknown name listing the known ones', async () => {
    const err = await datasetError('zinc-250k', tmp());
    expect(err.code).toBe('E_DATASET');
    expect(err.message).toContain('ogbg-molbace');
  });
});

describe('file formats', () => {
  it('parses quoted CSV fields', () => {
    const t = parseCsv('a,b,c\n1,"x, ""y""",3\r\n4,,6\n');
    expect(t.header).toEqual(['a', 'b', 'c']);
    expect(t.columns[1]).toEqual(['x, "y"', '']);
    expect(t.rows).toBe(2);
  });

  it('loads a SMILES CSV with a split column (32 ZINC rows)', async () => {
    const d = await loadSmilesCsv(fixture('zinc32.csv'), {
      targetCol: 'y',
      splitCol: 'split',
      defaultFeaturizer: 'zinc',
    });
    expect(d.smiles).toHaveLength(32);
    expect(d.graphs).toHaveLength(32);
    expect(d.featurizer).toBe('zinc');
    expect([d.splits.train.length, d.splits.valid.length, d.splits.test.length]).toEqual([24, 4, 4]);
    expect(d.targets[0]).toBeCloseTo(0.834974, 6);
    expect(d.graphs![0].n).toBe(29);
  });

  it('keeps missing labels as NaN with mask 0, and remaps splits over skipped rows', async () => {
    const dir = tmp();
    const file = join(dir, 'm.csv');
    writeFileSync(
      file,
      'smiles,t1,t2,split\nCCO,1,,train\nnot-a-smiles,0,1,train\nc1ccccc1,,0,val\nCCN,1,1,test\n',
    );
    const err = await loadSmilesCsv(file, { targetCols: ['t1', 't2'], splitCol: 'split' }).catch((e) => e);
    expect(err).toBeInstanceOf(GraphpeError);
    expect(err.code).toBe('E_SMILES');
    expect(err.message).toContain("row 1 'not-a-smiles'");
    const d = await loadSmilesCsv(file, { targetCols: ['t1', 't2'], splitCol: 'split', onInvalid: 'skip' });
    expect(d.skipped).toBe(1);
    expect(d.errors[0].row).toBe(1);
    expect(Array.from(d.rows)).toEqual([0, 2, 3]);
    expect(d.task).toBe('multitask-binary');
    expect(Array.from(d.targets)).toEqual([1, Number.NaN, Number.NaN, 0, 1, 1]);
    expect(Array.from(d.mask)).toEqual([1, 0, 0, 1, 1, 1]);
    expect(Array.from(d.splits.train)).toEqual([0]);
    expect(Array.from(d.splits.valid)).toEqual([1]);
    expect(Array.from(d.splits.test)).toEqual([2]);
  });

  it('reads the OGB layout (mapping/mol.csv.gz + split/scaffold)', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'bace', 'mapping'), { recursive: true });
    mkdirSync(join(dir, 'bace', 'split', 'scaffold'), { recursive: true });
    writeFileSync(
      join(dir, 'bace', 'mapping', 'mol.csv.gz'),
      gzipSync('Class,smiles,mol_id\n1,CCO,a\n0,c1ccccc1 ,"b, c"\n1,CCN,d\n'),
    );
    for (const [s, rows] of [
      ['train', '0\n2\n'],
      ['valid', '1\n'],
      ['test', ''],
    ]) {
      writeFileSync(join(dir, 'bace', 'split', 'scaffold', `${s}.csv.gz`), gzipSync(rows));
    }
    const d = await loadDataset('ogbg-molbace', { dataDir: dir });
    expect([d.task, d.metric]).toEqual(['binary', 'rocauc']);
    expect(d.taskNames).toEqual(['Class']);
    expect(d.smiles).toEqual(['CCO', 'c1ccccc1', 'CCN']);
    expect(Array.from(d.targets)).toEqual([1, 0, 1]);
    expect(Array.from(d.splits.train)).toEqual([0, 2]);
    expect(d.graphs![1].atomDim).toBe(9);
  });

  it('reads DrugOOD JSON with its five splits (valid/test = ood_val/ood_test)', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'drugood_lbap_core_ec50'));
    const item = (smiles: string, cls: number, dom: number) => ({
      smiles,
      reg_label: 5,
      cls_label: cls,
      domain_id: dom,
    });
    const doc = {
      split: {
        train: [item('CCO', 1, 0), item('CCN', 0, 0)],
        iid_val: [item('CCC', 1, 0)],
        iid_test: [item('CCCl', 0, 1)],
        ood_val: [item('c1ccccc1', 1, 2)],
        ood_test: [item('c1ccncc1', 0, 3)],
      },
    };
    writeFileSync(
      join(dir, 'drugood_lbap_core_ec50', 'lbap_core_ec50_scaffold.json.gz'),
      gzipSync(JSON.stringify(doc)),
    );
    const d = await loadDataset('drugood-ec50-scaffold', { dataDir: dir, featurizer: false });
    expect(d.smiles).toHaveLength(6);
    expect(d.graphs).toBeUndefined();
    expect(Array.from(d.splits.train)).toEqual([0, 1]);
    expect(Array.from(d.splits.iid_test)).toEqual([3]);
    expect(Array.from(d.splits.valid)).toEqual([4]);
    expect(Array.from(d.splits.test)).toEqual([5]);
    expect(Array.from(d.domains!)).toEqual([0, 0, 0, 1, 2, 3]);
  });
});

describe.skipIf(!dataDir)('real datasets (GRAPHPE_DATA_DIR)', () => {
  it('zinc: official split sizes, zinc featurizer by default', async () => {
    const d = await loadDataset('zinc', { dataDir, limit: 64 });
    expect(d.graphs).toHaveLength(64);
    expect(d.featurizer).toBe('zinc');
    const all = await loadDataset('zinc', { dataDir, featurizer: false });
    expect([all.splits.train.length, all.splits.valid.length, all.splits.test.length]).toEqual([
      10000, 1000, 1000,
    ]);
  });

  it('tox21: 12 tasks with missing labels masked', async () => {
    const d = await loadDataset('tox21', { dataDir, featurizer: false });
    expect(d.numTasks).toBe(12);
    expect(d.smiles).toHaveLength(7831);
    let missing = 0;
    for (let i = 0; i < d.mask.length; i++) if (!d.mask[i]) missing++;
    expect(missing).toBeGreaterThan(0);
    expect([d.splits.train.length, d.splits.valid.length, d.splits.test.length]).toEqual([6264, 783, 784]);
  });

  it('drugood and hiv sizes', async () => {
    const d = await loadDataset('drugood-ec50-assay', { dataDir, featurizer: false });
    expect(d.smiles).toHaveLength(12661);
    expect([d.splits.train.length, d.splits.ood_val.length, d.splits.ood_test.length]).toEqual([
      4540, 2572, 2490,
    ]);
    const h = await loadDataset('hiv', { dataDir, featurizer: false });
    expect([h.splits.train.length, h.splits.valid.length, h.splits.test.length]).toEqual([32901, 4113, 4113]);
  });
});
