import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initBackend, tf } from '@graphpe/encodings/learned';
import {
  AdamWithDecay,
  GraphModel,
  loadModelFromDir,
  resumeConfigDiff,
  type TrainOptions,
  type TrainResult,
  train,
} from '@graphpe/gnn';
import { GraphpeError } from '@graphpe/spectral';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthRecords, tinyConfig } from './model-helpers.js';

const tr = synthRecords({ count: 32, seed: 41 });
const va = synthRecords({ count: 8, seed: 42 });
const te = synthRecords({ count: 8, seed: 43 });
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'graphpe-gnn-ckpt-'));
  dirs.push(d);
  return d;
}

function opts(outDir: string, epochs: number, extra: Partial<TrainOptions> = {}): TrainOptions {
  return {
    model: GraphModel.create(tinyConfig(tr, { pe: 'lap', peDim: 4 })),
    train: tr,
    val: va,
    test: te,
    epochs,
    batchSize: 8,
    lr: 3e-3,
    warmupSteps: 2,
    seed: 5,
    outDir,
    log: null,
    runConfig: { dataset: 'synthetic' },
    ...extra,
  };
}

async function trainDisposing(o: TrainOptions): Promise<TrainResult> {
  try {
    return await train(o);
  } finally {
    o.model.dispose();
  }
}

/** The result of `fn`, which must throw a GraphpeError with `code`. */
async function rejection(fn: () => Promise<unknown>, code: string): Promise<GraphpeError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GraphpeError);
    expect((e as GraphpeError).code).toBe(code);
    return e as GraphpeError;
  }
  throw new Error(`expected a ${code} error`);
}

/** History without the wall-clock times: what must be bit-identical between runs. */
function numbers(r: TrainResult): unknown {
  return r.history.map(({ timeS: _t, ...rest }) => rest);
}

