/**
 * TRANSPOSE_CONV as the TFLite runtime computes it. Its XNNPACK delegate takes an int8 transposed
 * convolution only when the filter has a single scale (per tensor; measured: per-channel filters
 * with more than one output channel stay on TFLite's builtin kernel, whose bytes equal TFLM's).
 * Delegated: fp32-requantized-kernel.ts over TFLM's scatter of int32 sums; XNNPACK also applies a
 * fused activation to int8 (TFLM ignores it for int8).
 */
import { transposeConv, transposeConvPerChannelInt8Reference, type TransposeConvInt8Params } from '../kernels/transpose-conv.js';
import { fp32RequantizedKernel } from './fp32-requantized-kernel.js';

/** TFLM's prepare() returns the int32 scatter buffer with the params. */
type Params = TransposeConvInt8Params & { scratchInt32: Int32Array };

export const transposeConvTflite = fp32RequantizedKernel<Params>({
  tflm: transposeConv,
  operands: { input: 2, filter: 1, bias: 3 },
  outputChannels: (p) => p.outC,
  activation: (o) => (o.kind === 'TransposeConvOptions' ? o.activation : 'NONE'),
  run: (x, w, b, y, p) => transposeConvPerChannelInt8Reference(x, w, b, y, p, p.scratchInt32),
  delegated: (ctx) => ctx.input(1).quantization?.scale.length === 1,
});
