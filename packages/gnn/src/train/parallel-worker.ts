/** Worker thread of {@link DataParallelTrainer} (train/parallel.ts): one model replica. */
import { parentPort, workerData } from 'node:worker_threads';
import { type BackendChoice, initBackend, tf } from '@graphpe/encodings/learned';
import type { MolBatch } from '../model/batch.js';
import { GraphModel, type ResolvedModelConfig } from '../model/model.js';
import type { LossName } from './loss.js';
import { type AdamOptions, AdamWithDecay } from './optimizer.js';
import { replicaStep, SharedReducer } from './parallel.js';

interface Init {
  sab: SharedArrayBuffer;
  rank: number;
  size: number;
  maxLen: number;
  backend: string;
  config: ResolvedModelConfig;
  weights: { shape: number[]; data: Float32Array }[];
  optimizer: AdamOptions;
  optimizerState: { name: string; shape: number[]; data: Float32Array }[] | null;
  loss: LossName;
}

const port = parentPort;
if (!port) throw new Error('parallel-worker: not a worker thread');
const init = workerData as Init;

async function main(): Promise<void> {
  const p = port as NonNullable<typeof port>;
  try {
    await initBackend({ backend: init.backend as BackendChoice, log: null });
    const model = GraphModel.create(init.config);
    const ts = init.weights.map((w) => tf.tensor(w.data, w.shape));
    model.setWeightsFrom(ts);
    tf.dispose(ts);
    const opt = new AdamWithDecay(model.trainableVariables(), init.optimizer);
    if (init.optimizerState) {
      await opt.setState(
        init.optimizerState.map((x) => ({ name: x.name, tensor: tf.tensor(x.data, x.shape) })),
      );
    }
    const reducer = new SharedReducer(init.sab, init.rank, init.size, init.maxLen);
    p.on('message', (m: { type: string; batch: MolBatch; lr: number; total: number; phantom: boolean }) => {
      if (m.type !== 'step') return;
      try {
        replicaStep(model, opt, reducer, m.batch, m.lr, init.loss, m.total, m.phantom);
        p.postMessage({ type: 'done' });
      } catch (e) {
        p.postMessage({ type: 'error', error: String((e as Error)?.message ?? e) });
      }
    });
    p.postMessage({ type: 'ready' });
  } catch (e) {
    p.postMessage({ type: 'error', error: String((e as Error)?.message ?? e) });
  }
}

void main();
