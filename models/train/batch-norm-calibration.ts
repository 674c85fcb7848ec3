/**
 * Re-estimates every BatchNormalization layer's moving mean/variance as the plain average of the
 * batch statistics over a pass of the training set (forward only, training mode).
 *
 * Why: the exponential moving average with momentum m keeps a weight m^k on its initial value
 * (mean 0, variance 1) after k updates. SER training sets give a dozen batches per epoch, while a
 * fresh DS-CNN's first conv outputs have variance ~0.03: after a few epochs inference still divides
 * by ~sqrt(0.5), shrinking activations layer after layer until every input gets the same class
 * (seen: validation UA stuck at chance while training loss fell). The folded int8 model inherits
 * the same statistics, so they must be right, not just "eventually right".
 * tfjs-layers reads `momentum` at each call; setting it to (k-1)/k for the k-th batch turns the
 * moving average into a cumulative one.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { FeatureSet } from './feature-set.js';

interface MomentumLayer {
  momentum: number;
}

export function recalibrateBatchNorm(model: tfl.LayersModel, set: FeatureSet, batchSize = 32, maxExamples = 2048): void {
  const bnLayers = model.layers.filter((l) => l.getClassName() === 'BatchNormalization') as unknown as MomentumLayer[];
  if (bnLayers.length === 0) return;
  const saved = bnLayers.map((l) => l.momentum);
  const per = set.frames * set.bands;
  const n = Math.min(set.labels.length, maxExamples);
  try {
    let k = 0;
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      // a tiny last batch would get weight 1/k all the same; skip it unless it is the only one
      if (count < batchSize / 2 && k > 0) break;
      k++;
      for (const l of bnLayers) l.momentum = (k - 1) / k;
      tf.tidy(() => {
        const xb = tf.tensor4d(set.x.subarray(start * per, (start + count) * per), [count, set.frames, set.bands, 1]);
        model.apply(xb, { training: true });
      });
    }
  } finally {
    bnLayers.forEach((l, i) => (l.momentum = saved[i]!));
  }
}
