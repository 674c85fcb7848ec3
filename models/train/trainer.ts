/**
 * The training loop: Adam on the WASM backend, class-weighted cross-entropy (plus optional
 * distillation), SpecAugment masks, early stopping on validation UA, checkpoints every epoch and
 * resumable runs.
 *
 * Determinism: initial weights come from seeded initializers; the shuffle order and the SpecAugment
 * masks of epoch e come from prngFor(seed, <purpose>, e), so a run resumed at epoch e draws exactly
 * what the uninterrupted run would have drawn, and no RNG state needs saving.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TinyserError } from '../../common/errors.js';
import { startProgress } from '../../common/progress.js';
import { buildArchitecture } from '../architectures/registry.js';
import { countModel, type ModelCounts } from '../architectures/counts.js';
import { prngFor } from '../augment/prng.js';
import { drawMasks, type SpecAugmentOptions } from '../augment/spec-augment.js';
import { evaluatePredictions, type ClassificationMetrics } from '../metrics/index.js';
import { loadLayersModelFromDir, saveLayersModelToDir } from '../export/tfjs-layers-files.js';
import { featureSetSize, inverseFrequencyClassWeights, type FeatureSet } from './feature-set.js';
import { distillationKl, weightedCrossEntropy } from './losses.js';
import { recalibrateBatchNorm } from './batch-norm-calibration.js';
import { loadOptimizerState, saveOptimizerState } from './optimizer-state.js';
import { initWasmTraining } from './wasm-backend.js';
import { DataParallelTrainer, defaultTrainingThreads } from './parallel/data-parallel.js';

export interface DistillTargets {
  /** teacher logits for every TRAINING example, [N, C] row-major, in the training set's order */
  teacherLogits: Float32Array;
  temperature: number;
  /** weight of the distillation term; (1 - alpha) weights the hard-label cross-entropy */
  alpha: number;
}

export interface TrainOptions {
  arch: string;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** stop when validation UA has not improved for this many epochs */
  patience: number;
  classWeighting: boolean;
  /** SpecAugment masks on training batches; null disables */
  specAugment: SpecAugmentOptions | null;
  dropout?: number;
  distill?: DistillTargets;
  /**
   * 2: data-parallel over the main thread and one worker thread (half a batch each, per-half
   * batch-norm statistics, deterministic for a fixed seed and thread count); 1: this thread only.
   * Default: min(2, available cores). Falls back to 1 when no worker can start here.
   */
  threads?: 1 | 2;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  arch: 'ds-cnn-s',
  epochs: 40,
  batchSize: 32,
  learningRate: 2e-3,
  seed: 0,
  patience: 10,
  classWeighting: true,
  specAugment: { timeMasks: 2, maxTimeWidth: 20, freqMasks: 2, maxFreqWidth: 5 },
};

export interface EpochLog {
  epoch: number;
  loss: number;
  valUA: number;
  valWA: number;
  valMacroF1: number;
  seconds: number;
  examplesPerSecond: number;
  /** threads that trained this epoch (1 or 2) */
  threads?: number;
}

export interface TrainRunOptions {
  /** checkpoints go to <runDir>/checkpoint (latest) and <runDir>/best */
  runDir?: string;
  /** continue from <runDir>/checkpoint when it exists */
  resume?: boolean;
  progress?: boolean;
  onEpoch?: (log: EpochLog) => void;
  /** stop after this many epochs in this call (the run stays resumable); for tests and time limits */
  stopAfterEpochs?: number;
}

export interface TrainResult {
  model: tfl.LayersModel;
  history: EpochLog[];
  bestEpoch: number;
  bestValUA: number;
  /** validation metrics of the best model */
  valMetrics: ClassificationMetrics;
  counts: ModelCounts;
  stoppedEarly: boolean;
  /** epochs completed in total (including before a resume) */
  epochsCompleted: number;
  resumedFromEpoch: number | null;
}

interface RunState {
  version: 1;
  epochsCompleted: number;
  bestEpoch: number;
  bestValUA: number;
  history: EpochLog[];
  options: Omit<TrainOptions, 'distill'> & { distill?: { temperature: number; alpha: number } };
}

function logitsView(model: tfl.LayersModel): tfl.LayersModel {
  const logits = model.getLayer('logits');
  return tfl.model({ inputs: model.inputs, outputs: logits.output as tfl.SymbolicTensor });
}

/** Class probabilities for a feature set, in batches (inference mode). */
export function predictProbabilities(model: tfl.LayersModel, set: FeatureSet, batchSize = 64): Float32Array {
  const n = featureSetSize(set);
  const per = set.frames * set.bands;
  const classes = set.classNames.length;
  const out = new Float32Array(n * classes);
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const probs = tf.tidy(() => {
      const xb = tf.tensor4d(set.x.subarray(start * per, (start + count) * per), [count, set.frames, set.bands, 1]);
      return model.predict(xb) as tf.Tensor;
    });
    out.set(probs.dataSync() as Float32Array, start * classes);
    probs.dispose();
  }
  return out;
}

