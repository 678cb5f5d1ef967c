/**
 * Piscina worker of the PE batch runner: rebuilds the pipeline from its spec string (cached per
 * spec), unpacks a chunk of graphs, runs the same `encodeChunk` as the single-thread runner and
 * returns the packed outputs with every buffer transferred.
 */
import { GraphpeError } from '@graphpe/spectral';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { PeContextOptions } from '../fixed/context.js';
import { chunkBuffers, type PackedGraphs, type PeChunk, unpackGraphs } from './pack.js';
import { encodeChunk, type PreparedSpec, prepareSpec } from './run.js';
import { parsePeSpec } from './spec.js';

/** One chunk of work. */
export interface PeTask extends PackedGraphs {
  /** Normalized spec string (`formatPeSpec`). */
  spec: string;
  context: PeContextOptions;
  /** Global index of the chunk's first graph. */
  start: number;
}

/** A chunk's packed outputs, or a GraphpeError's fields. */
export type PeTaskResult =
  | PeChunk
  | { error: { code: string; message: string; details: Record<string, unknown> } };

const prepared = new Map<string, PreparedSpec>();

/**
 * A GraphpeError's fields as a structured-cloneable object, for the main thread to rebuild the error
 * from: a detail that cannot be cloned (a function, a class with private state) becomes its string.
 */
export function errorFields(err: GraphpeError): {
  code: string;
  message: string;
  details: Record<string, unknown>;
} {
  const details: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(err.details)) {
    try {
      details[key] = structuredClone(value);
    } catch {
      details[key] = String(value);
    }
  }
  return { code: err.code, message: err.message, details };
}

export default function peTask(task: PeTask): unknown {
  try {
    let p = prepared.get(task.spec);
    if (!p) {
      p = prepareSpec(parsePeSpec(task.spec));
      prepared.set(task.spec, p);
    }
    const chunk = encodeChunk(unpackGraphs(task), p, task.context, task.start);
    return move({ [transferableSymbol]: chunkBuffers(chunk), [valueSymbol]: chunk });
  } catch (err) {
    if (err instanceof GraphpeError) return { error: errorFields(err) } satisfies PeTaskResult;
    throw err;
  }
}
