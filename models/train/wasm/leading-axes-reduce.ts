/**
 * Sum and Mean for the WASM backend when the reduced axes are the leading ones ([0..k-1]), as in
 * every per-channel reduction of NHWC training (batch-norm moments, bias and BN gradients).
 *
 * tfjs-backend-wasm reduces only innermost axes, so it first transposes [32,150,20,64] to put the
 * 96,000 reduced positions last: ~90 ms per call, ~40% of a DS-CNN step. Written as a matrix
 * product x[R,C]^T @ ones[R,1] (R = product of reduced dims) it runs through XNNPACK's fully
 * connected kernel as x^T @ ones (~15 ms) with the same float32 sum (different association order,
 * so results differ from the transposed path by float rounding only). `ones` is created per call,
 * which matters: see matMulTransposeAWithFreshB. Other cases fall through to the original kernels.
 */
import { type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { matMulTransposeAWithFreshB, release, runWasmKernel } from './kernel-utils.js';

function normaliseAxes(axis: number | number[] | undefined, rank: number): number[] {
  const list = axis === undefined ? Array.from({ length: rank }, (_, i) => i) : Array.isArray(axis) ? axis : [axis];
  return [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
}

function isLeadingPrefix(axes: number[]): boolean {
  return axes.length > 0 && axes.every((a, i) => a === i);
}

function makeLeadingReduce(name: 'Sum' | 'Mean', fallback: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as { axis?: number | number[]; keepDims?: boolean };
    const rank = x.shape.length;
    const axes = normaliseAxes(axis, rank);
    // Small tensors are not worth a matmul; int32 sums must stay exact in the original kernel.
    if (x.dtype !== 'float32' || !isLeadingPrefix(axes) || util.sizeFromShape(x.shape) < 4096) return fallback(args);
    const backend = args.backend;
    const r = util.sizeFromShape(x.shape.slice(0, axes.length));
    const keptShape = x.shape.slice(axes.length);
    const c = util.sizeFromShape(keptShape);
    const weights = runWasmKernel(backend, 'Fill', {}, { shape: [1, r, 1], value: name === 'Mean' ? 1 / r : 1, dtype: 'float32' });
    const x3 = runWasmKernel(backend, 'Reshape', { x }, { shape: [1, r, c] });
    const prod = matMulTransposeAWithFreshB(backend, x3, weights);
    const outShape = keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : keptShape;
    const out = runWasmKernel(backend, 'Reshape', { x: prod }, { shape: outShape });
    release(backend, weights, x3, prod);
    return out;
  };
}

/** Builds replacement configs around the currently registered wasm Sum/Mean kernels. */
export function leadingAxesReduceConfigs(originalSum: KernelFunc, originalMean: KernelFunc): KernelConfig[] {
  return [
    { kernelName: 'Sum', backendName: 'wasm', kernelFunc: makeLeadingReduce('Sum', originalSum) },
    { kernelName: 'Mean', backendName: 'wasm', kernelFunc: makeLeadingReduce('Mean', originalMean) },
  ];
}
