/**
 * PcanGainControlApply (pcan_gain_control.c): per-channel automatic gain from the noise estimate
 * through a piecewise-quadratic LUT (WideDynamicFunction), then the PcanShrink soft knee.
 */
import { PCAN_OUTPUT_BITS, PCAN_SNR_BITS } from './constants.ts';
import { mostSignificantBit32 } from './bits.ts';

/** WideDynamicFunction: int16 gain for a uint32 x, with C's int32 wrap and int16 narrowing. */
export function wideDynamicFunctionInt16(x: number, lut: Int16Array): number {
  if (x <= 2) return lut[x];
  const interval = mostSignificantBit32(x);
  const base = 4 * interval - 6;
  const frac = (interval < 11 ? x << (11 - interval) : x >>> (interval - 11)) & 0x3ff;
  let result = Math.imul(lut[base + 2], frac) >> 5;
  result = (result + (lut[base + 1] << 5)) | 0;
  result = Math.imul(result, frac);
  result = (result + (1 << 14)) >> 15;
  result += lut[base];
  return (result << 16) >> 16;
}

/** PcanShrink: quadratic below 2 in Q12 SNR, linear minus one (Q6) above. */
export function pcanShrinkUint32(x: number): number {
  if (x < 2 << PCAN_SNR_BITS) return (x * x) >>> (2 + 2 * PCAN_SNR_BITS - PCAN_OUTPUT_BITS);
  return (x >>> (PCAN_SNR_BITS - PCAN_OUTPUT_BITS)) - (1 << PCAN_OUTPUT_BITS);
}

const TWO_POW_32 = 4294967296;

export function pcanGainControlApplyUint32(
  signal: Uint32Array,
  noiseEstimate: Uint32Array,
  numChannels: number,
  gainLut: Int16Array,
  snrShift: number,
): void {
  const divisor = 2 ** snrShift;
  for (let i = 0; i < numChannels; ++i) {
    // The int16 gain is widened to uint32 (a negative gain would become huge, as in C).
    const gain = wideDynamicFunctionInt16(noiseEstimate[i], gainLut) >>> 0;
    let snr: number;
    if (gain < 0x8000) {
      // signal < 2^32 and gain < 2^15: the uint64 product is exact in float64.
      snr = Math.floor((signal[i] * gain) / divisor) % TWO_POW_32;
    } else {
      snr = Number(BigInt.asUintN(32, (BigInt(signal[i]) * BigInt(gain)) >> BigInt(snrShift)));
    }
    signal[i] = pcanShrinkUint32(snr);
  }
}
