/**
 * DepthwiseConv2dNativeBackpropFilter for the WASM backend. With channel multiplier M,
 *   dW[kh,kw,c,m] = sum_{n,i,j} xPad[n, i*sh+kh, j*sw+kw, c] * dy[n,i,j,c*M+m].
 * Folding the batch into the channel axis turns this into ONE depthwise convolution: input xPad as
 * [1, H, W, n*C], filter dy as [Ho, Wo, n*C, M] dilated by the stride, 'valid'; the output
 * [1, kh, kw, n*C*M] is summed over n. (The batch<->channel swap used for dense conv would compute
 * all C x C channel pairs and keep only the diagonal.)
 */
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { padOrCrop, release, requireUnitDilation, runWasmKernel } from './kernel-utils.js';

const depthwiseBackpropFilterWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: [number, number] | number;
    dilations?: [number, number] | number;
    pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  requireUnitDilation('DepthwiseConv2dNativeBackpropFilter', dilations);
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, true);
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, inHeight, inWidth, outHeight, outWidth } = info;
  const [n, , , c] = x.shape as [number, number, number, number];
  const m = filterShape[3];
  const needH = (outHeight - 1) * sh + kh;
  const needW = (outWidth - 1) * sw + kw;
  const xPad = padOrCrop(backend, x, [
    [0, 0],
    [info.padInfo.top, needH - info.padInfo.top - inHeight],
    [info.padInfo.left, needW - info.padInfo.left - inWidth],
    [0, 0],
  ]);
  const xT = runWasmKernel(backend, 'Transpose', { x: xPad }, { perm: [1, 2, 0, 3] });
  const xFold = runWasmKernel(backend, 'Reshape', { x: xT }, { shape: [1, needH, needW, n * c] });
  const dyT = runWasmKernel(backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const dyFold = runWasmKernel(backend, 'Reshape', { x: dyT }, { shape: [outHeight, outWidth, n * c, m] });
  const conv = runWasmKernel(backend, 'DepthwiseConv2dNative', { x: xFold, filter: dyFold }, {
    strides: [1, 1],
    pad: 'valid',
    dilations: [sh, sw],
  });
  const perExample = runWasmKernel(backend, 'Reshape', { x: conv }, { shape: [kh, kw, n, c * m] });
  const summed = runWasmKernel(backend, 'Sum', { x: perExample }, { axis: [2], keepDims: false });
  const dW = runWasmKernel(backend, 'Reshape', { x: summed }, { shape: [kh, kw, c, m] });
  release(backend, xPad, xT, xFold, dyT, dyFold, conv, perExample, summed);
  return dW;
};

export const depthwiseConv2dBackpropFilterWasmConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilterWasm,
};
