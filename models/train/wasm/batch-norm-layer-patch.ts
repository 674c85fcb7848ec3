/**
 * Routes tfjs-layers' BatchNormalization in TRAINING mode to the fused training kernels
 * (batch-norm-training.ts) when they apply: channels-last axis, center and scale on, float32,
 * C % 4 == 0, WASM backend. Everything else (inference, other axes, other backends) runs the
 * library's own code. The layer class, its config, weight names and saved files are untouched, so
 * models still save, load and import into the compiler as standard BatchNormalization; the moving
 * averages are updated exactly as the library does (v -= (v - batchValue) * (1 - momentum)).
 * When the BN output feeds only a plain ReLU layer, the ReLU is fused into the BN kernels (one
 * pass less forward and backward over the activation) and that ReLU layer passes the rectified
 * tensor through.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { batchNormTraining, batchNormTrainingSupported } from './batch-norm-training.js';

interface LayerVariable {
  read(): tf.Tensor;
  write(value: tf.Tensor): void;
}

/** The fields of tfjs-layers' BatchNormalization this patch reads. */
interface BatchNormLayer {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: LayerVariable;
  beta: LayerVariable;
  movingMean: LayerVariable;
  movingVariance: LayerVariable;
}

type CallFn = (this: BatchNormLayer, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

let original: CallFn | undefined;

/**
 * Outputs of BN layers that already applied their following ReLU (fused): that ReLU layer then
 * passes them through. relu(relu(z)) = relu(z), so the pass-through is exact even if such a tensor
 * ever reached another ReLU.
 */
const rectified = new WeakSet<tf.Tensor>();

interface LayerNode {
  outboundLayer: { getClassName(): string; maxValue?: number | null };
}

/** True when this layer's output feeds exactly one node, a plain ReLU layer (no max value). */
function feedsOnlyPlainRelu(layer: object): boolean {
  const nodes = (layer as { outboundNodes?: LayerNode[] }).outboundNodes;
  if (!nodes || nodes.length !== 1) return false;
  const next = nodes[0]!.outboundLayer;
  return next.getClassName() === 'ReLU' && next.maxValue == null;
}

/**
 * Receives each training-mode BN call's batch statistics instead of the layer updating its moving
 * averages: data-parallel training collects them from every half batch and applies ONE averaged
 * update (see models/train/parallel/). Called in layer call order.
 */
export type BatchStatisticsHandler = (layer: object, mean: tf.Tensor, variance: tf.Tensor) => void;
let statisticsHandler: BatchStatisticsHandler | null = null;

/** Routes batch statistics to `handler` while fn runs (moving averages stay untouched). */
export function withBatchStatisticsHandler<T>(handler: BatchStatisticsHandler, fn: () => T): T {
  const previous = statisticsHandler;
  statisticsHandler = handler;
  try {
    return fn();
  } finally {
    statisticsHandler = previous;
  }
}

/** v -= (v - batchValue) * (1 - momentum): tfjs-layers' moving-average update. */
export function updateMovingAverage(variable: LayerVariable, batchValue: tf.Tensor, momentum: number): void {
  tf.tidy(() => {
    const old = variable.read();
    variable.write(tf.sub(old, tf.mul(tf.sub(old, batchValue), 1 - momentum)));
  });
}

/** The moving mean and variance variables of a BatchNormalization layer. */
export function movingStatistics(layer: object): { mean: LayerVariable; variance: LayerVariable; momentum: number } {
  const l = layer as BatchNormLayer;
  return { mean: l.movingMean, variance: l.movingVariance, momentum: l.momentum };
}

export function installBatchNormTrainingPatch(): void {
  if (original) return;
  const reluProto = Object.getPrototypeOf(tfl.layers.reLU({})) as { call: (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[] };
  const reluCall = reluProto.call;
  reluProto.call = function (this: object, inputs, kwargs) {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    // a fresh tensor sharing the data (Identity shares on WASM): the layers executor may dispose
    // its inputs and outputs independently
    if (input && rectified.has(input)) return tf.clone(input);
    return reluCall.call(this, inputs, kwargs);
  };
  const proto = Object.getPrototypeOf(tfl.layers.batchNormalization({})) as { call: CallFn };
  const libraryCall = proto.call;
  original = libraryCall;
  proto.call = function (this: BatchNormLayer, inputs, kwargs) {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const training = kwargs?.training === true;
    const axisIsLast = input !== undefined && (this.axis === -1 || this.axis === input.rank - 1);
    const standard = training && input !== undefined && axisIsLast && this.center && this.scale;
    const fused = standard && batchNormTrainingSupported(input);
    // Without a handler, only the fused case differs from the library; with one, the portable
    // case is written out too (same math as tfjs-layers) so that every layer reports statistics.
    if (!fused && !(standard && statisticsHandler)) return libraryCall.call(this, inputs, kwargs);
    return tf.tidy(() => {
      let y: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor;
      if (fused) {
        const relu = feedsOnlyPlainRelu(this);
        [y, mean, variance] = batchNormTraining(input!, this.gamma.read(), this.beta.read(), this.epsilon, relu);
        if (relu) rectified.add(y);
      } else {
        ({ mean, variance } = tf.moments(input!, Array.from({ length: input!.rank - 1 }, (_, i) => i)));
        y = tf.batchNorm(input!, mean, variance, this.beta.read(), this.gamma.read(), this.epsilon);
      }
      if (statisticsHandler) {
        statisticsHandler(this, mean, variance);
      } else {
        updateMovingAverage(this.movingMean, mean, this.momentum);
        updateMovingAverage(this.movingVariance, variance, this.momentum);
      }
      return y;
    });
  };
}
