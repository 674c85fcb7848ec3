/**
 * Student architectures: parameter and MAC counts against hand derivations, deterministic seeded
 * initial weights, and only layer types the compiler's TF.js importer and the C kernels support.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { architectureNames, buildArchitecture, countModel } from '../../models/architectures/index.js';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { buildDsCnn } from '../../models/architectures/ds-cnn.js';
import { initWasmTraining } from '../../models/train/wasm-backend.js';

beforeAll(async () => {
  await initWasmTraining();
});

const SUPPORTED = new Set([
  'InputLayer', 'Conv2D', 'DepthwiseConv2D', 'BatchNormalization', 'ReLU', 'AveragePooling2D', 'MaxPooling2D',
  'GlobalAveragePooling2D', 'Dense', 'Softmax', 'Add', 'Concatenate', 'Dropout', 'Multiply', 'Reshape',
]);

describe('architectures', () => {
  it('DS-CNN S on [300, 40, 1]: 22,660 params and 21.70 M MACs (the reference point)', () => {
    const m = buildArchitecture('ds-cnn-s', { inputShape: [300, 40, 1], numClasses: 4, seed: 1 });
    const c = countModel(m);
    // conv 10x4x1x64 (no bias) + 4 x (dw 3x3x64 + pw 64x64) + dense 64x4+4, plus BN gamma/beta on 9 layers
    const trainable = 10 * 4 * 64 + 4 * (9 * 64 + 64 * 64) + (64 * 4 + 4) + 9 * 2 * 64;
    expect(c.trainableParams).toBe(trainable);
    expect(c.trainableParams).toBe(22660);
    expect(c.nonTrainableParams).toBe(9 * 2 * 64);
    // conv_0 stride 2 -> 150x20 positions; block 1 strides 2 -> 75x10 positions for all 4 blocks
    const macs = 150 * 20 * 64 * 10 * 4 + 4 * (75 * 10 * 64 * 9 + 75 * 10 * 64 * 64) + 64 * 4;
    expect(c.macs).toBe(macs);
    expect(Math.round(c.macs / 1e5) / 10).toBe(21.7);
    // after BN folding: every conv gains a bias
    expect(c.deployedParams).toBe(10 * 4 * 64 + 64 + 4 * (9 * 64 + 64 + 64 * 64 + 64) + 64 * 4 + 4);
    m.dispose();
  });

  for (const name of architectureNames()) {
    it(`${name}: builds, outputs class probabilities, uses only supported layers, seeded init is reproducible`, () => {
      const a = buildArchitecture(name, { inputShape: [100, 40, 1], numClasses: 4, seed: 5 });
      const b = buildArchitecture(name, { inputShape: [100, 40, 1], numClasses: 4, seed: 5 });
      expect(a.outputs[0]!.shape).toEqual([null, 4]);
      for (const l of a.layers) expect(SUPPORTED.has(l.getClassName()), `${name}: ${l.getClassName()}`).toBe(true);
      const wa = a.getWeights().map((w) => Array.from(w.dataSync()));
      const wb = b.getWeights().map((w) => Array.from(w.dataSync()));
      expect(wb).toEqual(wa);
      const c = countModel(a);
      expect(c.macs).toBeGreaterThan(0);
      expect(c.perLayer.reduce((s, l) => s + l.macs, 0)).toBe(c.macs);
      a.dispose();
      b.dispose();
    });
  }

  // every kernel the training graphs need (ReLU6, MaxPool, AvgPool, Softmax over time, Multiply,
  // BN, depthwise/dense conv gradients) exists on the WASM backend and yields finite gradients
  const variants: Array<[string, () => tfl.LayersModel]> = [
    ...architectureNames().map((n) => [n, () => buildArchitecture(n, { inputShape: [48, 16, 1], numClasses: 4, seed: 2 })] as [string, () => tfl.LayersModel]),
    ['ds-cnn relu6', () => buildDsCnn({ inputShape: [48, 16, 1], numClasses: 4, seed: 2, filters: 8, blocks: 2, relu6: true })],
  ];
  for (const [name, build] of variants) {
    it(`${name}: one Adam step on the WASM backend gives finite gradients for every weight`, () => {
      const model = build();
      const logits = tfl.model({ inputs: model.inputs, outputs: model.getLayer('logits').output as tfl.SymbolicTensor });
      const x = tf.randomNormal([4, 48, 16, 1], 0, 1, 'float32', 1);
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 4);
      const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, logits.apply(x, { training: true }) as tf.Tensor) as tf.Scalar);
      const names = Object.keys(grads);
      expect(names.length).toBe(model.trainableWeights.length);
      for (const n of names) {
        const g = grads[n]!.dataSync();
        expect(g.every((v) => Number.isFinite(v)), n).toBe(true);
      }
      tf.dispose([x, y, ...Object.values(grads)]);
      model.dispose();
    });
  }
});
