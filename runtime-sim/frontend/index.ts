/**
 * Public API of tinyser's own frontend (DESIGN contract 2 and 5). Training imports the float path,
 * the compiler's calibration and the device bridge import the int8 path; both read one FrontendConfig.
 */
import type { FrontendConfig } from './config.js';
import { computeFeaturesFixed } from './fixed/frontend-fixed.js';
import { computeFeaturesFloat64 as computeFeaturesFloat64Impl } from './reference-float64.js';

export {
  defaultFrontendConfig,
  featureDims,
  FRONTEND_CONFIG_VERSION,
  frontendConfigHash,
  frontendConfigHashU32,
  frontendConfigJsonSchema,
  frontendConfigSchema,
  FrontendConfigError,
  parseFrontendConfig,
} from './config.js';
export type { FrontendConfig, FrontendConfigInput } from './config.js';
export { frameCount } from './framing.js';
export {
  computeReferenceFloat64,
  computeRawFeaturesFloat64,
  normalizeFeaturesFloat64,
  quantizeInt8Float64,
} from './reference-float64.js';
export type { FeatureMatrixFloat64, ReferenceFeaturesFloat64 } from './reference-float64.js';
export { computeFeaturesFixed, createFixedFrontend } from './fixed/frontend-fixed.js';
export type { FixedFeatures, FixedFrontend } from './fixed/frontend-fixed.js';
export { exportFixedTables, buildFixedTables } from './fixed/tables.js';
export type { FixedTables } from './fixed/tables.js';

/** The exact float features a model sees: kind logmel|mfcc (+ deltas), normalization applied, before int8. */
export function computeFeaturesFloat64(samples: Int16Array, config: FrontendConfig): { frames: number; dims: number; data: Float64Array } {
  return computeFeaturesFloat64Impl(samples, config);
}

/** The fixed-point device path: int8 features with the config's scale / zero point. */
export function computeFeaturesInt8(
  samples: Int16Array,
  config: FrontendConfig,
): { frames: number; dims: number; data: Int8Array; scale: number; zeroPoint: number } {
  const f = computeFeaturesFixed(samples, config);
  return { frames: f.frames, dims: f.dims, data: f.int8, scale: f.scale, zeroPoint: f.zeroPoint };
}
export { computeProsodyFloat64 } from './prosody-float64.js';
export type { ProsodyFloat64 } from './prosody-float64.js';
export { DEFAULT_YIN, yinF0Float64 } from './reference/f0-yin-float64.js';
export type { YinOptions, F0Result } from './reference/f0-yin-float64.js';
export { frameEnergyDbQ20, zeroCrossingCount, ENERGY_FLOOR_DB_Q20 } from './fixed/energy-zcr-q.js';
export { encodeFeat, decodeFeat, readFeatFile, FEAT_MAGIC, FEAT_FORMAT_VERSION, FeatFormatError } from './feat-format.js';
export type { FeatHeader, FeatFile } from './feat-format.js';
export { loadFrontendConfig } from './config-file.js';
export { extractFeatureFiles } from './extract-files.js';
export type { ExtractResult, ExtractedFile, ExtractOptions } from './extract-files.js';

/**
 * A WAV -> float features function (the features the model was trained on, normalization applied),
 * shaped for compiler/quantize's `registerWavFeatureExtractor` calibration hook.
 */
export function wavFeatureExtractorFloat64(config: FrontendConfig): (wavPath: string) => Promise<Float64Array> {
  return async (wavPath) => {
    const { readWav } = await import('../audio/index.js');
    return computeFeaturesFloat64Impl((await readWav(wavPath)).samplesInt16, config).data;
  };
}
export { computeProsodyFixed } from './prosody-fixed.js';
export type { ProsodyFixed } from './prosody-fixed.js';
export { yinF0Q } from './fixed/f0-yin-q.js';
export type { F0ResultQ } from './fixed/f0-yin-q.js';
