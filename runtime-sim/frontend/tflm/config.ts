/**
 * Configuration of the TFLM-compatible microfrontend. The shape mirrors TFLM's C `FrontendConfig`
 * (window, filterbank, noise_reduction, pcan_gain_control, log_scale) field by field, in camelCase,
 * plus the sample rate that C passes separately to `FrontendPopulateState()`.
 *
 * Float fields keep C's semantics: they are C `float`s, so they are rounded to float32 before use
 * (`Math.fround`), exactly like the struct fields in C.
 */
import { TinyserError } from '../../../common/errors.ts';

export interface TflmWindowConfig {
  /** Window length in ms; samples = sizeMs * sampleRate / 1000 (C integer division). */
  sizeMs: number;
  /** Hop in ms; samples = stepSizeMs * sampleRate / 1000 (C integer division). */
  stepSizeMs: number;
}

export interface TflmFilterbankConfig {
  numChannels: number;
  lowerBandLimit: number;
  upperBandLimit: number;
  /** Set by TFLM's defaults but read by nothing in the lib; kept only to mirror the C struct. */
  outputScaleShift: number;
}

export interface TflmNoiseReductionConfig {
  smoothingBits: number;
  evenSmoothing: number;
  oddSmoothing: number;
  minSignalRemaining: number;
}

export interface TflmPcanGainControlConfig {
  enablePcan: boolean;
  strength: number;
  offset: number;
  gainBits: number;
}

export interface TflmLogScaleConfig {
  enableLog: boolean;
  scaleShift: number;
}

export interface TflmFrontendConfig {
  sampleRate: number;
  window: TflmWindowConfig;
  filterbank: TflmFilterbankConfig;
  noiseReduction: TflmNoiseReductionConfig;
  pcanGainControl: TflmPcanGainControlConfig;
  logScale: TflmLogScaleConfig;
}

/** `FrontendFillConfigWithDefaults()` at 16 kHz: 25/10 ms, 32 channels 125-7500 Hz, PCAN off, log on. */
export const TFLM_DEFAULT_CONFIG: Readonly<TflmFrontendConfig> = Object.freeze({
  sampleRate: 16000,
  window: Object.freeze({ sizeMs: 25, stepSizeMs: 10 }),
  filterbank: Object.freeze({ numChannels: 32, lowerBandLimit: 125, upperBandLimit: 7500, outputScaleShift: 7 }),
  noiseReduction: Object.freeze({ smoothingBits: 10, evenSmoothing: 0.025, oddSmoothing: 0.06, minSignalRemaining: 0.05 }),
  pcanGainControl: Object.freeze({ enablePcan: false, strength: 0.95, offset: 80, gainBits: 21 }),
  logScale: Object.freeze({ enableLog: true, scaleShift: 6 }),
});

/**
 * The old micro_speech example's `InitializeMicroFeatures()`: the defaults except 30/20 ms windows,
 * 40 channels and PCAN on. Note TFLM's training op defaults PCAN on while the C lib defaults it off:
 * this preset is the one the micro_speech models were trained with.
 */
export const TFLM_MICRO_SPEECH_CONFIG: Readonly<TflmFrontendConfig> = Object.freeze({
  sampleRate: 16000,
  window: Object.freeze({ sizeMs: 30, stepSizeMs: 20 }),
  filterbank: Object.freeze({ numChannels: 40, lowerBandLimit: 125, upperBandLimit: 7500, outputScaleShift: 7 }),
  noiseReduction: Object.freeze({ smoothingBits: 10, evenSmoothing: 0.025, oddSmoothing: 0.06, minSignalRemaining: 0.05 }),
  pcanGainControl: Object.freeze({ enablePcan: true, strength: 0.95, offset: 80, gainBits: 21 }),
  logScale: Object.freeze({ enableLog: true, scaleShift: 6 }),
});

