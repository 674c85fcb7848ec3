/** Public API of models/augment: seeded waveform and feature augmentations. */
export { Prng, prngFor, hashSeed, type Seed } from './prng.js';
export { coloredNoiseFloat64, type NoiseColor } from './colored-noise.js';
export { addNoiseAtSnr, addRandomNoise, type NoiseSource, type AddNoiseOptions, type AddNoiseResult } from './add-noise.js';
export { loadNoiseBank } from './noise-bank.js';
export { applyGainDb, randomGain, type GainResult } from './gain.js';
export { timeStretch, timeStretchFloat64, type TimeStretchOptions } from './time-stretch.js';
export { pitchShift, semitonesToRatio } from './pitch-shift.js';
export { resampleByStepFloat64 } from './resample-sinc.js';
export { applyMasks, drawMasks, specAugment, type FeatureMatrix, type MaskRange, type SpecAugmentOptions } from './spec-augment.js';
export { meanPower, dbToAmplitude, powerRatioDb, type Signal } from './signal-power.js';
