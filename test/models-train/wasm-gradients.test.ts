/**
 * The gradient kernels tinyser adds to the WASM backend agree with tfjs-backend-cpu's reference
 * gradients on random small cases (stride 1 and 2, 'same' and 'valid', channel multiplier 1 and 2,
 * single-input-channel convs), and the leading-axes Sum/Mean replacements agree with the CPU sums.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initWasmTraining } from '../../models/train/wasm-backend.js';

beforeAll(async () => {
  await initWasmTraining();
});

interface ConvCase {
  x: [number, number, number, number];
  k: [number, number];
  outC: number;
  strides: [number, number];
  pad: 'same' | 'valid';
}

const cases: ConvCase[] = [
  { x: [2, 9, 7, 3], k: [3, 3], outC: 4, strides: [2, 2], pad: 'same' },
  { x: [2, 9, 7, 3], k: [3, 3], outC: 4, strides: [1, 1], pad: 'same' },
  { x: [2, 10, 8, 2], k: [3, 2], outC: 5, strides: [2, 1], pad: 'valid' },
  { x: [1, 11, 9, 3], k: [4, 4], outC: 2, strides: [2, 2], pad: 'same' },
  { x: [2, 5, 5, 2], k: [2, 2], outC: 3, strides: [2, 2], pad: 'valid' },
  { x: [3, 20, 8, 1], k: [10, 4], outC: 6, strides: [2, 2], pad: 'same' },
  { x: [2, 13, 6, 1], k: [3, 3], outC: 4, strides: [1, 1], pad: 'valid' },
  { x: [2, 8, 8, 4], k: [1, 1], outC: 6, strides: [1, 1], pad: 'same' },
];

async function gradsOn(backend: 'cpu' | 'wasm', c: ConvCase, depthwise: boolean, multiplier: number) {
  await tf.setBackend(backend);
  const filterShape: [number, number, number, number] = depthwise ? [c.k[0], c.k[1], c.x[3], multiplier] : [c.k[0], c.k[1], c.x[3], c.outC];
  return tf.tidy(() => {
    // seeded randomNormal is generated in JS, so both backends see identical inputs
    const x = tf.randomNormal(c.x, 0, 1, 'float32', 11);
    const f = tf.randomNormal(filterShape, 0, 1, 'float32', 12);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
      const y = depthwise
        ? tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad)
        : tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad);
      // a non-uniform upstream gradient so every output position matters differently
      return tf.sum(tf.mul(y, tf.sin(tf.reshape(tf.range(0, y.size), y.shape))));
    });
    const [dx, df] = g([x, f]);
    return { dx: dx!.dataSync() as Float32Array, df: df!.dataSync() as Float32Array, dfShape: df!.shape };
  });
}

function maxRelErr(ref: Float32Array, got: Float32Array): number {
  let maxAbs = 0;
  let scale = 1e-6;
  for (let i = 0; i < ref.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(ref[i]! - got[i]!));
    scale = Math.max(scale, Math.abs(ref[i]!));
  }
  return maxAbs / scale;
}

describe('WASM convolution gradients match the CPU backend', () => {
  for (const c of cases) {
    const label = `x=${c.x.join('x')} k=${c.k.join('x')} s=${c.strides.join(',')} ${c.pad}`;
    it(`conv2d ${label}`, async () => {
      const cpu = await gradsOn('cpu', c, false, 1);
      const wasm = await gradsOn('wasm', c, false, 1);
      expect(wasm.dfShape).toEqual(cpu.dfShape);
      expect(maxRelErr(cpu.dx, wasm.dx)).toBeLessThan(1e-5);
      expect(maxRelErr(cpu.df, wasm.df)).toBeLessThan(1e-5);
    });
    for (const m of [1, 2]) {
      it(`depthwise (multiplier ${m}) ${label}`, async () => {
        const cpu = await gradsOn('cpu', c, true, m);
        const wasm = await gradsOn('wasm', c, true, m);
        expect(wasm.dfShape).toEqual(cpu.dfShape);
        expect(maxRelErr(cpu.dx, wasm.dx)).toBeLessThan(1e-5);
        expect(maxRelErr(cpu.df, wasm.df)).toBeLessThan(1e-5);
      });
    }
  }

  it('batch-norm gradient (broadcast form) matches the CPU backend', async () => {
    const run = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.randomNormal([4, 6, 5, 3], 0.5, 2, 'float32', 3);
        const gamma = tf.randomNormal([3], 1, 0.2, 'float32', 4);
        const beta = tf.randomNormal([3], 0, 0.2, 'float32', 5);
        const g = tf.grads((a: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => {
          const { mean, variance } = tf.moments(a, [0, 1, 2]);
          const y = tf.batchNorm(a, mean, variance, o as tf.Tensor1D, s as tf.Tensor1D, 1e-3);
          return tf.sum(tf.mul(y, tf.cos(tf.reshape(tf.range(0, y.size), y.shape))));
        });
        return g([x, gamma, beta]).map((t) => t.dataSync() as Float32Array);
      });
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    for (let i = 0; i < 3; i++) expect(maxRelErr(cpu[i]!, wasm[i]!)).toBeLessThan(1e-4);
  });

  it('batch-norm forward (affine form) matches the CPU backend, with and without scale/offset', async () => {
    const run = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.randomNormal([3, 7, 5, 6], 1, 2, 'float32', 21);
        const mean = tf.randomNormal([6], 0, 1, 'float32', 22);
        const variance = tf.randomUniform([6], 0.2, 3, 'float32', 23);
        const gamma = tf.randomNormal([6], 1, 0.3, 'float32', 24);
        const beta = tf.randomNormal([6], 0, 0.3, 'float32', 25);
        return [tf.batchNorm(x, mean, variance, beta, gamma, 1e-3), tf.batchNorm(x, mean, variance, undefined, undefined, 1e-3)].map(
          (t) => t.dataSync() as Float32Array,
        );
      });
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    for (let i = 0; i < 2; i++) expect(maxRelErr(cpu[i]!, wasm[i]!)).toBeLessThan(1e-5);
  });

  it('leading-axes Sum and Mean agree with the CPU backend (and other axes still work)', async () => {
    const run = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.randomNormal([8, 30, 20, 5], 0, 1, 'float32', 9);
        return [
          tf.sum(x, [0, 1, 2]),
          tf.mean(x, [0, 1, 2], true),
          tf.sum(x, [0, 1]),
          tf.sum(x, [1, 2]),
          tf.mean(x),
        ].map((t) => ({ shape: t.shape, data: t.dataSync() as Float32Array }));
      });
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    for (let i = 0; i < cpu.length; i++) {
      expect(wasm[i]!.shape).toEqual(cpu[i]!.shape);
      expect(maxRelErr(cpu[i]!.data, wasm[i]!.data)).toBeLessThan(1e-5);
    }
  });
});
