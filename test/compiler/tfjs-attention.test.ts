/**
 * The attention-pooling CNN from models/architectures (Reshape, Softmax over time, broadcasting
 * Multiply) imports through the TF.js path and its float64 IR agrees with tfjs's own predict().
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { importTfjsArtifacts, type TfjsArtifacts } from '../../compiler/import/tfjs/import-tfjs.js';
import { evaluateGraphFloat64 } from '../../compiler/ir/evaluate-float64.js';
import { optimizeGraph } from '../../compiler/passes/index.js';
import { buildArchitecture } from '../../models/architectures/index.js';
import { artifactsOf } from './tfjs-helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('TF.js import of the attention CNN', () => {
  it('matches tfjs predict() within 1e-4 on seeded inputs', async () => {
    const T = 48, F = 40;
    const model = buildArchitecture('attention-cnn', { inputShape: [T, F, 1], numClasses: 4, seed: 3 });
    const g = optimizeGraph(importTfjsArtifacts(await artifactsOf(model), 'attention'));
    expect(g.nodes.some((n) => n.op === 'Mul')).toBe(true);
    let s = 7;
    const rnd = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 4 - 2;
    for (let k = 0; k < 3; k++) {
      const x = Float32Array.from({ length: T * F }, rnd);
      const want = (model.predict(tf.tensor4d(x, [1, T, F, 1])) as tf.Tensor).dataSync();
      const arr = Array.from(evaluateGraphFloat64(g, [Float64Array.from(x)]).outputs[0]!.data);
      expect(arr.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) expect(Math.abs(arr[i]! - want[i]!)).toBeLessThan(1e-4);
    }
  });
});
