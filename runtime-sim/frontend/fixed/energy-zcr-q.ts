/**
 * Fixed-point frame energy and zero-crossing count.
 *  - energy: sumSq = sum x^2 over the raw int16 frame (< 2^39, exact); energyDb in Q20 =
 *    round(10 log10(2) * (log2(sumSq) - log2(len) - 30)) with log2Q20 (log2-q.ts), 10 log10(2) in Q24. Silence (sumSq = 0) gives
 *    the floor -200 dB.
 *  - zero crossings: count of sign changes with x >= 0 as positive; identical to the float ZCR times
 *    (len - 1), so the two paths agree exactly.
 */
import type { FixedTables } from './tables.js';
import { log2Q20 } from './log2-q.js';

export const ENERGY_FLOOR_DB_Q20 = -200 * 2 ** 20;
const TEN_LOG10_2_Q24 = Math.round(10 * Math.log10(2) * 2 ** 24);

export function frameEnergyDbQ20(t: Pick<FixedTables, 'log2LutQ30'>, samples: Int16Array, start: number, length: number): number {
  let sumSq = 0;
  for (let i = 0; i < length; i++) sumSq += samples[start + i] * samples[start + i];
  if (sumSq === 0) return ENERGY_FLOOR_DB_Q20;
  const l2 = log2Q20(t, sumSq) - log2Q20(t, length) - 30 * 1048576;
  return Math.floor((l2 * TEN_LOG10_2_Q24 + 8388608) * 5.9604644775390625e-8);
}

export function zeroCrossingCount(samples: Int16Array, start: number, length: number): number {
  let n = 0;
  for (let i = start + 1; i < start + length; i++) if (samples[i] >= 0 !== samples[i - 1] >= 0) n++;
  return n;
}
