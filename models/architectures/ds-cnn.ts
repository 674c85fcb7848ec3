/**
 * DS-CNN (depthwise-separable CNN, "Hello Edge" family) for [frames, bands, 1] log-mel input.
 *
 * Layout: Conv2D (kh x kw, stride 2x2, no bias) -> BN -> ReLU, then N blocks of
 * DepthwiseConv2D 3x3 -> BN -> ReLU -> Conv2D 1x1 -> BN -> ReLU (the first block strides 2x2 so the
 * expensive pointwise convs run on a quarter of the positions), GlobalAveragePooling2D, Dense,
 * Softmax. Convs carry no bias because the following BN's beta plays that role and the compiler
 * folds BN into the conv weights and bias.
 *
 * DS-CNN S on [300, 40, 1] with 4 classes: 22,660 trainable parameters, 21.70 M MACs (the reference
 * point: ~22.7k params, ~21.7 M MACs).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { BN_MOMENTUM, seedFor, type ArchitectureOptions } from './types.js';

export interface DsCnnOptions extends ArchitectureOptions {
  filters: number;
  blocks: number;
  firstKernel?: [number, number];
  /** ReLU6 keeps activations bounded, which suits int8; plain ReLU is the default. */
  relu6?: boolean;
}

export function buildDsCnn(opts: DsCnnOptions): tfl.LayersModel {
  const { filters, blocks, numClasses } = opts;
  const firstKernel = opts.firstKernel ?? [10, 4];
  let li = 0;
  const init = () => tfl.initializers.glorotUniform({ seed: seedFor(opts.seed, li++) });
  const act = (name: string) => (opts.relu6 ? tfl.layers.reLU({ maxValue: 6, name }) : tfl.layers.reLU({ name }));
  const input = tfl.input({ shape: opts.inputShape, name: 'features' });
  let x = tfl.layers
    .conv2d({ filters, kernelSize: firstKernel, strides: 2, padding: 'same', useBias: false, kernelInitializer: init(), name: 'conv_0' })
    .apply(input) as SymbolicTensor;
  x = tfl.layers.batchNormalization({ momentum: BN_MOMENTUM, name: 'conv_0_bn' }).apply(x) as SymbolicTensor;
  x = act('conv_0_relu').apply(x) as SymbolicTensor;
  for (let b = 1; b <= blocks; b++) {
    x = tfl.layers
      .depthwiseConv2d({ kernelSize: 3, strides: b === 1 ? 2 : 1, padding: 'same', useBias: false, depthwiseInitializer: init(), name: `dw_${b}` })
      .apply(x) as SymbolicTensor;
    x = tfl.layers.batchNormalization({ momentum: BN_MOMENTUM, name: `dw_${b}_bn` }).apply(x) as SymbolicTensor;
    x = act(`dw_${b}_relu`).apply(x) as SymbolicTensor;
    x = tfl.layers
      .conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, kernelInitializer: init(), name: `pw_${b}` })
      .apply(x) as SymbolicTensor;
    x = tfl.layers.batchNormalization({ momentum: BN_MOMENTUM, name: `pw_${b}_bn` }).apply(x) as SymbolicTensor;
    x = act(`pw_${b}_relu`).apply(x) as SymbolicTensor;
  }
  x = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as SymbolicTensor;
  if (opts.dropout) x = tfl.layers.dropout({ rate: opts.dropout, name: 'dropout' }).apply(x) as SymbolicTensor;
  const logits = tfl.layers.dense({ units: numClasses, kernelInitializer: init(), name: 'logits' }).apply(x) as SymbolicTensor;
  const probs = tfl.layers.softmax({ name: 'probs' }).apply(logits) as SymbolicTensor;
  return tfl.model({ inputs: input, outputs: probs, name: `ds_cnn_${filters}x${blocks}` });
}

/** DS-CNN S: 64 channels, 4 blocks (~22.7k params, ~21.7 M MACs on [300, 40, 1]). */
export function buildDsCnnS(opts: ArchitectureOptions): tfl.LayersModel {
  return buildDsCnn({ ...opts, filters: 64, blocks: 4 });
}

/** DS-CNN M: 128 channels, 5 blocks (~96k params, ~81 M MACs on [300, 40, 1]). */
export function buildDsCnnM(opts: ArchitectureOptions): tfl.LayersModel {
  return buildDsCnn({ ...opts, filters: 128, blocks: 5 });
}
