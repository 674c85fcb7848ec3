/**
 * One data-parallel shard of a training step: the loss of a slice of the batch, normalised by the
 * WHOLE batch's totals (sum of example weights, example count), so the shards' losses and
 * gradients add up to those of the full batch (up to batch-norm statistics, which are per shard as
 * in DDP without SyncBN). Runs the same on the main thread and in the worker.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { withBatchStatisticsHandler } from '../wasm/batch-norm-layer-patch.js';

export interface ShardBatch {
  /** [count, frames, bands] features, row-major */
  x: Float32Array;
  count: number;
  labels: Int32Array;
  /** per-example loss weights (class weighting) */
  weights: Float32Array;
  /** teacher logits [count, classes] when distilling */
  teacher: Float32Array | null;
}

export interface ShardLossSpec {
  frames: number;
  bands: number;
  numClasses: number;
  /** sum of the example weights of the whole batch */
  weightTotal: number;
  /** examples in the whole batch */
  countTotal: number;
  distill: { temperature: number; alpha: number } | null;
}

export interface ShardResult {
  /** this shard's share of the batch loss */
  loss: number;
  /** gradients in `variables` order */
  grads: tf.Tensor[];
  /** batch-norm statistics per training BN call, in call order: mean then variance */
  statistics: Float32Array[];
}

/**
 * sum_i w_i CE_i / W  (+ distillation: alpha * T^2 * sum_i KL_i / N), as losses.ts defines it for
 * a whole batch, here for a shard with the whole batch's W and N.
 */
export function shardLoss(logits: tf.Tensor2D, batch: ShardBatch, spec: ShardLossSpec): tf.Scalar {
  return tf.tidy(() => {
    const oneHot = tf.oneHot(tf.tensor1d(batch.labels, 'int32'), spec.numClasses);
    const ce = tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1));
    const weighted = tf.div(tf.sum(tf.mul(ce, tf.tensor1d(batch.weights))), Math.max(spec.weightTotal, 1e-8));
    if (!spec.distill || !batch.teacher) return weighted as tf.Scalar;
    const t = spec.distill.temperature;
    const teacher = tf.tensor2d(batch.teacher, [batch.count, spec.numClasses]);
    const pTeacher = tf.softmax(tf.div(teacher, t));
    const kl = tf.sum(tf.mul(pTeacher, tf.sub(tf.logSoftmax(tf.div(teacher, t)), tf.logSoftmax(tf.div(logits, t)))), 1);
    const kd = tf.mul(tf.div(tf.sum(kl), spec.countTotal), t * t);
    return tf.add(tf.mul(kd, spec.distill.alpha), tf.mul(weighted, 1 - spec.distill.alpha)) as tf.Scalar;
  });
}

/** Forward + backward of one shard; batch-norm layers report statistics instead of updating. */
export function runShard(logitsModel: tfl.LayersModel, variables: tf.Variable[], batch: ShardBatch, spec: ShardLossSpec): ShardResult {
  const statistics: Float32Array[] = [];
  const { value, grads } = withBatchStatisticsHandler(
    (_layer, mean, variance) => {
      statistics.push(mean.dataSync() as Float32Array, variance.dataSync() as Float32Array);
    },
    () =>
      tf.variableGrads(() => {
        const xb = tf.tensor4d(batch.x, [batch.count, spec.frames, spec.bands, 1]);
        return shardLoss(logitsModel.apply(xb, { training: true }) as tf.Tensor2D, batch, spec);
      }, variables),
  );
  const loss = value.dataSync()[0]!;
  value.dispose();
  return { loss, grads: variables.map((v) => grads[v.name]!), statistics };
}
