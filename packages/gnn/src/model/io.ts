/**
 * Saving tfjs models and named tensors to a directory without `@tensorflow/tfjs-node` (the plain
 * `@tensorflow/tfjs` has no `file://` handler in Node): `model.json` + `weights.bin`, the same layout as
 * tfjs-node's `file://` handler, written through `tf.io.withSaveHandler` and read back with
 * `tf.io.fromMemory`.
 *
 * Every checkpoint folder also holds `checkpoint.json`, its manifest: the byte length and SHA-256 of every
 * other file, and a SHA-256 of the manifest itself. Each file is written under a unique temporary name in
 * the same folder and renamed into place, the manifest last; readers verify every file they use against it
 * and fail with `E_CHECKPOINT` naming the file when it is missing, corrupted or truncated. A folder without
 * a manifest (saved before graphpe wrote one) still loads, with a one-line warning that it is unverified;
 * only structural checks (JSON syntax, weight byte lengths) apply to it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
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

/** File name of a checkpoint folder's manifest. */
export const CHECKPOINT_MANIFEST = 'checkpoint.json';

/** The manifest of a checkpoint folder (`checkpoint.json`). */
export interface CheckpointManifest {
  format: 'graphpe-checkpoint';
  version: 1;
  /** Byte length and SHA-256 (hex) of every other file of the checkpoint. */
  files: Record<string, { bytes: number; sha256: string }>;
  /** Free-form metadata (epoch, kind, …). */
  meta: Record<string, unknown>;
}

/** A checkpoint folder opened for verified reads ({@link openCheckpoint}). */
export interface CheckpointReader {
  dir: string;
  /** null for a folder saved without a manifest (unverified). */
  manifest: CheckpointManifest | null;
  /** The bytes of `name`, checked against the manifest. */
  read(name: string): Promise<Buffer>;
  /** `name` parsed as JSON, checked against the manifest. */
  json<T>(name: string): Promise<T>;
}

const WHERE = 'gnn.io';
const TMP_RE = /\.tmp-\d+-[0-9a-f]{12}$/;

/** SHA-256 of `data` (UTF-8 for strings), as hex. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function corrupted(file: string, why: string, details: Record<string, unknown> = {}): GraphpeError {
  return new GraphpeError('E_CHECKPOINT', `${WHERE}: ${file} is corrupted or truncated (${why})`, {
    file,
    ...details,
  });
}

function toArrayBuffer(data: tf.io.WeightData | undefined): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  if (Array.isArray(data)) return tf.io.concatenateArrayBuffers(data);
  return data as ArrayBuffer;
}

function bufferOf(buf: Buffer): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/** A unique temporary name next to `file` (same folder, so the final rename is atomic). */
export function tempNameFor(file: string): string {
  return `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/**
 * Writes `data` to `file` atomically: a unique temporary file in the same folder, flushed to disk, then
 * renamed over `file`, so a reader (or a process killed mid-write) sees the old or the new content, never
 * a mix.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempNameFor(file);
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** The manifest text for `files` (its own SHA-256 included, over the JSON of the other fields). */
function manifestText(files: Record<string, string | Uint8Array>, meta: Record<string, unknown>): string {
  const body: CheckpointManifest = { format: 'graphpe-checkpoint', version: 1, files: {}, meta };
  for (const [name, data] of Object.entries(files)) {
    body.files[name] = {
      bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength,
      sha256: sha256(data),
    };
  }
  return JSON.stringify({ ...body, manifestSha256: sha256(JSON.stringify(body)) });
}

/**
 * Writes a checkpoint folder: every file atomically, then `checkpoint.json` with their checksums (also
 * atomically, last). Leftover temporary files of an interrupted writer are removed.
 */
export async function writeCheckpointFiles(
  dir: string,
  files: Record<string, string | Uint8Array>,
  meta: Record<string, unknown> = {},
): Promise<void> {
  if (CHECKPOINT_MANIFEST in files) {
    throw new GraphpeError('E_OPTION', `${WHERE}: ${CHECKPOINT_MANIFEST} is the manifest's own name`);
  }
  await mkdir(dir, { recursive: true });
  for (const entry of await readdir(dir)) {
    if (TMP_RE.test(entry)) await rm(path.join(dir, entry), { force: true });
  }
  for (const [name, data] of Object.entries(files)) await writeFileAtomic(path.join(dir, name), data);
  await writeFileAtomic(path.join(dir, CHECKPOINT_MANIFEST), manifestText(files, meta));
}

