/**
 * A plain small CNN: three Conv2D 3x3 -> BN -> ReLU -> MaxPool 2x2 stages (16, 32, 64 channels),
 * GlobalAveragePooling2D, Dense, Softmax. A baseline that uses no depthwise convolutions, useful to
 * check that the DS-CNN's factorisation costs little accuracy.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { BN_MOMENTUM, seedFor, type ArchitectureOptions } from './types.js';

export interface SmallCnnOptions extends ArchitectureOptions {
  channels?: number[];
}

export function buildSmallCnn(opts: SmallCnnOptions): tfl.LayersModel {
  const channels = opts.channels ?? [16, 32, 64];
  let li = 0;
  const init = () => tfl.initializers.glorotUniform({ seed: seedFor(opts.seed, li++) });
  const input = tfl.input({ shape: opts.inputShape, name: 'features' });
  let x: SymbolicTensor = input;
  channels.forEach((c, i) => {
    x = tfl.layers
      .conv2d({ filters: c, kernelSize: 3, strides: i === 0 ? 2 : 1, padding: 'same', useBias: false, kernelInitializer: init(), name: `conv_${i}` })
      .apply(x) as SymbolicTensor;
    x = tfl.layers.batchNormalization({ momentum: BN_MOMENTUM, name: `conv_${i}_bn` }).apply(x) as SymbolicTensor;
    x = tfl.layers.reLU({ name: `conv_${i}_relu` }).apply(x) as SymbolicTensor;
    x = tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'same', name: `pool_${i}` }).apply(x) as SymbolicTensor;
  });
  x = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as SymbolicTensor;
  if (opts.dropout) x = tfl.layers.dropout({ rate: opts.dropout, name: 'dropout' }).apply(x) as SymbolicTensor;
  const logits = tfl.layers.dense({ units: opts.numClasses, kernelInitializer: init(), name: 'logits' }).apply(x) as SymbolicTensor;
  const probs = tfl.layers.softmax({ name: 'probs' }).apply(logits) as SymbolicTensor;
  return tfl.model({ inputs: input, outputs: probs, name: 'small_cnn' });
}
