/** Public API of models/train: WASM-backend training of SER students (see README.md). */
export { initWasmTraining, registerWasmGradientKernels, wasmBinaryDir, WASM_GRADIENT_KERNELS, type WasmBackendInfo } from './wasm-backend.js';
export {
  bandStatistics,
  featureSetSize,
  inputQuantizationFromFeatures,
  inverseFrequencyClassWeights,
  normalizeFeatureSet,
  subsetFeatureSet,
  type BandNormalization,
  type FeatureSet,
} from './feature-set.js';
export {
  DEFAULT_CLIP_SECONDS,
  defaultTrainingFrontend,
  extractFeatureSet,
  fixClipLength,
  withNormalization,
  type AudioItem,
  type ExtractedFeatures,
  type FeatureExtractionOptions,
} from './features.js';
export { distillationKl, weightedCrossEntropy } from './losses.js';
export { recalibrateBatchNorm } from './batch-norm-calibration.js';
export { loadOptimizerState, saveOptimizerState } from './optimizer-state.js';
export {
  DEFAULT_TRAIN_OPTIONS,
  evaluateModel,
  predictLogits,
  predictProbabilities,
  trainClassifier,
  type DistillTargets,
  type EpochLog,
  type TrainOptions,
  type TrainResult,
  type TrainRunOptions,
} from './trainer.js';
export { prepareTrainingData, type DataPreparationOptions, type PreparedData } from './prepare-data.js';
export { runTraining, writeRunFolder, type TrainingRunOptions, type TrainingRunReport } from './run-training.js';
export { DataParallelTrainer, defaultTrainingThreads } from './parallel/data-parallel.js';
export { shardLoss, runShard, type ShardBatch, type ShardLossSpec, type ShardResult } from './parallel/half-batch.js';
