/**
 * Conv2DBackpropFilter for the WASM backend. The filter gradient
 *   dW[kh,kw,ci,co] = sum_{n,i,j} xPad[n, i*sh+kh, j*sw+kw, ci] * dy[n,i,j,co]
 * is itself a convolution once batch and channel axes swap roles: input = xPad as [ci, H, W, n]
 * (batch = input channels, channels = examples), filter = dy as [Ho, Wo, n, co] dilated by the
 * forward stride, 'valid' padding; the result [ci, kh, kw, co] is transposed back. XNNPACK then does
 * the work at forward-conv speed.
 *
 * Single-input-channel layers (a model's first conv on [frames, bands, 1]) take another route: the
 * swapped conv would have a [Ho, Wo] kernel producing only kh*kw outputs, which XNNPACK runs at a
 * fraction of its speed (~470 ms for DS-CNN conv_0). There the transposed im2col matrix P^T
 * [kh*kw, n*Ho*Wo] is built by a JS loop on the WASM heap and dW = P^T @ dy is computed as a 1x1
 * convolution (input P^T as kh*kw pixels of n*Ho*Wo channels, filter dy as [1,1,n*Ho*Wo,co]):
 * both operands are used in their natural layout, ~80 ms. (BatchMatMul with transposeA is a
 * scalar loop in tfjs-backend-wasm: 1.4 s here.)
 */
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { patchExtentInput, release, requireChannelsLast, runWasmKernel } from './kernel-utils.js';
import { heapF32, heapF64, heapPointer, trainingSimdKernels, type TrainingSimdKernels } from './training-simd-module.js';

const conv2dBackpropFilterWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
    dataFormat?: string;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  requireChannelsLast('Conv2DBackpropFilter', dataFormat);
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, outHeight, outWidth } = info;
  const simd = filterShape[3] % 16 === 0 && x.dtype === 'float32' && dy.dtype === 'float32' ? trainingSimdKernels(backend) : null;
  if (simd) {
    return patchGemmFilterGrad(backend as unknown as BackendWasm, simd, x, dy, info);
  }
  if (x.shape[3] === 1) {
    return singleChannelFilterGrad(backend, x, dy, { sh, sw, kh, kw, outHeight, outWidth, padTop: info.padInfo.top, padLeft: info.padInfo.left });
  }
  const { xPad } = patchExtentInput(backend, x, info);
  const xT = runWasmKernel(backend, 'Transpose', { x: xPad }, { perm: [3, 1, 2, 0] });
  const dyT = runWasmKernel(backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const conv = runWasmKernel(backend, 'Conv2D', { x: xT, filter: dyT }, {
    strides: [1, 1],
    pad: 'valid',
    dataFormat: 'NHWC',
    dilations: [sh, sw],
  });
  const dW = runWasmKernel(backend, 'Transpose', { x: conv }, { perm: [1, 2, 0, 3] });
  release(backend, xPad, xT, dyT, conv);
  return dW;
};

/** Output positions per patchGemm call: A and dy rows of one chunk stay in L2 (~128 KB for 64 ch). */
const GEMM_CHUNK_ROWS = 256;

/**
 * Any dense conv with Co % 16 == 0, through the SIMD patch GEMM (patch-gemm-simd.ts): x is padded
 * once to the extent the conv reads (a no-op for 1x1 stride-1), then dW[(a,b,ci), co] sums
 * xPad[n, i*sh+a, j*sw+b, ci] * dy[n,i,j,co] over output positions, addressed by two offset tables
 * instead of an im2col copy. Float64 totals per chunk, in a fixed order.
 */
