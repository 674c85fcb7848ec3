/**
 * CNN with attention pooling over time. Emotion often lives in a few frames (a stressed syllable,
 * a laugh), which global average pooling dilutes; attention pooling learns per-frame weights.
 *
 * Conv front end as in the DS-CNN (stride 2, then depthwise-separable blocks), then:
 *   AveragePooling2D over the whole band axis          -> [T', 1, C]
 *   Conv2D 1x1 to one channel = per-frame score          -> [T', 1, 1]
 *   Reshape to [1, T'], Softmax (last axis), Reshape back -> weights summing to 1
 *   Multiply features by weights (broadcast over C)      -> [T', 1, C]
 *   GlobalAveragePooling2D = weighted sum / T' (the constant 1/T' is absorbed by the Dense)
 * Beyond the DS-CNN set: Reshape and an elementwise Multiply with broadcasting (TFLite MUL).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { BN_MOMENTUM, seedFor, type ArchitectureOptions } from './types.js';

export interface AttentionCnnOptions extends ArchitectureOptions {
  filters?: number;
  blocks?: number;
}

export function buildAttentionCnn(opts: AttentionCnnOptions): tfl.LayersModel {
  const filters = opts.filters ?? 48;
  const blocks = opts.blocks ?? 3;
  let li = 0;
  const init = () => tfl.initializers.glorotUniform({ seed: seedFor(opts.seed, li++) });
  const input = tfl.input({ shape: opts.inputShape, name: 'features' });
  let x = tfl.layers
    .conv2d({ filters, kernelSize: [5, 5], strides: 2, padding: 'same', useBias: false, kernelInitializer: init(), name: 'conv_0' })
    .apply(input) as SymbolicTensor;
  x = tfl.layers.batchNormalization({ momentum: BN_MOMENTUM, name: 'conv_0_bn' }).apply(x) as SymbolicTensor;
  x = tfl.layers.reLU({ name: 'conv_0_relu' }).apply(x) as SymbolicTensor;
  for (let b = 1; b <= blocks; b++) {
    x = tfl.layers
      .depthwiseConv2d({ kernelSize: 3, strides: b === 1 ? 2 : 1, padding: 'same', useBias: false, depthwiseInitializer: init(), name: `dw_${b}` })
      .apply(x) as SymbolicTensor;
    x = tfl.layers.batchNormalization({ momentum: BN_MOMENTUM, name: `dw_${b}_bn` }).apply(x) as SymbolicTensor;
    x = tfl.layers.reLU({ name: `dw_${b}_relu` }).apply(x) as SymbolicTensor;
    x = tfl.layers
      .conv2d({ filters, kernelSize: 1, useBias: false, kernelInitializer: init(), name: `pw_${b}` })
      .apply(x) as SymbolicTensor;
    x = tfl.layers.batchNormalization({ momentum: BN_MOMENTUM, name: `pw_${b}_bn` }).apply(x) as SymbolicTensor;
    x = tfl.layers.reLU({ name: `pw_${b}_relu` }).apply(x) as SymbolicTensor;
  }
  const bands = x.shape[2] as number;
  const perFrame = tfl.layers.averagePooling2d({ poolSize: [1, bands], strides: [1, bands], name: 'band_pool' }).apply(x) as SymbolicTensor;
  const scores = tfl.layers
    .conv2d({ filters: 1, kernelSize: 1, kernelInitializer: init(), name: 'attention_score' })
    .apply(perFrame) as SymbolicTensor;
  // softmax over time on the LAST axis: tfjs has no gradient for softmax on another axis, and a
  // last-axis softmax is also what TFLite's SOFTMAX computes
  const frames = scores.shape[1] as number;
  const scoreRow = tfl.layers.reshape({ targetShape: [1, frames], name: 'attention_scores_row' }).apply(scores) as SymbolicTensor;
  const weightRow = tfl.layers.softmax({ axis: -1, name: 'attention_weights' }).apply(scoreRow) as SymbolicTensor;
  const weights = tfl.layers.reshape({ targetShape: [frames, 1, 1], name: 'attention_weights_col' }).apply(weightRow) as SymbolicTensor;
  const weighted = tfl.layers.multiply({ name: 'attention_apply' }).apply([perFrame, weights]) as SymbolicTensor;
  let pooled = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(weighted) as SymbolicTensor;
  if (opts.dropout) pooled = tfl.layers.dropout({ rate: opts.dropout, name: 'dropout' }).apply(pooled) as SymbolicTensor;
  const logits = tfl.layers.dense({ units: opts.numClasses, kernelInitializer: init(), name: 'logits' }).apply(pooled) as SymbolicTensor;
  const probs = tfl.layers.softmax({ name: 'probs' }).apply(logits) as SymbolicTensor;
  return tfl.model({ inputs: input, outputs: probs, name: 'attention_cnn' });
}