describe('checkpoint integrity and exact resume', () => {
  let pristine = '';
  let full: TrainResult;
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
    pristine = tmp();
    full = await trainDisposing(opts(pristine, 4));
  });

  function copy(): string {
    const d = tmp();
    cpSync(pristine, d, { recursive: true });
    return d;
  }

  it('every checkpoint folder has a manifest with the SHA-256 of each file', () => {
    for (const sub of ['best', 'last']) {
      const m = JSON.parse(readFileSync(path.join(pristine, sub, 'checkpoint.json'), 'utf8'));
      expect(m.format).toBe('graphpe-checkpoint');
      expect(Object.keys(m.files).sort()).toEqual(
        sub === 'best'
          ? ['model.json', 'weights.bin']
          : ['model.json', 'optimizer.bin', 'optimizer.json', 'state.json', 'weights.bin'],
      );
      for (const f of Object.values(m.files) as { sha256: string }[])
        expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    // no temporary files or folders left behind
    expect(readdirSync(pristine).sort()).toEqual(['best', 'curve.svg', 'last', 'log.jsonl', 'result.json']);
  });

  it('flipped bytes in best/weights.bin: E_CHECKPOINT naming the file', async () => {
    const d = copy();
    const f = path.join(d, 'best', 'weights.bin');
    const buf = readFileSync(f);
    for (let i = 100; i < 104; i++) buf[i] = (buf[i] as number) ^ 0xff;
    writeFileSync(f, buf);
    const e = await rejection(() => GraphModel.load(path.join(d, 'best')), 'E_CHECKPOINT');
    expect(e.message).toMatch(/best\/weights\.bin is corrupted or truncated \(SHA-256/);
  });

  it('truncated last/weights.bin, truncated last/state.json, deleted files: resume fails with E_CHECKPOINT', async () => {
    const cases: [string, (d: string) => void, RegExp][] = [
      [
        'truncated weights',
        (d) => truncateSync(path.join(d, 'last', 'weights.bin'), 1001),
        /last\/weights\.bin is corrupted or truncated \(1001 bytes/,
      ],
      [
        'truncated state',
        (d) => truncateSync(path.join(d, 'last', 'state.json'), 20),
        /last\/state\.json is corrupted or truncated/,
      ],
      [
        'deleted state',
        (d) => unlinkSync(path.join(d, 'last', 'state.json')),
        /last\/state\.json is missing/,
      ],
      [
        'deleted optimizer',
        (d) => unlinkSync(path.join(d, 'last', 'optimizer.bin')),
        /last\/optimizer\.bin is missing/,
      ],
      [
        'deleted manifest',
        (d) => unlinkSync(path.join(d, 'last', 'checkpoint.json')),
        /last\/checkpoint\.json is missing/,
      ],
      [
        'corrupted manifest',
        (d) => truncateSync(path.join(d, 'last', 'checkpoint.json'), 50),
        /last\/checkpoint\.json is corrupted or truncated/,
      ],
    ];
    for (const [, damage, message] of cases) {
      const d = copy();
      damage(d);
      const e = await rejection(() => trainDisposing(opts(d, 6, { resume: true })), 'E_CHECKPOINT');
      expect(e.message).toMatch(message);
      // nothing was overwritten by the refused run
      expect(readFileSync(path.join(d, 'result.json'), 'utf8')).toBe(
        readFileSync(path.join(pristine, 'result.json'), 'utf8'),
      );
    }
  });

  it('a folder saved without a manifest loads with one warning; its truncated weights are E_CHECKPOINT', async () => {
    const d = copy();
    const best = path.join(d, 'best');
    unlinkSync(path.join(best, 'checkpoint.json'));
    const json = JSON.parse(readFileSync(path.join(best, 'model.json'), 'utf8'));
    delete json.graphpe.checkpointFormat;
    writeFileSync(path.join(best, 'model.json'), JSON.stringify(json));
    const warnings: string[] = [];
    const { model } = await loadModelFromDir(best, { warn: (l) => warnings.push(l) });
    model.dispose();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/has no checkpoint\.json \(saved by an older graphpe\)/);
    truncateSync(path.join(best, 'weights.bin'), 999);
    const e = await rejection(() => loadModelFromDir(best, { warn: null }), 'E_CHECKPOINT');
    expect(e.message).toMatch(/weights\.bin is corrupted or truncated \(999 bytes of weights/);
  });

  it('3 epochs, then resume to 5, equals the uninterrupted run bit for bit (optimizer β powers restored)', async () => {
    // a constant schedule, so that the 2-epoch budget of the first part does not change the learning rates
    const a = tmp();
    const b = tmp();
    const small = { schedule: 'constant', batchSize: 4 } as const;
    const ra = await trainDisposing(opts(a, 5, small));
    await trainDisposing(opts(b, 3, small));
    const rb = await trainDisposing(opts(b, 5, { ...small, resume: true }));
    expect(rb.resumedFrom).toBe(3);
    expect(numbers(rb)).toEqual(numbers(ra));
    expect(rb.testAtBest).toEqual(ra.testAtBest);
    expect(readFileSync(path.join(b, 'last', 'weights.bin'))).toEqual(
      readFileSync(path.join(a, 'last', 'weights.bin')),
    );
  });

  it('an optimizer restored from its state takes the same next step bit for bit (running β powers kept)', async () => {
    const loss = (v: tf.Variable) => () =>
      tf.sum(tf.mul(tf.square(v), tf.tensor1d([1, 0.5, 2]))) as tf.Scalar;
    const v = tf.variable(tf.tensor1d([1, -2, 3]));
    const opt = new AdamWithDecay([{ variable: v, decay: false }]);
    for (let i = 0; i < 25; i++) opt.step(loss(v)).dispose();
    const w = tf.variable(tf.clone(v));
    const copy = new AdamWithDecay([{ variable: w, decay: false }]);
    const state = await opt.getState();
    await copy.setState(state.map((s) => ({ name: s.name, tensor: tf.clone(s.tensor) })));
    for (let i = 0; i < 3; i++) {
      opt.step(loss(v)).dispose();
      copy.step(loss(w)).dispose();
    }
    expect(Array.from(w.dataSync())).toEqual(Array.from(v.dataSync()));
    opt.dispose();
    copy.dispose();
    v.dispose();
    w.dispose();
  });

  it('a save interrupted between the two renames, a stale temporary folder and extra log lines are recovered', async () => {
    const d = copy();
    // killed after `last` was moved aside and before the new folder took its place
    renameSync(path.join(d, 'last'), path.join(d, 'last.old-12345-0123456789ab'));
    // an incomplete staging folder (no manifest)
    mkdirSync(path.join(d, 'last.tmp-12345-ba9876543210'));
    writeFileSync(path.join(d, 'last.tmp-12345-ba9876543210', 'weights.bin'), 'partial');
    appendFileSync(path.join(d, 'log.jsonl'), readFileSync(path.join(d, 'log.jsonl'), 'utf8'));
    const r = await trainDisposing(opts(d, 4, { resume: true }));
    expect(r.resumedFrom).toBe(4);
    expect(readdirSync(d).sort()).toEqual(['best', 'curve.svg', 'last', 'log.jsonl', 'result.json']);
    const epochs = readFileSync(path.join(d, 'log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).epoch);
    expect(epochs).toEqual([1, 2, 3, 4]);
    expect(numbers(r)).toEqual(numbers(full));
  });

  it('a kill between the last/ and best/ saves of a best epoch: the resume re-creates best/ from last/', async () => {
    // a 1-epoch run (its last epoch is its best), whose best/ is then an older, different model
    const d = tmp();
    const one = await trainDisposing(opts(d, 1));
    expect(one.bestEpoch).toBe(1);
    const saved = readFileSync(path.join(d, 'best', 'weights.bin'));
    rmSync(path.join(d, 'best'), { recursive: true });
    cpSync(path.join(pristine, 'best'), path.join(d, 'best'), { recursive: true });
    const r = await trainDisposing(opts(d, 1, { resume: true }));
    expect(r.resumedFrom).toBe(1);
    expect(readFileSync(path.join(d, 'best', 'weights.bin'))).toEqual(saved);
    // when the best epoch is not the last one, a replaced or damaged best/ cannot be re-created: refused
    const e = copy();
    rmSync(path.join(e, 'best'), { recursive: true });
    cpSync(path.join(d, 'best'), path.join(e, 'best'), { recursive: true });
    const err = await rejection(() => trainDisposing(opts(e, 5, { resume: true })), 'E_CHECKPOINT');
    expect(err.message).toMatch(/best does not hold the weights of the best epoch 1/);
  });

  it('a resume with a different training configuration is refused, naming the keys and both values', async () => {
    const d = copy();
    const e = await rejection(
      () => trainDisposing(opts(d, 6, { resume: true, lr: 0.01, seed: 7, batchSize: 16 })),
      'E_OPTION',
    );
    expect(e.message).toMatch(/cannot resume .*last with a different configuration/);
    expect(e.message).toMatch(/lr: 0\.003 → 0\.01/);
    expect(e.message).toMatch(/seed: 5 → 7/);
    expect(e.message).toMatch(/batchSize: 8 → 16/);
    expect(existsSync(path.join(d, 'last', 'checkpoint.json'))).toBe(true);
    // epochs and patience may change
    const r = await trainDisposing(opts(d, 5, { resume: true, patience: 50 }));
    expect(r.resumedFrom).toBe(4);
    expect(r.epochsRun).toBe(5);
    expect(resumeConfigDiff({ a: 1, model: { hidden: 8 } }, { a: 1, model: { hidden: 16 } })).toEqual([
      'model.hidden: 8 → 16',
    ]);
  });
});
