/** CONV_2D as the TFLite runtime computes it (XNNPACK, per-channel int8): fp32-requantized-kernel.ts. */
import { conv2d, convPerChannelInt8Reference, type ConvInt8Params } from '../kernels/conv2d.js';
import { fp32RequantizedKernel } from './fp32-requantized-kernel.js';

export const conv2dTflite = fp32RequantizedKernel<ConvInt8Params>({
  tflm: conv2d,
  operands: { input: 0, filter: 1, bias: 2 },
  outputChannels: (p) => p.outC,
  activation: (o) => (o.kind === 'Conv2DOptions' ? o.activation : 'NONE'),
  run: convPerChannelInt8Reference,
});
