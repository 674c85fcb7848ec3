/**
 * Data-parallel training (main thread + one worker): shard losses add up to the batch loss, the
 * averaged batch-norm update uses both halves' statistics, and a 2-thread run is deterministic,
 * leak-free and reports its thread count.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initWasmTraining } from '../../models/train/wasm-backend.js';
import { trainClassifier } from '../../models/train/trainer.js';
import { distillationKl, weightedCrossEntropy } from '../../models/train/losses.js';
import { shardLoss, type ShardBatch } from '../../models/train/parallel/half-batch.js';
import { DataParallelTrainer } from '../../models/train/parallel/data-parallel.js';
import { buildArchitecture } from '../../models/architectures/registry.js';
import { syntheticFeatureSet } from './synthetic-features.js';

beforeAll(async () => {
  await initWasmTraining();
});

const classNames = ['neutral', 'happy', 'sad', 'angry'];

function slice(b: ShardBatch, from: number, to: number, classes: number): ShardBatch {
  return {
    x: b.x,
    count: to - from,
    labels: b.labels.slice(from, to),
    weights: b.weights.slice(from, to),
    teacher: b.teacher ? b.teacher.slice(from * classes, to * classes) : null,
  };
}

describe('data-parallel training', () => {
  it('shard losses with whole-batch totals add up to the batch loss (CE and distillation)', () => {
    const n = 8;
    const c = 4;
    const logitsData = Float32Array.from({ length: n * c }, (_, i) => Math.sin(i * 1.7) * 2);
    const teacherData = Float32Array.from({ length: n * c }, (_, i) => Math.cos(i * 0.9) * 3);
    const batch: ShardBatch = {
      x: new Float32Array(0),
      count: n,
      labels: Int32Array.from({ length: n }, (_, i) => (i * 3) % c),
      weights: Float32Array.from({ length: n }, (_, i) => 0.5 + (i % 3) * 0.75),
      teacher: teacherData,
    };
    for (const distill of [null, { temperature: 2, alpha: 0.7 }]) {
      const spec = { frames: 1, bands: 1, numClasses: c, weightTotal: batch.weights.reduce((s, w) => s + w, 0), countTotal: n, distill };
      const [whole, parts, reference] = tf.tidy(() => {
        const all = tf.tensor2d(logitsData, [n, c]);
        const first = tf.tensor2d(logitsData.subarray(0, 3 * c), [3, c]);
        const rest = tf.tensor2d(logitsData.subarray(3 * c), [n - 3, c]);
        const sum = tf.add(shardLoss(first, slice(batch, 0, 3, c), spec), shardLoss(rest, slice(batch, 3, n, c), spec));
        const ce = weightedCrossEntropy(all, tf.cast(tf.oneHot(tf.tensor1d(batch.labels, 'int32'), c), 'float32') as tf.Tensor2D, tf.tensor1d(batch.weights));
        const ref = distill
          ? tf.add(tf.mul(distillationKl(all, tf.tensor2d(teacherData, [n, c]), distill.temperature), distill.alpha), tf.mul(ce, 1 - distill.alpha))
          : ce;
        return [shardLoss(all, batch, spec), sum, ref].map((t) => t.dataSync()[0]!);
      });
      expect(parts).toBeCloseTo(whole!, 5);
      expect(whole).toBeCloseTo(reference!, 5);
    }
  });

  it('one 2-thread step updates BN moving statistics with the example-weighted mean of both halves', async () => {
    const model = buildArchitecture('ds-cnn-s', { inputShape: [20, 16, 1], numClasses: 4, seed: 3 });
    const logits = tfl.model({ inputs: model.inputs, outputs: model.getLayer('logits').output as tfl.SymbolicTensor });
    const bn = model.getLayer('conv_0_bn') as unknown as { momentum: number };
    bn.momentum = 0; // the moving mean becomes exactly this step's (averaged) batch mean
    const optimizer = tf.train.adam(1e-3);
    const trainer = await DataParallelTrainer.create(model, logits, optimizer);
    expect(trainer).not.toBeNull();
    const n = 7; // odd: main thread takes 4, the worker 3
    const x = Float32Array.from({ length: n * 20 * 16 }, (_, i) => Math.sin(i * 0.37) + (i % 5) * 0.1);
    // expected: per-half channel means of conv_0's output, with the weights before the step
    const conv = tfl.model({ inputs: model.inputs, outputs: model.getLayer('conv_0').output as tfl.SymbolicTensor });
    const expected = tf.tidy(() => {
      const halfMean = (from: number, to: number) =>
        tf.mean(conv.predict(tf.tensor4d(x.subarray(from * 320, to * 320), [to - from, 20, 16, 1])) as tf.Tensor, [0, 1, 2]);
      return tf.add(tf.mul(halfMean(0, 4), 4 / 7), tf.mul(halfMean(4, 7), 3 / 7)).dataSync() as Float32Array;
    });
    const batch = () => ({ x: x.slice(), count: n, labels: Int32Array.from({ length: n }, (_, i) => i % 4), weights: new Float32Array(n).fill(1), teacher: null });
    const spec = { frames: 20, bands: 16, numClasses: 4, distill: null };
    const loss = await trainer!.step(batch(), spec);
    expect(Number.isFinite(loss)).toBe(true);
    const movingMean = model.getLayer('conv_0_bn').getWeights()[2]!.dataSync() as Float32Array;
    for (let ch = 0; ch < expected.length; ch++) expect(movingMean[ch]).toBeCloseTo(expected[ch]!, 5);
    // no tensors pile up on either thread across further steps
    const mainTensors: number[] = [];
    const workerTensors: number[] = [];
    for (let i = 0; i < 3; i++) {
      await trainer!.step(batch(), spec);
      mainTensors.push(tf.memory().numTensors);
      workerTensors.push(trainer!.lastWorkerTensors);
    }
    expect(new Set(mainTensors).size).toBe(1);
    expect(new Set(workerTensors).size).toBe(1);
    expect(workerTensors[0]).toBeGreaterThan(0);
    optimizer.dispose();
    model.dispose();
  });

  it('2 threads: identical histories for the same seed, flat tensor count, threads reported', async () => {
    const frames = 40;
    const bands = 16;
    const train = syntheticFeatureSet({ speakers: ['s1', 's2', 's3', 's4'], perSpeakerPerClass: 4, frames, bands, classNames, seed: 1 });
    const val = syntheticFeatureSet({ speakers: ['v1'], perSpeakerPerClass: 4, frames, bands, classNames, seed: 2 });
    const opts = { arch: 'ds-cnn-s', batchSize: 16, learningRate: 3e-3, seed: 5, patience: 50, epochs: 2, threads: 2 as const };
    const counts: number[] = [];
    const a = await trainClassifier({ train, val }, opts, { onEpoch: () => counts.push(tf.memory().numTensors) });
    const b = await trainClassifier({ train, val }, opts);
    expect(a.history.map((h) => h.threads)).toEqual([2, 2]);
    expect(b.history.map((h) => h.loss)).toEqual(a.history.map((h) => h.loss));
    expect(Array.from(b.model.getWeights()[0]!.dataSync())).toEqual(Array.from(a.model.getWeights()[0]!.dataSync()));
    expect(counts[1]).toBe(counts[0]);
    const single = await trainClassifier({ train, val }, { ...opts, threads: 1, epochs: 1 });
    expect(single.history[0]!.threads).toBe(1);
    // same data and weights, BN statistics per half instead of per batch: close, not equal
    expect(Math.abs(single.history[0]!.loss - a.history[0]!.loss)).toBeLessThan(0.1 * a.history[0]!.loss);
    for (const r of [a, b, single]) r.model.dispose();
  });
});
