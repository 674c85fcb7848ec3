/**
 * FULLY_CONNECTED as the TFLite runtime computes it (XNNPACK, int8 weights per tensor or per
 * channel): fp32-requantized-kernel.ts. int16 and float32 are TFLM's kernel unchanged.
 */
import { fullyConnected, fullyConnectedInt8Reference, type FullyConnectedParams } from '../kernels/fully-connected.js';
import { fp32RequantizedKernel } from './fp32-requantized-kernel.js';

export const fullyConnectedTflite = fp32RequantizedKernel<FullyConnectedParams>({
  tflm: fullyConnected,
  operands: { input: 0, filter: 1, bias: 2 },
  outputChannels: (p) => p.outputDepth,
  activation: (o) => (o.kind === 'FullyConnectedOptions' ? o.activation : 'NONE'),
  run: fullyConnectedInt8Reference,
});
