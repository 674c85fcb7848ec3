/**
 * Conv2DBackpropInput for the WASM backend as a transposed convolution through XNNPACK: dilate dy
 * by the stride, pad by (k-1-pad) on the leading side (crop where a 'valid' strided conv never read
 * the trailing rows), then a stride-1 conv with the spatially flipped filter whose in/out channels
 * are swapped. tfjs-backend-wasm ships a plain C loop for this kernel; this version replaces it
 * because it is faster on the first layers of a DS-CNN (see bench/training.bench.ts).
 */
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { dilateNHWC, padOrCrop, release, requireChannelsLast, runWasmKernel } from './kernel-utils.js';

const conv2dBackpropInputWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
    dataFormat?: string;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    inputShape: [number, number, number, number];
  };
  requireChannelsLast('Conv2DBackpropInput', dataFormat);
  const info = backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, inHeight, inWidth, outHeight, outWidth } = info;
  const dyDil = dilateNHWC(backend, dy, sh, sw);
  const dyPad = padOrCrop(backend, dyDil, [
    [0, 0],
    [kh - 1 - info.padInfo.top, inHeight + info.padInfo.top - (outHeight - 1) * sh - 1],
    [kw - 1 - info.padInfo.left, inWidth + info.padInfo.left - (outWidth - 1) * sw - 1],
    [0, 0],
  ]);
  const flipped = runWasmKernel(backend, 'Reverse', { x: filter }, { dims: [0, 1] });
  const swapped = runWasmKernel(backend, 'Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
  const dx = runWasmKernel(backend, 'Conv2D', { x: dyPad, filter: swapped }, {
    strides: [1, 1],
    pad: 'valid',
    dataFormat: 'NHWC',
    dilations: [1, 1],
  });
  release(backend, dyDil, dyPad, flipped, swapped);
  return dx;
};

export const conv2dBackpropInputWasmConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInputWasm,
};
