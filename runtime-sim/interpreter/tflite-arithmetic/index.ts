/**
 * Kernels as the TFLite runtime computes them on its default CPU path (the XNNPACK delegate, as in
 * the tfjs-tflite WebAssembly build), for the ops where that arithmetic differs from TFLM's
 * reference kernels. An interpreter created with `{ arithmetic: 'tflite' }` uses these and TFLM's
 * kernels for every other op (those give the same bytes in both runtimes: checked op by op in
 * test/interpreter/tflite-arithmetic.test.ts against the real runtime).
 *
 * Use it to predict what an app running the .tflite through TFLite will output; the device runs
 * TFLM, so the firmware, the generated C and the goldens follow the default 'tflm' arithmetic.
 */
import type { Kernel } from '../kernel.js';
import { addTflite } from './add.js';
import { conv2dTflite } from './conv2d.js';
import { depthwiseConv2dTflite } from './depthwise-conv2d.js';
import { fullyConnectedTflite } from './fully-connected.js';
import { leakyReluTflite } from './leaky-relu.js';
import { mulTflite } from './mul.js';
import { softmaxTflite } from './softmax.js';
import { notModelled } from './override.js';
import { transposeConvTflite } from './transpose-conv.js';

/** Builtin operator code -> the TFLite runtime's kernel, where it differs from TFLM's. */
export const TFLITE_ARITHMETIC_KERNELS: ReadonlyMap<number, Kernel<unknown>> = new Map<number, Kernel<unknown>>([
  [0, addTflite], // ADD
  [3, conv2dTflite], // CONV_2D
  [4, depthwiseConv2dTflite], // DEPTHWISE_CONV_2D
  [9, fullyConnectedTflite], // FULLY_CONNECTED
  [18, mulTflite], // MUL
  [25, softmaxTflite], // SOFTMAX
  [67, transposeConvTflite], // TRANSPOSE_CONV
  [98, leakyReluTflite], // LEAKY_RELU
  // Known to differ from TFLM in the TFLite runtime and not reproduced: refused by name rather than
  // run with TFLM's numbers. TFLite's optimised MEAN and XNNPACK's global average pool round
  // otherwise (the tinyser compiler lowers MEAN to AVERAGE_POOL_2D); TFLite's int8 LSTM gives
  // 67 % / 84 % of the golden LSTM models' outputs equal to TFLM's.
  [40, notModelled('MEAN')], // MEAN
  [44, notModelled('int8 UNIDIRECTIONAL_SEQUENCE_LSTM')], // UNIDIRECTIONAL_SEQUENCE_LSTM
]);
