/**
 * Saving tfjs models and named tensors to a directory without `@tensorflow/tfjs-node` (the plain
 * `@tensorflow/tfjs` has no `file://` handler in Node): `model.json` + `weights.bin`, the same layout as
 * tfjs-node's `file://` handler, written through `tf.io.withSaveHandler` and read back with
 * `tf.io.fromMemory`.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tf } from '@graphpe/encodings/learned';
import { GraphpeError } from '@graphpe/spectral';

/** A tensor with a name (tfjs-core's `NamedTensor`, not re-exported by `@tensorflow/tfjs`). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** The JSON written to `model.json` (tfjs layout plus graphpe's own metadata). */
export interface ModelJson {
  modelTopology: unknown;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  userDefinedMetadata?: Record<string, unknown>;
  graphpe?: Record<string, unknown>;
}

function toArrayBuffer(data: tf.io.WeightData | undefined): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  if (Array.isArray(data)) return tf.io.concatenateArrayBuffers(data);
  return data as ArrayBuffer;
}

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

/** Captures a model's artifacts in memory. */
export async function modelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new GraphpeError('E_CHECKPOINT', 'gnn.io: model.save produced nothing');
  return saved;
}

/** Writes `model.json` + `weights.bin` into `dir` (created if needed); `extra` lands under `graphpe`. */
export async function saveModelToDir(
  model: tf.LayersModel,
  dir: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const a = await modelArtifacts(model);
  await mkdir(dir, { recursive: true });
  const json: ModelJson = {
    modelTopology: a.modelTopology,
    format: a.format ?? 'layers-model',
    generatedBy: a.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: a.convertedBy ?? null,
    weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }],
    graphpe: extra,
  };
  if (a.userDefinedMetadata) json.userDefinedMetadata = a.userDefinedMetadata;
  await writeAtomic(path.join(dir, 'weights.bin'), new Uint8Array(toArrayBuffer(a.weightData)));
  await writeAtomic(path.join(dir, 'model.json'), JSON.stringify(json));
}

/** Reads `model.json` and its weights from `dir` as in-memory artifacts. */
export async function readModelDir(
  dir: string,
): Promise<{ artifacts: tf.io.ModelArtifacts; json: ModelJson }> {
  let json: ModelJson;
  try {
    json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as ModelJson;
  } catch (e) {
    throw new GraphpeError(
      'E_CHECKPOINT',
      `gnn.io: cannot read ${path.join(dir, 'model.json')} (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of json.weightsManifest ?? []) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const buf = await readFile(path.join(dir, p));
      buffers.push(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
    }
  }
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: specs,
    weightData: tf.io.concatenateArrayBuffers(buffers),
  };
  if (json.format) artifacts.format = json.format;
  if (json.userDefinedMetadata)
    artifacts.userDefinedMetadata = json.userDefinedMetadata as NonNullable<
      tf.io.ModelArtifacts['userDefinedMetadata']
    >;
  return { artifacts, json };
}

/** Loads a LayersModel saved by {@link saveModelToDir} (custom layer classes must be registered). */
export async function loadModelFromDir(dir: string): Promise<{ model: tf.LayersModel; json: ModelJson }> {
  const { artifacts, json } = await readModelDir(dir);
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  return { model, json };
}

/** Writes named tensors as `<name>.json` (specs + extra) + `<name>.bin`. */
export async function saveTensors(
  dir: string,
  name: string,
  tensors: NamedTensor[],
  extra: Record<string, unknown> = {},
): Promise<void> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  await mkdir(dir, { recursive: true });
  await writeAtomic(path.join(dir, `${name}.bin`), new Uint8Array(toArrayBuffer(data)));
  await writeAtomic(path.join(dir, `${name}.json`), JSON.stringify({ specs, ...extra }));
}

/** Reads tensors written by {@link saveTensors}, in their saved order (caller disposes). */
export async function loadTensors(
  dir: string,
  name: string,
): Promise<{ tensors: NamedTensor[]; extra: Record<string, unknown> }> {
  const meta = JSON.parse(await readFile(path.join(dir, `${name}.json`), 'utf8')) as {
    specs: tf.io.WeightsManifestEntry[];
  } & Record<string, unknown>;
  const buf = await readFile(path.join(dir, `${name}.bin`));
  const map = tf.io.decodeWeights(
    buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer,
    meta.specs,
  );
  const tensors = meta.specs.map((s) => ({ name: s.name, tensor: map[s.name] as tf.Tensor }));
  const { specs: _specs, ...extra } = meta;
  return { tensors, extra };
}
