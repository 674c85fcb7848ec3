/**
 * `tinyser train` as a library function: prepare data, train, and write the run folder:
 *   <out>/model.json + weights.bin   best model (standard TF.js Layers format, for the compiler)
 *   <out>/frontend.json              frontend config incl. the training split's normalisation
 *   <out>/metrics.json               validation WA/UA/macro-F1/confusion, history, counts, split
 *   <out>/checkpoint/, <out>/best/   resumable state (latest epoch) and best-so-far model
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ClassificationMetrics } from '../metrics/index.js';
import type { ModelCounts } from '../architectures/counts.js';
import { saveLayersModelToDir } from '../export/tfjs-layers-files.js';
import { prepareTrainingData, type DataPreparationOptions, type PreparedData } from './prepare-data.js';
import { DEFAULT_TRAIN_OPTIONS, trainClassifier, type EpochLog, type TrainOptions, type TrainResult } from './trainer.js';
import { initWasmTraining } from './wasm-backend.js';

export interface TrainingRunOptions extends DataPreparationOptions {
  out: string;
  train?: Partial<TrainOptions>;
  resume?: boolean;
  onEpoch?: (log: EpochLog) => void;
}

export interface TrainingRunReport {
  out: string;
  arch: string;
  corpus: string;
  classes: string[];
  trainItems: number;
  valItems: number;
  trainSpeakers: string[];
  valSpeakers: string[];
  frontendHash: string;
  counts: ModelCounts;
  epochsCompleted: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  resumedFromEpoch: number | null;
  val: ClassificationMetrics;
  history: EpochLog[];
  options: Omit<TrainOptions, 'distill'>;
  files: { modelJson: string; weights: string; frontend: string; metrics: string };
}

export async function writeRunFolder(
  out: string,
  result: TrainResult,
  data: PreparedData,
  options: TrainOptions,
  extra: Record<string, unknown> = {},
  resume = false,
): Promise<TrainingRunReport> {
  await mkdir(out, { recursive: true });
  await saveLayersModelToDir(result.model, out, {
    tinyser: { classes: data.classes, frontendHash: data.frontendHash, inputShape: [data.train.frames, data.train.bands, 1], arch: options.arch },
  });
  const files = {
    modelJson: path.join(out, 'model.json'),
    weights: path.join(out, 'weights.bin'),
    frontend: path.join(out, 'frontend.json'),
    metrics: path.join(out, 'metrics.json'),
  };
  await writeFile(files.frontend, JSON.stringify(data.frontend, null, 2));
  const { distill: _omit, ...plainOptions } = options;
  void _omit;
  const report: TrainingRunReport = {
    out,
    arch: options.arch,
    corpus: data.corpus,
    classes: data.classes,
    trainItems: data.train.labels.length,
    valItems: data.val.labels.length,
    trainSpeakers: data.trainSpeakers,
    valSpeakers: data.valSpeakers,
    frontendHash: data.frontendHash,
    counts: { ...result.counts, perLayer: result.counts.perLayer },
    epochsCompleted: result.epochsCompleted,
    bestEpoch: result.bestEpoch,
    stoppedEarly: result.stoppedEarly,
    resumedFromEpoch: resume ? result.resumedFromEpoch : null,
    val: result.valMetrics,
    history: result.history,
    options: plainOptions,
    files,
  };
  await writeFile(files.metrics, JSON.stringify({ ...report, ...extra }, null, 2));
  return report;
}

export async function runTraining(opts: TrainingRunOptions): Promise<TrainingRunReport> {
  await initWasmTraining();
  const data = await prepareTrainingData(opts);
  const options: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...opts.train };
  const result = await trainClassifier({ train: data.train, val: data.val }, options, {
    runDir: opts.out,
    resume: opts.resume,
    progress: opts.progress,
    onEpoch: opts.onEpoch,
  });
  const report = await writeRunFolder(opts.out, result, data, options, {}, opts.resume);
  result.model.dispose();
  return report;
}
