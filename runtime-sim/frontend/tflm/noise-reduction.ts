/**
 * NoiseReductionApply (noise_reduction.c): per-channel running noise estimate (Q = smoothingBits)
 * with even/odd Q14 smoothing, subtracted from the signal with a floor of minSignalRemaining.
 * uint32 semantics: `signal << smoothingBits` wraps modulo 2^32 like C; the two 64-bit products
 * are below 2^46 each, so their float64 sum is exact.
 */
import { NOISE_REDUCTION_BITS } from './constants.ts';

export interface NoiseReductionStateUint32 {
  smoothingBits: number;
  evenSmoothingQ14: number;
  oddSmoothingQ14: number;
  minSignalRemainingQ14: number;
  /** Noise estimate per channel, Q(smoothingBits) of the filterbank output. */
  estimate: Uint32Array;
}

const ONE_Q14 = 1 << NOISE_REDUCTION_BITS;

export function noiseReductionApplyUint32(state: NoiseReductionStateUint32, signal: Uint32Array, numChannels: number): void {
  const { smoothingBits, estimate } = state;
  for (let i = 0; i < numChannels; ++i) {
    const smoothing = (i & 1) === 0 ? state.evenSmoothingQ14 : state.oddSmoothingQ14;
    const oneMinusSmoothing = ONE_Q14 - smoothing;
    const scaledUp = (signal[i] << smoothingBits) >>> 0;
    let est = Math.floor((scaledUp * smoothing + estimate[i] * oneMinusSmoothing) / ONE_Q14);
    estimate[i] = est;
    if (est > scaledUp) est = scaledUp;
    const floor = Math.floor((signal[i] * state.minSignalRemainingQ14) / ONE_Q14);
    const subtracted = (scaledUp - est) >>> smoothingBits;
    signal[i] = subtracted > floor ? subtracted : floor;
  }
}
