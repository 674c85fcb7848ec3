/**
 * TFLM-microfrontend-compatible frontend (bit-exact with TFLite Micro's experimental microfrontend).
 * See README.md in this folder for the numeric contract and which tables are embedded.
 */
export {
  type TflmFrontendConfig,
  type TflmWindowConfig,
  type TflmFilterbankConfig,
  type TflmNoiseReductionConfig,
  type TflmPcanGainControlConfig,
  type TflmLogScaleConfig,
  TFLM_DEFAULT_CONFIG,
  TFLM_MICRO_SPEECH_CONFIG,
  tflmWindowSamples,
  validateTflmConfig,
} from './config.ts';
export {
  type TflmFrontend,
  type TflmFrontendOptions,
  type TflmFrameStages,
  type TflmFeatures,
  createTflmFrontend,
  tflmFeatures,
} from './frontend.ts';
export { type TflmTables, type TableOrigin, type ResolveTablesOptions, resolveTflmTables } from './tables.ts';
export { tflmToMicroSpeechInt8 } from './micro-speech-int8.ts';
