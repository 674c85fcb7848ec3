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
import { backend_util, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { padOrCrop, release, requireChannelsLast, runWasmKernel } from './kernel-utils.js';

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
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, inHeight, inWidth, outHeight, outWidth } = info;
  if (x.shape[3] === 1) {
    return singleChannelFilterGrad(backend, x, dy, { sh, sw, kh, kw, outHeight, outWidth, padTop: info.padInfo.top, padLeft: info.padInfo.left });
  }
  const needH = (outHeight - 1) * sh + kh;
  const needW = (outWidth - 1) * sw + kw;
  const xPad = padOrCrop(backend, x, [
    [0, 0],
    [info.padInfo.top, needH - info.padInfo.top - inHeight],
    [info.padInfo.left, needW - info.padInfo.left - inWidth],
    [0, 0],
  ]);
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
