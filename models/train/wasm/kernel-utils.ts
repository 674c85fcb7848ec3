/**
 * Helpers for gradient kernels that the WASM backend lacks. Each helper runs one of the WASM
 * backend's own registered forward kernels directly on TensorInfos (never through tf ops), so the
 * intermediates never enter the engine's bookkeeping or the gradient tape; the caller disposes them
 * with `release`, which is what keeps tf.memory() flat across training steps.
 */
import { getKernel, type KernelBackend, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { TinyserError } from '../../../common/errors.js';

export function runWasmKernel(
  backend: object,
  kernelName: string,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const config = getKernel(kernelName, 'wasm');
  if (!config) {
    throw new TinyserError('UNSUPPORTED_OP', `WASM backend has no forward kernel '${kernelName}' needed by a gradient kernel`);
  }
  const out = config.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new TinyserError('UNSUPPORTED_OP', `kernel '${kernelName}' returned several outputs`);
  return out;
}

/** Frees intermediates made by runWasmKernel (reshape shares data; refcounts make that safe). */
export function release(backend: object, ...infos: TensorInfo[]): void {
  for (const t of infos) (backend as KernelBackend).disposeData(t.dataId);
}

/** Geometry of a forward conv that patchExtentInput needs (a subset of backend_util.Conv2DInfo). */
export interface PatchGeometry {
  strideHeight: number;
  strideWidth: number;
  filterHeight: number;
  filterWidth: number;
  inHeight: number;
  inWidth: number;
  outHeight: number;
  outWidth: number;
  padInfo: { top: number; left: number };
}

/**
 * The NHWC input padded (or cropped) to exactly the rows and columns the conv's patches read:
 * (out - 1) * stride + kernel per axis, the forward conv's leading padding first. Patch p then starts
 * at row p * stride of the result, with no bounds checks left for the kernels that use it.
 */
export function patchExtentInput(backend: object, x: TensorInfo, g: PatchGeometry): { xPad: TensorInfo; needH: number; needW: number } {
  const needH = (g.outHeight - 1) * g.strideHeight + g.filterHeight;
  const needW = (g.outWidth - 1) * g.strideWidth + g.filterWidth;
  const xPad = padOrCrop(backend, x, [
    [0, 0],
    [g.padInfo.top, needH - g.padInfo.top - g.inHeight],
    [g.padInfo.left, needW - g.padInfo.left - g.inWidth],
    [0, 0],
  ]);
  return { xPad, needH, needW };
}

/**
 * Pads (positive amounts) and crops (negative amounts) each axis: transposed convolutions need
 * both, e.g. a 'valid' strided conv that never read the last input rows gets a negative pad there.
 */
export function padOrCrop(backend: object, x: TensorInfo, amounts: Array<[number, number]>): TensorInfo {
  const needsPad = amounts.some(([a, b]) => a > 0 || b > 0);
  const needsCrop = amounts.some(([a, b]) => a < 0 || b < 0);
  let cur = x;
  let owned = false;
  if (needsPad) {
    const paddings = amounts.map(([a, b]) => [Math.max(0, a), Math.max(0, b)]);
    cur = runWasmKernel(backend, 'PadV2', { x: cur }, { paddings, constantValue: 0 } as unknown as NamedAttrMap);
    owned = true;
  }
  if (needsCrop) {
    const begin = amounts.map(([a]) => Math.max(0, -a));
    const size = cur.shape.map((d, i) => d - Math.max(0, -amounts[i]![0]) - Math.max(0, -amounts[i]![1]));
    const sliced = runWasmKernel(backend, 'Slice', { x: cur }, { begin, size });
    if (owned) release(backend, cur);
    cur = sliced;
    owned = true;
  }
  if (!owned) {
    // Callers always release what this returns, so hand back a reference-counted alias.
    return runWasmKernel(backend, 'Reshape', { x }, { shape: [...x.shape] });
  }
  return cur;
}

/**
 * Inserts (stride-1) zeros between rows and columns of an NHWC tensor: the input of a transposed
 * strided convolution. Done as reshape -> pad a unit axis -> reshape -> crop, all forward kernels.
 */
export function dilateNHWC(backend: object, x: TensorInfo, strideH: number, strideW: number): TensorInfo {
  if (strideH === 1 && strideW === 1) return runWasmKernel(backend, 'Reshape', { x }, { shape: [...x.shape] });
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const six = runWasmKernel(backend, 'Reshape', { x }, { shape: [n, h, 1, w, 1, c] });
  const padded = runWasmKernel(backend, 'PadV2', { x: six }, {
    paddings: [[0, 0], [0, 0], [0, strideH - 1], [0, 0], [0, strideW - 1], [0, 0]],
    constantValue: 0,
  } as unknown as NamedAttrMap);
  const flat = runWasmKernel(backend, 'Reshape', { x: padded }, { shape: [n, h * strideH, w * strideW, c] });
  const out = runWasmKernel(backend, 'Slice', { x: flat }, {
    begin: [0, 0, 0, 0],
    size: [n, (h - 1) * strideH + 1, (w - 1) * strideW + 1, c],
  });
  release(backend, six, padded, flat);
  return out;
}

export function requireChannelsLast(kernel: string, dataFormat: unknown): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new TinyserError('UNSUPPORTED_OP', `${kernel} on WASM: only NHWC is supported (got ${String(dataFormat)})`);
  }
}

export function requireUnitDilation(kernel: string, dilations: unknown): void {
  const d = dilations == null ? [1, 1] : typeof dilations === 'number' ? [dilations, dilations] : (dilations as number[]);
  if (d.some((v) => v !== 1)) {
    throw new TinyserError('UNSUPPORTED_OP', `${kernel} on WASM: dilations ${JSON.stringify(d)} are not supported (only 1)`);
  }
}

/**
 * A transposed-A matrix product a^T @ b through the WASM BatchMatMul (XNNPACK fully connected).
 * `b` must be a tensor created by the caller for this call only: the kernel caches b's packed form
 * by data id, and Reshape shares data ids, so a reshaped view of a long-lived tensor as `b` can
 * reuse weights packed for another shape (seen here: a wrong Sum after a Sum of the same tensor
 * over other axes). Measured on [96000, 64]: a^T @ fresh-b 15 ms, while a fresh 6M-float `b`
 * costs ~100 ms of packing.
 */
export function matMulTransposeAWithFreshB(backend: object, a: TensorInfo, freshB: TensorInfo, transposeB = false): TensorInfo {
  return runWasmKernel(backend, 'BatchMatMul', { a, b: freshB }, { transposeA: true, transposeB });
}