/** Reads and checks `dir/checkpoint.json`; null when the folder has none. */
export async function readCheckpointManifest(dir: string): Promise<CheckpointManifest | null> {
  const file = path.join(dir, CHECKPOINT_MANIFEST);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new GraphpeError('E_CHECKPOINT', `${WHERE}: cannot read ${file} (${(e as Error).message})`, {
      file,
    });
  }
  let parsed: CheckpointManifest & { manifestSha256?: unknown };
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw corrupted(file, `not valid JSON: ${(e as Error).message}`);
  }
  const { manifestSha256, ...body } = parsed ?? ({} as typeof parsed);
  if (
    body.format !== 'graphpe-checkpoint' ||
    typeof body.files !== 'object' ||
    body.files === null ||
    manifestSha256 !== sha256(JSON.stringify(body))
  ) {
    throw corrupted(file, 'its own checksum does not match');
  }
  return body as CheckpointManifest;
}

/** Whether `dir/model.json` carries the marker of a graphpe that writes manifests (so one is missing). */
async function writtenWithManifest(dir: string): Promise<boolean> {
  try {
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as ModelJson;
    return json?.graphpe?.checkpointFormat !== undefined;
  } catch {
    return false;
  }
}

/**
 * Opens a checkpoint folder for verified reads. Without a manifest the folder is read unverified and
 * `warn` (default: stderr) gets one line saying so.
 */
export async function openCheckpoint(
  dir: string,
  options: { warn?: ((line: string) => void) | null } = {},
): Promise<CheckpointReader> {
  let isDir = false;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    throw new GraphpeError('E_FILE', `${WHERE}: checkpoint folder ${dir} does not exist or is not a folder`, {
      file: dir,
    });
  }
  const manifest = await readCheckpointManifest(dir);
  if (!manifest) {
    if (await writtenWithManifest(dir)) {
      throw new GraphpeError(
        'E_CHECKPOINT',
        `${WHERE}: ${path.join(dir, CHECKPOINT_MANIFEST)} is missing; the checkpoint is incomplete`,
        { file: path.join(dir, CHECKPOINT_MANIFEST) },
      );
    }
    const warn = options.warn === undefined ? (l: string) => process.stderr.write(`${l}\n`) : options.warn;
    warn?.(
      `graphpe: warning: ${dir} has no ${CHECKPOINT_MANIFEST} (saved by an older graphpe); its files are not verified`,
    );
  }
  const read = async (name: string): Promise<Buffer> => {
    const file = path.join(dir, name);
    const entry = manifest?.files[name];
    if (manifest && !entry) {
      throw new GraphpeError(
        'E_CHECKPOINT',
        `${WHERE}: ${file} is not listed in ${path.join(dir, CHECKPOINT_MANIFEST)}`,
        { file },
      );
    }
    let buf: Buffer;
    try {
      buf = await readFile(file);
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
      throw new GraphpeError(
        'E_CHECKPOINT',
        `${WHERE}: ${file} ${missing ? 'is missing' : `cannot be read (${(e as Error).message})`}; the checkpoint is incomplete`,
        { file },
      );
    }
    if (entry) {
      if (buf.byteLength !== entry.bytes) {
        throw corrupted(file, `${buf.byteLength} bytes, the manifest says ${entry.bytes}`, {
          bytes: buf.byteLength,
          expected: entry.bytes,
        });
      }
      const got = sha256(buf);
      if (got !== entry.sha256) {
        throw corrupted(
          file,
          `SHA-256 ${got.slice(0, 12)}…, the manifest says ${entry.sha256.slice(0, 12)}…`,
          {
            sha256: got,
            expected: entry.sha256,
          },
        );
      }
    }
    return buf;
  };
  const json = async <T>(name: string): Promise<T> => {
    const buf = await read(name);
    try {
      return JSON.parse(buf.toString('utf8')) as T;
    } catch (e) {
      throw corrupted(path.join(dir, name), `not valid JSON: ${(e as Error).message}`);
    }
  };
  return { dir, manifest, read, json };
}

/** Bytes the weights described by `specs` occupy. */
function specBytes(specs: readonly tf.io.WeightsManifestEntry[]): number {
  const size: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, string: 0 };
  let n = 0;
  for (const s of specs) n += s.shape.reduce((a, b) => a * b, 1) * (size[s.dtype] ?? 4);
  return n;
}

/** Throws `E_CHECKPOINT` unless `bytes` is what `specs` need (a truncated or padded weight file). */
function checkWeightBytes(file: string, bytes: number, specs: readonly tf.io.WeightsManifestEntry[]): void {
  if (specs.some((s) => s.dtype === 'string' || s.quantization)) return;
  const want = specBytes(specs);
  if (bytes !== want) throw corrupted(file, `${bytes} bytes of weights, the specs need ${want}`);
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

/** The files of a model checkpoint: `model.json` (tfjs layout, `extra` under `graphpe`) and `weights.bin`. */
export async function modelFiles(
  model: tf.LayersModel,
  extra: Record<string, unknown> = {},
): Promise<Record<string, string | Uint8Array>> {
  const a = await modelArtifacts(model);
  const json: ModelJson = {
    modelTopology: a.modelTopology,
    format: a.format ?? 'layers-model',
    generatedBy: a.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: a.convertedBy ?? null,
    weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }],
    graphpe: { ...extra, checkpointFormat: 1 },
  };
  if (a.userDefinedMetadata) json.userDefinedMetadata = a.userDefinedMetadata;
  return {
    'weights.bin': new Uint8Array(toArrayBuffer(a.weightData)),
    'model.json': JSON.stringify(json),
  };
}