/** Logits (pre-softmax) for a feature set: what a teacher provides for distillation. */
export function predictLogits(model: tfl.LayersModel, set: FeatureSet, batchSize = 64): Float32Array {
  return predictProbabilities(logitsView(model), set, batchSize);
}

export function evaluateModel(model: tfl.LayersModel, set: FeatureSet): ClassificationMetrics {
  const probs = predictProbabilities(model, set);
  const c = set.classNames.length;
  const pred: number[] = [];
  for (let i = 0; i < set.labels.length; i++) {
    let best = 0;
    for (let k = 1; k < c; k++) if (probs[i * c + k]! > probs[i * c + best]!) best = k;
    pred.push(best);
  }
  return evaluatePredictions(Array.from(set.labels), pred, set.classNames);
}

function makeBatch(
  set: FeatureSet,
  indices: readonly number[],
  masks: ReturnType<typeof drawMasks>[] | null,
): Float32Array {
  const per = set.frames * set.bands;
  const x = new Float32Array(indices.length * per);
  indices.forEach((src, i) => {
    const dst = x.subarray(i * per, (i + 1) * per);
    dst.set(set.x.subarray(src * per, (src + 1) * per));
    // normalised features: 0 is each band's training mean, the neutral fill for a mask
    for (const m of masks?.[i] ?? []) {
      if (m.axis === 'time') dst.fill(0, m.start * set.bands, (m.start + m.width) * set.bands);
      else for (let t = 0; t < set.frames; t++) dst.fill(0, t * set.bands + m.start, t * set.bands + m.start + m.width);
    }
  });
  return x;
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(value, null, 2));
}

