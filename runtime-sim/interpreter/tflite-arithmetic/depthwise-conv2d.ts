/** DEPTHWISE_CONV_2D as the TFLite runtime computes it (XNNPACK, per-channel int8): fp32-requantized-kernel.ts. */
import { depthwiseConv2d, depthwiseConvPerChannelInt8Reference, type DepthwiseParams } from '../kernels/depthwise-conv2d.js';
import { fp32RequantizedKernel } from './fp32-requantized-kernel.js';

export const depthwiseConv2dTflite = fp32RequantizedKernel<DepthwiseParams>({
  tflm: depthwiseConv2d,
  operands: { input: 0, filter: 1, bias: 2 },
  outputChannels: (p) => p.outC,
  activation: (o) => (o.kind === 'DepthwiseConv2DOptions' ? o.activation : 'NONE'),
  run: depthwiseConvPerChannelInt8Reference,
});