/** Writes `model.json` + `weights.bin` + `checkpoint.json` into `dir` (created if needed); `extra` lands under `graphpe`. */
export async function saveModelToDir(
  model: tf.LayersModel,
  dir: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await writeCheckpointFiles(dir, await modelFiles(model, extra), { kind: 'model' });
}

/** Reads `model.json` and its weights from an opened checkpoint as in-memory artifacts (verified). */
export async function readModelFiles(
  ckpt: CheckpointReader,
): Promise<{ artifacts: tf.io.ModelArtifacts; json: ModelJson }> {
  const file = path.join(ckpt.dir, 'model.json');
  const json = await ckpt.json<ModelJson>('model.json');
  if (typeof json !== 'object' || json === null || !Array.isArray(json.weightsManifest)) {
    throw corrupted(file, 'no weightsManifest');
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(bufferOf(await ckpt.read(p)));
  }
  const weightData = tf.io.concatenateArrayBuffers(buffers);
  checkWeightBytes(
    path.join(ckpt.dir, json.weightsManifest.flatMap((g) => g.paths).join('+')),
    weightData.byteLength,
    specs,
  );
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: specs,
    weightData,
  };
  if (json.format) artifacts.format = json.format;
  if (json.userDefinedMetadata)
    artifacts.userDefinedMetadata = json.userDefinedMetadata as NonNullable<
      tf.io.ModelArtifacts['userDefinedMetadata']
    >;
  return { artifacts, json };
}

/** Reads `model.json` and its weights from `dir` as in-memory artifacts (verified against the manifest). */
export async function readModelDir(
  dir: string,
  options: { warn?: ((line: string) => void) | null } = {},
): Promise<{ artifacts: tf.io.ModelArtifacts; json: ModelJson }> {
  return readModelFiles(await openCheckpoint(dir, options));
}

/** Loads a LayersModel saved by {@link saveModelToDir} (custom layer classes must be registered). */
export async function loadModelFromDir(
  dir: string,
  options: { warn?: ((line: string) => void) | null } = {},
): Promise<{ model: tf.LayersModel; json: ModelJson }> {
  const { artifacts, json } = await readModelDir(dir, options);
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  return { model, json };
}

/** The files of named tensors: `<name>.json` (specs + extra) and `<name>.bin`. */
export async function tensorFiles(
  name: string,
  tensors: NamedTensor[],
  extra: Record<string, unknown> = {},
): Promise<Record<string, string | Uint8Array>> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  return {
    [`${name}.bin`]: new Uint8Array(toArrayBuffer(data)),
    [`${name}.json`]: JSON.stringify({ specs, ...extra }),
  };
}

/** Writes named tensors as `<name>.json` (specs + extra) + `<name>.bin`, each atomically. */
export async function saveTensors(
  dir: string,
  name: string,
  tensors: NamedTensor[],
  extra: Record<string, unknown> = {},
): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [file, data] of Object.entries(await tensorFiles(name, tensors, extra))) {
    await writeFileAtomic(path.join(dir, file), data);
  }
}

/** Reads tensors written by {@link tensorFiles} from an opened checkpoint, in their saved order (caller disposes). */
export async function readTensorFiles(
  ckpt: CheckpointReader,
  name: string,
): Promise<{ tensors: NamedTensor[]; extra: Record<string, unknown> }> {
  const meta = await ckpt.json<{ specs: tf.io.WeightsManifestEntry[] } & Record<string, unknown>>(
    `${name}.json`,
  );
  if (typeof meta !== 'object' || meta === null || !Array.isArray(meta.specs)) {
    throw corrupted(path.join(ckpt.dir, `${name}.json`), 'no specs');
  }
  const buf = await ckpt.read(`${name}.bin`);
  checkWeightBytes(path.join(ckpt.dir, `${name}.bin`), buf.byteLength, meta.specs);
  const map = tf.io.decodeWeights(bufferOf(buf), meta.specs);
  const tensors = meta.specs.map((s) => ({ name: s.name, tensor: map[s.name] as tf.Tensor }));
  const { specs: _specs, ...extra } = meta;
  return { tensors, extra };
}

/** Reads tensors written by {@link saveTensors}, in their saved order (caller disposes). */
export async function loadTensors(
  dir: string,
  name: string,
): Promise<{ tensors: NamedTensor[]; extra: Record<string, unknown> }> {
  return readTensorFiles(await openCheckpoint(dir, { warn: null }), name);
}
