/**
 * Pitch shift that keeps duration: stretch time by the pitch ratio (WSOLA), then read the stretched
 * signal back at `ratio` samples per output sample (windowed sinc). Every frequency is multiplied
 * by `ratio` and the output has exactly the input's length.
 */
import { resampleByStepFloat64 } from './resample-sinc.js';
import type { Signal } from './signal-power.js';
import { timeStretchFloat64, type TimeStretchOptions } from './time-stretch.js';

export function semitonesToRatio(semitones: number): number {
  return Math.pow(2, semitones / 12);
}

export function pitchShift(x: Signal, semitones: number, opts: TimeStretchOptions = {}): Float32Array {
  const ratio = semitonesToRatio(semitones);
  if (ratio === 1) return Float32Array.from(x);
  const stretched = timeStretchFloat64(x, ratio, opts);
  return Float32Array.from(resampleByStepFloat64(stretched, ratio, x.length));
}
