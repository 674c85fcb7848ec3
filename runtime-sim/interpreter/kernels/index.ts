/** Builtin operator code -> kernel. Add one line per new kernel file. */
import type { Kernel } from '../kernel.js';
import type { TfliteOperator } from '../tflite/model.js';
import { add } from './add.js';
import { averagePool2d } from './average-pool2d.js';
import { concatenation } from './concatenation.js';
import { conv2d } from './conv2d.js';
import { depthwiseConv2d } from './depthwise-conv2d.js';
import { dequantize } from './dequantize.js';
import { fullyConnected } from './fully-connected.js';
import { leakyRelu } from './leaky-relu.js';
import { logistic } from './logistic.js';
import { maxPool2d } from './max-pool2d.js';
import { mean } from './mean.js';
import { mul } from './mul.js';
import { pad } from './pad.js';
import { quantize } from './quantize.js';
import { relu, relu6 } from './relu.js';
import { reshape } from './reshape.js';
import { softmax } from './softmax.js';
import { sub } from './sub.js';
import { svdf } from './svdf.js';
import { tanh } from './tanh.js';
import { transpose } from './transpose.js';
import { transposeConv } from './transpose-conv.js';
import { unidirectionalSequenceLstm } from './unidirectional-sequence-lstm.js';

const KERNELS: ReadonlyMap<number, Kernel<unknown>> = new Map<number, Kernel<unknown>>([
  [0, add], // ADD
  [1, averagePool2d], // AVERAGE_POOL_2D
  [2, concatenation], // CONCATENATION
  [3, conv2d], // CONV_2D
  [4, depthwiseConv2d], // DEPTHWISE_CONV_2D
  [6, dequantize], // DEQUANTIZE
  [9, fullyConnected], // FULLY_CONNECTED
  [14, logistic], // LOGISTIC
  [17, maxPool2d], // MAX_POOL_2D
  [18, mul], // MUL
  [19, relu], // RELU
  [21, relu6], // RELU6
  [22, reshape], // RESHAPE
  [25, softmax], // SOFTMAX
  [27, svdf], // SVDF
  [28, tanh], // TANH
  [34, pad], // PAD
  [39, transpose], // TRANSPOSE
  [40, mean], // MEAN
  [41, sub], // SUB
  [43, reshape], // SQUEEZE: same bytes, new shape
  [44, unidirectionalSequenceLstm], // UNIDIRECTIONAL_SEQUENCE_LSTM
  [60, pad], // PADV2
  [67, transposeConv], // TRANSPOSE_CONV
  [70, reshape], // EXPAND_DIMS: same bytes, new shape
  [98, leakyRelu], // LEAKY_RELU
  [114, quantize], // QUANTIZE
]);

export function kernelFor(op: TfliteOperator): Kernel<unknown> | undefined {
  return KERNELS.get(op.builtinCode);
}

/** Builtin codes the interpreter implements. */
export function supportedBuiltinCodes(): number[] {
  return [...KERNELS.keys()].sort((a, b) => a - b);
}