export async function trainClassifier(
  data: { train: FeatureSet; val: FeatureSet },
  options: Partial<TrainOptions> = {},
  run: TrainRunOptions = {},
): Promise<TrainResult> {
  const opts: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const { train, val } = data;
  const numClasses = train.classNames.length;
  const nTrain = featureSetSize(train);
  if (nTrain === 0) throw new TinyserError('INPUT', 'the training split is empty');
  if (featureSetSize(val) === 0) throw new TinyserError('INPUT', 'the validation split is empty (early stopping on UA needs it)');
  if (opts.distill && opts.distill.teacherLogits.length !== nTrain * numClasses) {
    throw new TinyserError('INPUT', `teacher logits hold ${opts.distill.teacherLogits.length} values, expected ${nTrain} x ${numClasses}`);
  }
  await initWasmTraining();

  const checkpointDir = run.runDir ? path.join(run.runDir, 'checkpoint') : undefined;
  const bestDir = run.runDir ? path.join(run.runDir, 'best') : undefined;
  const statePath = checkpointDir ? path.join(checkpointDir, 'state.json') : undefined;

  let model: tfl.LayersModel;
  let state: RunState = {
    version: 1,
    epochsCompleted: 0,
    bestEpoch: -1,
    bestValUA: -1,
    history: [],
    options: { ...opts, distill: opts.distill ? { temperature: opts.distill.temperature, alpha: opts.distill.alpha } : undefined },
  };
  const optimizer = tf.train.adam(opts.learningRate);
  let resumedFromEpoch: number | null = null;
  if (run.resume && statePath && existsSync(statePath)) {
    state = JSON.parse(await readFile(statePath, 'utf8')) as RunState;
    model = await loadLayersModelFromDir(checkpointDir!);
    await loadOptimizerState(optimizer, checkpointDir!);
    resumedFromEpoch = state.epochsCompleted;
  } else {
    model = buildArchitecture(opts.arch, { inputShape: [train.frames, train.bands, 1], numClasses, seed: opts.seed, dropout: opts.dropout });
  }
  const trainable = logitsView(model);
  const classWeights = opts.classWeighting ? inverseFrequencyClassWeights(train.labels, numClasses) : new Array<number>(numClasses).fill(1);
  let bestWeights: tf.Tensor[] | null = null;
  if (resumedFromEpoch !== null && bestDir && existsSync(path.join(bestDir, 'model.json'))) {
    const best = await loadLayersModelFromDir(bestDir);
    bestWeights = best.getWeights().map((w) => w.clone());
    best.dispose();
  }

  const threads = opts.threads ?? defaultTrainingThreads();
  const parallel = threads === 2 ? await DataParallelTrainer.create(model, trainable, optimizer) : null;
  const stopAt = Math.min(opts.epochs, state.epochsCompleted + (run.stopAfterEpochs ?? Infinity));
  let stoppedEarly = false;
  const batchesPerEpoch = Math.ceil(nTrain / opts.batchSize);
  for (let epoch = state.epochsCompleted; epoch < stopAt; epoch++) {
    if (state.bestEpoch >= 0 && epoch - state.bestEpoch > opts.patience) {
      stoppedEarly = true;
      break;
    }
    const t0 = performance.now();
    const order = prngFor(opts.seed, 'shuffle', epoch).shuffle(Array.from({ length: nTrain }, (_, i) => i));
    const maskRng = prngFor(opts.seed, 'specaugment', epoch);
    const bar = startProgress({ label: `epoch ${epoch + 1}/${opts.epochs}`, total: batchesPerEpoch, enabled: run.progress });
    let lossSum = 0;
    for (let b = 0; b < batchesPerEpoch; b++) {
      const idx = order.slice(b * opts.batchSize, (b + 1) * opts.batchSize);
      const masks = opts.specAugment ? idx.map(() => drawMasks(train.frames, train.bands, maskRng, opts.specAugment!)) : null;
      const xData = makeBatch(train, idx, masks);
      const lossValue = parallel
        ? await parallel.step(
            {
              x: xData,
              count: idx.length,
              labels: Int32Array.from(idx, (i) => train.labels[i]!),
              weights: Float32Array.from(idx, (i) => classWeights[train.labels[i]!]!),
              teacher: opts.distill
                ? Float32Array.from(idx.flatMap((i) => Array.from(opts.distill!.teacherLogits.subarray(i * numClasses, (i + 1) * numClasses))))
                : null,
            },
            {
              frames: train.frames,
              bands: train.bands,
              numClasses,
              distill: opts.distill ? { temperature: opts.distill.temperature, alpha: opts.distill.alpha } : null,
            },
          )
        : tf.tidy(() => {
            const xb = tf.tensor4d(xData, [idx.length, train.frames, train.bands, 1]);
            const yb = tf.cast(tf.oneHot(tf.tensor1d(idx.map((i) => train.labels[i]!), 'int32'), numClasses), 'float32') as tf.Tensor2D;
            const wb = tf.tensor1d(idx.map((i) => classWeights[train.labels[i]!]!));
            const teacher = opts.distill
              ? tf.tensor2d(
                  Float32Array.from(idx.flatMap((i) => Array.from(opts.distill!.teacherLogits.subarray(i * numClasses, (i + 1) * numClasses)))),
                  [idx.length, numClasses],
                )
              : null;
            const cost = optimizer.minimize(() => {
              const logits = trainable.apply(xb, { training: true }) as tf.Tensor2D;
              const ce = weightedCrossEntropy(logits, yb, wb);
              if (!teacher || !opts.distill) return ce;
              const kd = distillationKl(logits, teacher, opts.distill.temperature);
              return tf.add(tf.mul(kd, opts.distill.alpha), tf.mul(ce, 1 - opts.distill.alpha)) as tf.Scalar;
            }, true);
            return cost!.dataSync()[0]!;
          });
      lossSum += lossValue * idx.length;
      bar.tick(1);
    }
    bar.stop();
    const seconds = (performance.now() - t0) / 1000;
    recalibrateBatchNorm(model, train, opts.batchSize);
    const metrics = evaluateModel(model, val);
    const log: EpochLog = {
      epoch: epoch + 1,
      loss: lossSum / nTrain,
      valUA: metrics.ua,
      valWA: metrics.wa,
      valMacroF1: metrics.macroF1,
      seconds,
      examplesPerSecond: nTrain / seconds,
      threads: parallel ? 2 : 1,
    };
    state.history.push(log);
    state.epochsCompleted = epoch + 1;
    if (metrics.ua > state.bestValUA) {
      state.bestValUA = metrics.ua;
      state.bestEpoch = epoch;
      tf.dispose(bestWeights ?? []);
      bestWeights = model.getWeights().map((w) => w.clone());
      if (bestDir) await saveLayersModelToDir(model, bestDir);
    }
    if (checkpointDir) {
      await saveLayersModelToDir(model, checkpointDir);
      await saveOptimizerState(optimizer, checkpointDir);
      await writeJson(statePath!, state);
    }
    run.onEpoch?.(log);
  }
  if (state.bestEpoch >= 0 && state.epochsCompleted - 1 - state.bestEpoch > opts.patience) stoppedEarly = true;
  if (bestWeights) {
    model.setWeights(bestWeights);
    tf.dispose(bestWeights);
  }
  optimizer.dispose();
  const valMetrics = evaluateModel(model, val);
  return {
    model,
    history: state.history,
    bestEpoch: state.bestEpoch + 1,
    bestValUA: state.bestValUA,
    valMetrics,
    counts: countModel(model),
    stoppedEarly,
    epochsCompleted: state.epochsCompleted,
    resumedFromEpoch,
  };
}