function patchGemmFilterGrad(wasm: BackendWasm, simd: TrainingSimdKernels, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, outHeight, outWidth, inChannels: ci, outChannels: co } = info;
  const n = x.shape[0]!;
  const { xPad, needH, needW } = patchExtentInput(wasm, x, info);
  const taps = kh * kw * ci;
  const tapsEven = taps + (taps % 2);
  const positions = n * outHeight * outWidth;
  const baseTable = wasm.makeOutput([positions], 'int32');
  const offTable = wasm.makeOutput([tapsEven], 'int32');
  const total = wasm.makeOutput([2 * tapsEven * co], 'float32');
  const dW = wasm.makeOutput([kh, kw, ci, co], 'float32');
  const base = wasm.typedArrayFromHeap(baseTable) as Int32Array;
  let p = 0;
  for (let e = 0; e < n; e++) {
    for (let i = 0; i < outHeight; i++) {
      for (let j = 0; j < outWidth; j++) base[p++] = ((e * needH + i * sh) * needW + j * sw) * ci * 4;
    }
  }
  const off = wasm.typedArrayFromHeap(offTable) as Int32Array;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      for (let c = 0; c < ci; c++) off[(a * kw + b) * ci + c] = ((a * needW + b) * ci + c) * 4;
    }
  }
  if (tapsEven > taps) off[taps] = 0; // a padding tap whose row is dropped below
  const totalPtr = heapPointer(wasm, total);
  heapF64(simd, totalPtr, tapsEven * co).fill(0);
  const aPtr = heapPointer(wasm, xPad);
  const basePtr = heapPointer(wasm, baseTable);
  const offPtr = heapPointer(wasm, offTable);
  const dyPtr = heapPointer(wasm, dy);
  for (let p0 = 0; p0 < positions; p0 += GEMM_CHUNK_ROWS) {
    const rows = Math.min(GEMM_CHUNK_ROWS, positions - p0);
    simd.patchGemm(aPtr, basePtr + 4 * p0, offPtr, dyPtr + 4 * co * p0, totalPtr, rows, tapsEven, 4 * co);
  }
  heapF32(simd, heapPointer(wasm, dW), taps * co).set(heapF64(simd, totalPtr, taps * co));
  release(wasm, xPad, baseTable, offTable, total);
  return dW;
}

function singleChannelFilterGrad(
  backend: object,
  x: TensorInfo,
  dy: TensorInfo,
  g: { sh: number; sw: number; kh: number; kw: number; outHeight: number; outWidth: number; padTop: number; padLeft: number },
): TensorInfo {
  const wasm = backend as unknown as BackendWasm;
  const [n, inH, inW] = x.shape as [number, number, number, number];
  const cout = dy.shape[3]!;
  const rows = n * g.outHeight * g.outWidth;
  const taps = g.kh * g.kw;
  // im2col in JS straight on the WASM heap: WASM StridedSlice/5-D Slice take seconds here.
  const patchesT = wasm.makeOutput([1, 1, taps, rows], 'float32');
  const p = wasm.typedArrayFromHeap(patchesT) as Float32Array;
  const xv = wasm.typedArrayFromHeap(x) as Float32Array;
  for (let a = 0; a < g.kh; a++) {
    for (let b = 0; b < g.kw; b++) {
      let o = (a * g.kw + b) * rows;
      for (let e = 0; e < n; e++) {
        const base = e * inH * inW;
        for (let i = 0; i < g.outHeight; i++) {
          const yy = i * g.sh + a - g.padTop;
          const rowOk = yy >= 0 && yy < inH;
          for (let j = 0; j < g.outWidth; j++, o++) {
            const xx = j * g.sw + b - g.padLeft;
            p[o] = rowOk && xx >= 0 && xx < inW ? xv[base + yy * inW + xx]! : 0;
          }
        }
      }
    }
  }
  const filter = runWasmKernel(backend, 'Reshape', { x: dy }, { shape: [1, 1, rows, cout] });
  const conv = runWasmKernel(backend, 'Conv2D', { x: patchesT, filter }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] });
  const dW = runWasmKernel(backend, 'Reshape', { x: conv }, { shape: [g.kh, g.kw, 1, cout] });
  release(backend, patchesT, filter, conv);
  return dW;
}

export const conv2dBackpropFilterWasmConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterWasm,
};
