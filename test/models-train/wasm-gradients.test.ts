/**
 * The gradient kernels tinyser adds to the WASM backend agree with tfjs-backend-cpu's reference
 * gradients on random small cases (stride 1 and 2, 'same' and 'valid', channel multiplier 1 and 2,
 * single-input-channel convs), and the leading-axes Sum/Mean replacements agree with the CPU sums.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { initWasmTraining } from '../../models/train/wasm-backend.js';
import { BATCH_NORM_TRAINING } from '../../models/train/wasm/batch-norm-training.js';

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
  // SIMD paths: depthwise with C % 4 == 0 (multiplier 1), dense filter gradient with Co % 16 == 0
  { x: [2, 9, 7, 8], k: [3, 3], outC: 16, strides: [2, 2], pad: 'same' },
  { x: [3, 8, 6, 4], k: [3, 3], outC: 32, strides: [1, 1], pad: 'same' },
  { x: [2, 10, 9, 12], k: [3, 2], outC: 16, strides: [2, 1], pad: 'valid' },
  { x: [3, 20, 8, 1], k: [10, 4], outC: 16, strides: [2, 2], pad: 'same' },
  { x: [2, 8, 8, 5], k: [1, 1], outC: 16, strides: [1, 1], pad: 'same' },
  { x: [2, 6, 5, 64], k: [1, 1], outC: 64, strides: [1, 1], pad: 'valid' },
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

  it('training batch-norm layer (fused SIMD kernels on WASM) matches the library path on CPU', async () => {
    const run = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const layer = tfl.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3, name: `bn_${backend}` });
      layer.build([null, 6, 5, 8]);
      const [gamma, beta, movingMean, movingVar] = [
        tf.randomNormal([8], 1, 0.3, 'float32', 31),
        tf.randomNormal([8], 0, 0.3, 'float32', 32),
        tf.randomNormal([8], 0, 0.5, 'float32', 33),
        tf.randomUniform([8], 0.5, 2, 'float32', 34),
      ];
      layer.setWeights([gamma, beta, movingMean, movingVar]);
      tf.dispose([gamma, beta, movingMean, movingVar]);
      const kernels: string[] = [];
      const out = tf.tidy(() => {
        // an offset mean (3) and unequal scales per channel: the shifted moments must stay exact
        const x = tf.add(tf.randomNormal([5, 6, 5, 8], 0, 2, 'float32', 35), 3);
        const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
        const { value, grads } = tf.variableGrads(() => {
          const y = layer.apply(x, { training: true }) as tf.Tensor;
          return tf.sum(tf.mul(y, tf.cos(tf.reshape(tf.range(0, y.size), y.shape)))) as tf.Scalar;
        }, weights);
        const dx = tf.grad((a: tf.Tensor) => {
          const y = layer.apply(a, { training: true }) as tf.Tensor;
          return tf.sum(tf.mul(y, tf.sin(tf.reshape(tf.range(0, y.size), y.shape))));
        })(x);
        return [value, ...weights.map((w) => grads[w.name]!), dx, ...layer.getWeights().slice(2)].map((t) => t.dataSync() as Float32Array);
      });
      const profile = await tf.profile(() => tf.tidy(() => layer.apply(tf.ones([2, 3, 3, 8]), { training: true }) as tf.Tensor));
      kernels.push(...profile.kernels.map((k) => k.name));
      for (const w of layer.weights) w.dispose();
      return { out, kernels };
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(wasm.kernels).toContain(BATCH_NORM_TRAINING);
    expect(cpu.kernels).not.toContain(BATCH_NORM_TRAINING);
    // loss, dGamma, dBeta, dx, moving mean and moving variance after three training calls
    expect(wasm.out).toHaveLength(6);
    for (let i = 0; i < cpu.out.length; i++) expect(maxRelErr(cpu.out[i]!, wasm.out[i]!)).toBeLessThan(1e-4);
  });

  it('BN -> ReLU in a model (fused into one kernel pair on WASM) trains like the library path on CPU', async () => {
    const run = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const input = tfl.input({ shape: [6, 5, 8] });
      const bn = tfl.layers.batchNormalization({ momentum: 0.5, epsilon: 1e-3 });
      const out = tfl.layers.reLU().apply(bn.apply(input)) as tfl.SymbolicTensor;
      const model = tfl.model({ inputs: input, outputs: out });
      const gamma = tf.randomNormal([8], 1, 0.3, 'float32', 51);
      const beta = tf.randomNormal([8], 0.2, 0.5, 'float32', 52);
      bn.setWeights([gamma, beta, tf.zeros([8]), tf.ones([8])]);
      const kernels: string[] = [];
      const profile = await tf.profile(() => {
        const r = tf.tidy(() => {
          const x = tf.add(tf.randomNormal([4, 6, 5, 8], 0, 1.5, 'float32', 53), 0.5);
          const dyUp = tf.tensor(Array.from({ length: x.size }, (_, i) => ((i * 7919) % 17) - 8), x.shape);
          const vars = bn.trainableWeights.map((w) => w.read() as tf.Variable);
          const g = tf.grads((a: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => {
            void s;
            void o;
            return tf.sum(tf.mul(model.apply(a, { training: true }) as tf.Tensor, dyUp));
          });
          const dx = g([x, vars[0]!, vars[1]!])[0]!;
          const { grads } = tf.variableGrads(() => tf.sum(tf.mul(model.apply(x, { training: true }) as tf.Tensor, dyUp)) as tf.Scalar, vars);
          const y = model.apply(x, { training: true }) as tf.Tensor;
          return [y, dx, grads[vars[0]!.name]!, grads[vars[1]!.name]!];
        });
        return r;
      });
      kernels.push(...profile.kernels.map((k) => k.name));
      const result = (profile.result as tf.Tensor[]).map((t) => t.dataSync() as Float32Array);
      tf.dispose(profile.result as tf.Tensor[]);
      result.push(...bn.getWeights().slice(2).map((t) => t.dataSync() as Float32Array));
      model.dispose();
      return { result, kernels };
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(wasm.kernels).toContain(BATCH_NORM_TRAINING);
    expect(wasm.kernels).not.toContain('Relu');
    expect(cpu.kernels).toContain('Relu');
    // y, dx, dGamma, dBeta, moving mean and variance after three training calls
    expect(wasm.result).toHaveLength(6);
    expect(cpu.result[0]!.some((v) => v === 0)).toBe(true);
    for (let i = 0; i < cpu.result.length; i++) expect(maxRelErr(cpu.result[i]!, wasm.result[i]!)).toBeLessThan(1e-4);
  });

  it('single-input-channel Conv2D forward (SIMD on WASM) matches the CPU backend and the library kernel', async () => {
    const geometries: Array<{ x: [number, number, number, number]; k: [number, number, number, number]; s: [number, number]; pad: 'same' | 'valid' }> = [
      { x: [3, 20, 8, 1], k: [10, 4, 1, 16], s: [2, 2], pad: 'same' },
      { x: [2, 9, 7, 1], k: [3, 3, 1, 32], s: [1, 1], pad: 'valid' },
      { x: [2, 11, 6, 1], k: [4, 2, 1, 16], s: [2, 1], pad: 'same' },
    ];
    for (const g of geometries) {
      const run = async (backend: 'cpu' | 'wasm', fused: boolean) => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const x = tf.randomNormal(g.x, 0, 1, 'float32', 61) as tf.Tensor4D;
          const f = tf.randomNormal(g.k, 0, 1, 'float32', 62) as tf.Tensor4D;
          // tf.fused.conv2d outside a tape runs the library's FusedConv2D (XNNPACK on WASM)
          const y = fused ? tf.fused.conv2d({ x, filter: f, strides: g.s, pad: g.pad }) : tf.conv2d(x, f, g.s, g.pad);
          return { shape: y.shape, data: y.dataSync() as Float32Array };
        });
      };
      const cpu = await run('cpu', false);
      const wasm = await run('wasm', false);
      const library = await run('wasm', true);
      expect(wasm.shape).toEqual(cpu.shape);
      expect(maxRelErr(cpu.data, wasm.data)).toBeLessThan(1e-5);
      expect(maxRelErr(library.data, wasm.data)).toBeLessThan(1e-5);
    }
  });

  it('ReLU forward and gradient (SIMD kernels on WASM) equal the CPU backend exactly', async () => {
    const run = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        // exact zeros included: relu'(0) = 0 in tfjs (step(0) = 0)
        const x = tf.mul(tf.round(tf.randomNormal([4, 5, 3, 8], 0, 2, 'float32', 41)), 0.5);
        // upstream gradient from JS values (no backend-specific cos) so both sides see the same dy
        const dy = tf.tensor(Array.from({ length: x.size }, (_, i) => ((i * 7919) % 13) - 6.5), x.shape);
        const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), dy)));
        // the sign of a zero gradient carries nothing (CPU: dy * 0 = -0 for negative dy)
        return [tf.relu(x), g(x)].map((t, k) => Array.from(t.dataSync()).map((v) => (k === 1 && v === 0 ? 0 : v)));
      });
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(cpu[0]!.some((v) => v === 0)).toBe(true);
    expect(wasm).toEqual(cpu);
  });

  it('Identity on WASM shares data and keeps tf.memory() balanced', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numBytes;
    const x = tf.tensor1d([1, 2, 3, 4]);
    const y = tf.clone(x);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4]);
    y.dispose();
    expect(tf.memory().numBytes).toBe(before);
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
