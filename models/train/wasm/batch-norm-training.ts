/**
 * Training-mode batch norm as ONE kernel pair on the WASM backend (channels last, C % 4 == 0):
 *   TinyserBatchNormTraining      x, scale, offset -> y, batch mean, batch variance (biased)
 *   TinyserBatchNormTrainingGrad  dy, x, scale, mean, variance (, y) -> dx, dScale, dOffset
 * Attribute relu: y = max(BN(x), 0) and the gradient masks dy by y > 0 (a following ReLU layer
 * fused in; batch-norm-layer-patch.ts then turns that layer into an identity).
 * tfjs-layers builds the same thing from moments (Mean, Sub, Square, Mean) and FusedBatchNorm, and
 * its gradient from ~20 generic full-size ops (Sum, Mean, Multiply, RealDiv, Sub, Identity copies):
 * ~400 ms of a 1.5 s DS-CNN S step. Here the forward reads x twice (shifted moments, then
 * y = x * a + b) and the backward reads (dy, x) twice:
 *   inv = 1 / sqrt(var + eps), S1 = sum(dy), S2 = sum(dy * (x - mean)), N = rows
 *   dScale = inv * S2, dOffset = S1
 *   dx = scale*inv * dy - scale*inv^3*S2/N * (x - mean) - scale*inv*S1/N
 * Per-channel factors are computed in float64 in JS. The batch mean and variance outputs feed the
 * layer's moving averages, never the loss, so their incoming gradients are ignored.
 */
import * as tf from '@tensorflow/tfjs-core';
import { util, type GradConfig, type KernelConfig, type KernelFunc, type NamedAttrMap, type Tensor, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { TinyserError } from '../../../common/errors.js';
import { release } from './kernel-utils.js';
import { heapF32, heapF64, heapPointer, trainingSimdKernels, type TrainingSimdKernels } from './training-simd-module.js';

export const BATCH_NORM_TRAINING = 'TinyserBatchNormTraining';
export const BATCH_NORM_TRAINING_GRAD = 'TinyserBatchNormTrainingGrad';

function kernelsOrThrow(backend: object, kernel: string): TrainingSimdKernels {
  const k = trainingSimdKernels(backend);
  if (!k) throw new TinyserError('TOOLCHAIN', `${kernel}: the WASM backend exposes no SIMD-capable memory`);
  return k;
}

function geometry(x: TensorInfo, kernel: string): { rows: number; c: number } {
  const c = x.shape[x.shape.length - 1]!;
  if (x.dtype !== 'float32' || c % 4 !== 0) {
    throw new TinyserError('UNSUPPORTED_OP', `${kernel}: needs float32 with channels % 4 == 0 (got ${x.dtype} ${JSON.stringify(x.shape)})`);
  }
  return { rows: util.sizeFromShape(x.shape) / c, c };
}

/** Scratch layout (float32 units): [A f64: 2C][B f64: 2C][blkA C][blkB C][v0 C][v1 C][v2 C] */
function scratch(wasm: BackendWasm, c: number): { info: TensorInfo; accA: number; accB: number; blkA: number; blkB: number; v0: number; v1: number; v2: number } {
  const info = wasm.makeOutput([9 * c], 'float32');
  const base = heapPointer(wasm, info);
  const f = (k: number) => base + 4 * k * c;
  return { info, accA: f(0), accB: f(2), blkA: f(4), blkB: f(5), v0: f(6), v1: f(7), v2: f(8) };
}

const batchNormTrainingKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as unknown as BackendWasm;
  const x = inputs.x as TensorInfo;
  const scale = inputs.scale as TensorInfo;
  const offset = inputs.offset as TensorInfo;
  const { varianceEpsilon, relu } = attrs as unknown as { varianceEpsilon: number; relu?: boolean };
  const { rows, c } = geometry(x, BATCH_NORM_TRAINING);
  const k = kernelsOrThrow(backend, BATCH_NORM_TRAINING);
  const s = scratch(wasm, c);
  const y = wasm.makeOutput([...x.shape], 'float32');
  const mean = wasm.makeOutput([c], 'float32');
  const variance = wasm.makeOutput([c], 'float32');
  const xPtr = heapPointer(wasm, x);
  // views are taken after every allocation: an allocation may grow (and detach) the heap
  heapF64(k, s.accA, 2 * c).fill(0);
  const shift = heapF32(k, s.v0, c);
  shift.set(heapF32(k, xPtr, c));
  k.bnShiftedMoments(xPtr, 0, rows, 4 * c, s.v0, s.blkA, s.blkB, s.accA, s.accB, 0);
  const sumA = heapF64(k, s.accA, c);
  const sumB = heapF64(k, s.accB, c);
  const g = heapF32(k, heapPointer(wasm, scale), c);
  const o = heapF32(k, heapPointer(wasm, offset), c);
  const meanOut = heapF32(k, heapPointer(wasm, mean), c);
  const varOut = heapF32(k, heapPointer(wasm, variance), c);
  const mulVec = heapF32(k, s.v1, c);
  const addVec = heapF32(k, s.v2, c);
  for (let ch = 0; ch < c; ch++) {
    const d = sumA[ch]! / rows;
    const m = shift[ch]! + d;
    const v = Math.max(0, sumB[ch]! / rows - d * d);
    meanOut[ch] = m;
    varOut[ch] = v;
    const mul = g[ch]! / Math.sqrt(v + varianceEpsilon);
    mulVec[ch] = mul;
    addVec[ch] = o[ch]! - m * mul;
  }
  (relu ? k.bnAffineRelu : k.bnAffine)(xPtr, heapPointer(wasm, y), rows, 4 * c, s.v1, s.v2);
  release(backend, s.info);
  return [y, mean, variance];
};

const batchNormTrainingGradKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as unknown as BackendWasm;
  const dy = inputs.dy as TensorInfo;
  const x = inputs.x as TensorInfo;
  const { varianceEpsilon, relu } = attrs as unknown as { varianceEpsilon: number; relu?: boolean };
  const { rows, c } = geometry(x, BATCH_NORM_TRAINING_GRAD);
  const yPtr = relu ? heapPointer(wasm, inputs.y as TensorInfo) : 0;
  const k = kernelsOrThrow(backend, BATCH_NORM_TRAINING_GRAD);
  const s = scratch(wasm, c);
  const dx = wasm.makeOutput([...x.shape], 'float32');
  const dScale = wasm.makeOutput([c], 'float32');
  const dOffset = wasm.makeOutput([c], 'float32');
  const xPtr = heapPointer(wasm, x);
  const dyPtr = heapPointer(wasm, dy);
  const meanPtr = heapPointer(wasm, inputs.mean as TensorInfo);
  heapF64(k, s.accA, 2 * c).fill(0);
  (relu ? k.bnReluGradSums : k.bnGradSums)(dyPtr, xPtr, rows, 4 * c, meanPtr, s.blkA, s.blkB, s.accA, s.accB, yPtr);
  const s1 = heapF64(k, s.accA, c);
  const s2 = heapF64(k, s.accB, c);
  const g = heapF32(k, heapPointer(wasm, inputs.scale as TensorInfo), c);
  const mean = heapF32(k, meanPtr, c);
  const variance = heapF32(k, heapPointer(wasm, inputs.variance as TensorInfo), c);
  const dScaleOut = heapF32(k, heapPointer(wasm, dScale), c);
  const dOffsetOut = heapF32(k, heapPointer(wasm, dOffset), c);
  const A = heapF32(k, s.v0, c);
  const B = heapF32(k, s.v1, c);
  const C = heapF32(k, s.v2, c);
  for (let ch = 0; ch < c; ch++) {
    const inv = 1 / Math.sqrt(variance[ch]! + varianceEpsilon);
    dScaleOut[ch] = inv * s2[ch]!;
    dOffsetOut[ch] = s1[ch]!;
    const gi = g[ch]! * inv;
    const b = (-gi * inv * inv * s2[ch]!) / rows;
    A[ch] = gi;
    B[ch] = b;
    C[ch] = (-gi * s1[ch]!) / rows - b * mean[ch]!;
  }
  (relu ? k.bnReluGradInput : k.bnGradInput)(dyPtr, xPtr, heapPointer(wasm, dx), rows, 4 * c, s.v0, s.v1, s.v2, yPtr);
  release(backend, s.info);
  return [dx, dScale, dOffset];
};

export const batchNormTrainingWasmConfig: KernelConfig = { kernelName: BATCH_NORM_TRAINING, backendName: 'wasm', kernelFunc: batchNormTrainingKernel };
export const batchNormTrainingGradWasmConfig: KernelConfig = { kernelName: BATCH_NORM_TRAINING_GRAD, backendName: 'wasm', kernelFunc: batchNormTrainingGradKernel };

export const batchNormTrainingGradConfig: GradConfig = {
  kernelName: BATCH_NORM_TRAINING,
  inputsToSave: ['x', 'scale'],
  outputsToSave: [true, true, true],
  gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const dy = Array.isArray(dys) ? dys[0]! : dys;
    const [x, scale, y, mean, variance] = saved as [Tensor, Tensor, Tensor, Tensor, Tensor];
    // Computed once, eagerly: the tape calls each input's closure inside its own tidy, which would
    // dispose the other two outputs of a lazily shared call.
    const [dx, dScale, dOffset] = tf.engine().runKernel(BATCH_NORM_TRAINING_GRAD, { dy, x, scale, mean, variance, y }, attrs) as Tensor[];
    return { x: () => dx!, scale: () => dScale!, offset: () => dOffset! };
  },
};

/** True when the training batch-norm kernels can run for this input on the active backend. */
export function batchNormTrainingSupported(x: Tensor): boolean {
  return (
    tf.getBackend() === 'wasm' &&
    tf.getKernel(BATCH_NORM_TRAINING, 'wasm') !== undefined &&
    x.dtype === 'float32' &&
    x.rank >= 2 &&
    x.shape[x.rank - 1]! % 4 === 0 &&
    trainingSimdKernels(tf.backend()) !== null
  );
}

/**
 * [y, batch mean, batch variance]: normalise over every axis but the last, then scale and shift;
 * with relu, y = max(that, 0) (a following ReLU fused in, forward and backward).
 */
export function batchNormTraining(x: Tensor, scale: Tensor, offset: Tensor, varianceEpsilon: number, relu = false): [Tensor, Tensor, Tensor] {
  return tf.engine().runKernel(BATCH_NORM_TRAINING, { x, scale, offset }, { varianceEpsilon, relu }) as [Tensor, Tensor, Tensor];
}
