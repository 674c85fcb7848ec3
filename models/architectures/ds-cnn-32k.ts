/**
 * DS-CNN for a 32 KB tensor arena (`ds-cnn-s-32k`): a thin 2-D stem, then depthwise-separable
 * blocks over TIME only, global average pooling, dense. No two tensors alive at the same time may
 * exceed ~24 KB of int8, because TFLM's persistent data (per-channel requantisation, node and
 * tensor structs) takes the rest of the 32 KB.
 *
 * Why this shape:
 *  - the int8 input alone is 298 x 40 = 11,920 B and stays alive until the stem has written its
 *    output, so the stem must be as small as the input: 8 channels, stride 2 in time (20 ms) and 4
 *    in bands: 149 x 10 x 8 = 11,920 B. Its 10 x 4 kernel keeps local spectro-temporal patterns
 *    (formant and pitch movements), which a plain 1-D model over all 40 bands would not share
 *    across frequency;
 *  - a "collapse" conv spans the 10 band groups ('valid'), turning [149, 10, 8] into a sequence
 *    [149, 1, 64] of 9,536 B. From there every tensor is T x C, four times smaller than DS-CNN S's
 *    first block output for the same channel count;
 *  - four temporal DS blocks (depthwise 9 x 1, pointwise 64), the first striding to 75 steps
 *    (40 ms): the receptive field reaches ~1.4 s, the scale of emotional prosody.
 * Tried first and dropped: 2-D DS-CNNs shrunk to fit (stem stride 4x2 with 8 channels, blocks at
 * 38x10x32 or 19x10x64) reached only 0.46-0.56 validation UA on RAVDESS (one seed each) against 0.70
 * for this layout. On [298, 40, 1] with 4 classes: 25,556 trainable parameters, 2.64 M MACs (DS-CNN
 * S: 22,660 and 21.7 M), 31,040 B arena (DS-CNN S: 238,720 B).
 *
 * Ops: Conv2D (incl. 'valid'), DepthwiseConv2D, BN (folded), ReLU (fused), mean pooling, fully
 * connected, softmax: all within the compiler and the C kernels.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { BN_MOMENTUM, seedFor, type ArchitectureOptions } from './types.js';

export interface TemporalDsBlock {
  /** pointwise output channels */
  filters: number;
  /** depthwise kernel length in time */
  kernel: number;
  /** stride in time */
  stride: number;
}

export interface TemporalDsCnnOptions extends ArchitectureOptions {
  /** 2-D stem over (time, bands), 'same' padding */
  stemFilters: number;
  stemKernel: [number, number];
  stemStrides: [number, number];
  /** channels of the conv that spans all remaining band groups ('valid'), leaving [T, 1, C] */
  collapseFilters: number;
  blocks: TemporalDsBlock[];
}

/** The `ds-cnn-s-32k` layout (see the file comment for the arena arithmetic). */
export const DS_CNN_S_32K: Omit<TemporalDsCnnOptions, keyof ArchitectureOptions> = {
  stemFilters: 8,
  stemKernel: [10, 4],
  stemStrides: [2, 4],
  collapseFilters: 64,
  blocks: [
    { filters: 64, kernel: 9, stride: 2 },
    { filters: 64, kernel: 9, stride: 1 },
    { filters: 64, kernel: 9, stride: 1 },
    { filters: 64, kernel: 9, stride: 1 },
  ],
};

export function buildTemporalDsCnn(opts: TemporalDsCnnOptions): tfl.LayersModel {
  let li = 0;
  const init = () => tfl.initializers.glorotUniform({ seed: seedFor(opts.seed, li++) });
  const bnRelu = (x: SymbolicTensor, name: string): SymbolicTensor => {
    const y = tfl.layers.batchNormalization({ momentum: BN_MOMENTUM, name: `${name}_bn` }).apply(x) as SymbolicTensor;
    return tfl.layers.reLU({ name: `${name}_relu` }).apply(y) as SymbolicTensor;
  };
  const input = tfl.input({ shape: opts.inputShape, name: 'features' });
  // convs carry no bias: the following BN's beta is the bias once the compiler folds BN
  let x = tfl.layers
    .conv2d({ filters: opts.stemFilters, kernelSize: opts.stemKernel, strides: opts.stemStrides, padding: 'same', useBias: false, kernelInitializer: init(), name: 'conv_0' })
    .apply(input) as SymbolicTensor;
  x = bnRelu(x, 'conv_0');
  const bandGroups = x.shape[2] as number;
  x = tfl.layers
    .conv2d({ filters: opts.collapseFilters, kernelSize: [1, bandGroups], padding: 'valid', useBias: false, kernelInitializer: init(), name: 'collapse' })
    .apply(x) as SymbolicTensor;
  x = bnRelu(x, 'collapse');
  opts.blocks.forEach((block, i) => {
    const b = i + 1;
    x = tfl.layers
      .depthwiseConv2d({ kernelSize: [block.kernel, 1], strides: [block.stride, 1], padding: 'same', useBias: false, depthwiseInitializer: init(), name: `dw_${b}` })
      .apply(x) as SymbolicTensor;
    x = bnRelu(x, `dw_${b}`);
    x = tfl.layers
      .conv2d({ filters: block.filters, kernelSize: 1, padding: 'same', useBias: false, kernelInitializer: init(), name: `pw_${b}` })
      .apply(x) as SymbolicTensor;
    x = bnRelu(x, `pw_${b}`);
  });
  x = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as SymbolicTensor;
  if (opts.dropout) x = tfl.layers.dropout({ rate: opts.dropout, name: 'dropout' }).apply(x) as SymbolicTensor;
  const logits = tfl.layers.dense({ units: opts.numClasses, kernelInitializer: init(), name: 'logits' }).apply(x) as SymbolicTensor;
  const probs = tfl.layers.softmax({ name: 'probs' }).apply(logits) as SymbolicTensor;
  return tfl.model({ inputs: input, outputs: probs, name: 'ds_cnn_s_32k' });
}

/** DS-CNN for a 32 KB arena on [298, 40, 1] (see DS_CNN_S_32K). */
export function buildDsCnnS32k(opts: ArchitectureOptions): tfl.LayersModel {
  return buildTemporalDsCnn({ ...opts, ...DS_CNN_S_32K });
}
