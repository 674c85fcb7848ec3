/**
 * DepthwiseConv2dNativeBackpropInput for the WASM backend: a transposed depthwise convolution.
 * dy [n,Ho,Wo,C*M] is dilated by the stride and padded by (k-1-pad) (cropped where a 'valid' strided
 * conv never read trailing rows), then a stride-1 depthwise conv with the flipped filter seen as
 * [kh,kw,C*M,1] gives [n,H,W,C*M], summed over the M outputs that each input channel fed.
 */
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { dilateNHWC, padOrCrop, release, requireUnitDilation, runWasmKernel } from './kernel-utils.js';
import { heapPointer, trainingSimdKernels } from './training-simd-module.js';

const depthwiseBackpropInputWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as {
    strides: [number, number] | number;
    dilations?: [number, number] | number;
    pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    inputShape: [number, number, number, number];
  };
  requireUnitDilation('DepthwiseConv2dNativeBackpropInput', dilations);
  const [kh, kw, c, m] = filter.shape as [number, number, number, number];
  const info = backend_util.computeConv2DInfo(inputShape, [kh, kw, c, m], strides, 1, pad, dimRoundingMode, true);
  const { strideHeight: sh, strideWidth: sw, inHeight, inWidth, outHeight, outWidth } = info;
  const n = inputShape[0];
  const simd = m === 1 && c % 4 === 0 && dy.dtype === 'float32' ? trainingSimdKernels(backend) : null;
  if (simd) {
    // SIMD scatter (depthwise-grad-simd.ts): no dilated/padded copies of dy, no flipped filter
    const wasm = backend as unknown as BackendWasm;
    const dx = wasm.makeOutput([...inputShape], 'float32');
    const dxPtr = heapPointer(wasm, dx);
    const dyPtr = heapPointer(wasm, dy);
    const wPtr = heapPointer(wasm, filter);
    const xImage = inHeight * inWidth * c * 4;
    const dyImage = outHeight * outWidth * c * 4;
    simd.zeroBytes(dxPtr, n * xImage);
    for (let e = 0; e < n; e++) {
      simd.dwInputGradImage(wPtr, dyPtr + e * dyImage, dxPtr + e * xImage, inHeight, inWidth, outHeight, outWidth, c * 4,
        kh, kw, sh, sw, info.padInfo.top, info.padInfo.left);
    }
    return dx;
  }
  const dyDil = dilateNHWC(backend, dy, sh, sw);
  const dyPad = padOrCrop(backend, dyDil, [
    [0, 0],
    [kh - 1 - info.padInfo.top, inHeight + info.padInfo.top - (outHeight - 1) * sh - 1],
    [kw - 1 - info.padInfo.left, inWidth + info.padInfo.left - (outWidth - 1) * sw - 1],
    [0, 0],
  ]);
  const flipped = runWasmKernel(backend, 'Reverse', { x: filter }, { dims: [0, 1] });
  const flat = runWasmKernel(backend, 'Reshape', { x: flipped }, { shape: [kh, kw, c * m, 1] });
  const conv = runWasmKernel(backend, 'DepthwiseConv2dNative', { x: dyPad, filter: flat }, {
    strides: [1, 1],
    pad: 'valid',
    dilations: [1, 1],
  });
  let dx: TensorInfo;
  if (m === 1) {
    dx = conv;
    release(backend, dyDil, dyPad, flipped, flat);
  } else {
    const split = runWasmKernel(backend, 'Reshape', { x: conv }, { shape: [n, inHeight, inWidth, c, m] });
    dx = runWasmKernel(backend, 'Sum', { x: split }, { axis: [4], keepDims: false });
    release(backend, dyDil, dyPad, flipped, flat, conv, split);
  }
  return dx;
};

export const depthwiseConv2dBackpropInputWasmConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInputWasm,
};