/** Window length and hop in samples, as `WindowPopulateState()` computes them (C int division). */
export function tflmWindowSamples(config: TflmFrontendConfig): { size: number; step: number } {
  return {
    size: Math.trunc((config.window.sizeMs * config.sampleRate) / 1000),
    step: Math.trunc((config.window.stepSizeMs * config.sampleRate) / 1000),
  };
}

function fail(field: string, why: string, value: unknown): never {
  throw new TinyserError('CONFIG', `TFLM frontend config: ${field} ${why} (got ${String(value)})`, { field, value });
}

function isInt(v: number): boolean {
  return Number.isInteger(v);
}

/**
 * Rejects configurations for which the C lib would fail in `FrontendPopulateState()` or run into
 * undefined behaviour (a hop longer than the window underflows its size_t counter).
 */
export function validateTflmConfig(config: TflmFrontendConfig): void {
  const { sampleRate, window, filterbank, noiseReduction, pcanGainControl, logScale } = config;
  if (!isInt(sampleRate) || sampleRate <= 0) fail('sampleRate', 'must be a positive integer', sampleRate);
  if (!isInt(window.sizeMs) || window.sizeMs <= 0) fail('window.sizeMs', 'must be a positive integer', window.sizeMs);
  if (!isInt(window.stepSizeMs) || window.stepSizeMs <= 0) {
    fail('window.stepSizeMs', 'must be a positive integer', window.stepSizeMs);
  }
  const { size, step } = tflmWindowSamples(config);
  if (size < 3) fail('window.sizeMs', 'gives fewer than 3 samples (the real FFT needs at least 4 points)', window.sizeMs);
  if (step < 1) fail('window.stepSizeMs', 'gives 0 samples', window.stepSizeMs);
  if (step > size) fail('window.stepSizeMs', `must not exceed window.sizeMs (${window.sizeMs})`, window.stepSizeMs);
  if (!isInt(filterbank.numChannels) || filterbank.numChannels < 1) {
    fail('filterbank.numChannels', 'must be a positive integer', filterbank.numChannels);
  }
  if (!(filterbank.lowerBandLimit >= 0)) fail('filterbank.lowerBandLimit', 'must be >= 0', filterbank.lowerBandLimit);
  if (!(filterbank.upperBandLimit > filterbank.lowerBandLimit)) {
    fail('filterbank.upperBandLimit', 'must exceed lowerBandLimit', filterbank.upperBandLimit);
  }
  if (!(filterbank.upperBandLimit <= sampleRate / 2)) {
    fail('filterbank.upperBandLimit', `must not exceed Nyquist (${sampleRate / 2} Hz)`, filterbank.upperBandLimit);
  }
  if (!isInt(noiseReduction.smoothingBits) || noiseReduction.smoothingBits < 0 || noiseReduction.smoothingBits > 31) {
    fail('noiseReduction.smoothingBits', 'must be an integer in 0..31', noiseReduction.smoothingBits);
  }
  for (const k of ['evenSmoothing', 'oddSmoothing', 'minSignalRemaining'] as const) {
    const v = noiseReduction[k];
    if (!(v >= 0 && v <= 1)) fail(`noiseReduction.${k}`, 'must be in [0, 1]', v);
  }
  if (pcanGainControl.enablePcan) {
    if (!isInt(pcanGainControl.gainBits) || pcanGainControl.gainBits < 0 || pcanGainControl.gainBits > 31) {
      fail('pcanGainControl.gainBits', 'must be an integer in 0..31', pcanGainControl.gainBits);
    }
    if (!(pcanGainControl.offset > 0)) fail('pcanGainControl.offset', 'must be > 0', pcanGainControl.offset);
    if (!(pcanGainControl.strength >= 0)) fail('pcanGainControl.strength', 'must be >= 0', pcanGainControl.strength);
  }
  if (!isInt(logScale.scaleShift) || logScale.scaleShift < 0 || logScale.scaleShift > 31) {
    fail('logScale.scaleShift', 'must be an integer in 0..31', logScale.scaleShift);
  }
}
