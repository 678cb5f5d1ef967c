import { fromEdgeList, GraphpeError } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';
import { encodePeBatch } from '../src/batch/run.js';
import { errorFields } from '../src/batch/worker.js';

describe('PE worker errors', () => {
  it('carry code, message and details in a form that crosses worker_threads, even with uncloneable details', () => {
    const err = new GraphpeError('E_OPTION', 'encodings.x: bad value (got 3)', {
      value: 3,
      shape: new Int32Array([2, 2]),
      fn: () => 1,
    });
    const fields = errorFields(err);
    const copy = structuredClone(fields);
    expect(copy.code).toBe('E_OPTION');
    expect(copy.message).toBe('encodings.x: bad value (got 3)');
    expect(copy.details.value).toBe(3);
    expect(Array.from(copy.details.shape as Int32Array)).toEqual([2, 2]);
    expect(copy.details.fn).toBe('() => 1');
  });
});

describe('batch runner errors', () => {
  it('name the input index of a bad graph in the message and details, not its place in the chunk', () => {
    // Paths of 3..8 nodes; the last (index 5) gets an infinite weight; chunks of 4 put it second in chunk 2.
    const graphs = Array.from({ length: 6 }, (_, i) =>
      fromEdgeList(Array.from({ length: 2 + i }, (_, v) => [v, v + 1] as [number, number])),
    );
    const bad = {
      ...graphs[5],
      weights: Float64Array.from(graphs[5].weights, () => Number.POSITIVE_INFINITY),
    };
    let caught: unknown;
    try {
      encodePeBatch([...graphs.slice(0, 5), bad], 'lap:k=2', { chunkSize: 4 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(GraphpeError);
    expect((caught as GraphpeError).details.graph).toBe(5);
    expect((caught as GraphpeError).message).toMatch(/graph 5 |graphs\[5\]/);
    expect((caught as GraphpeError).message).not.toMatch(/graph 1 |graphs\[1\]/);
  });
});
