/**
 * LogScaleApply (log_scale.c): fixed-point natural log, Q(scaleShift), saturated to uint16.
 * log2 is the MSB position plus a Q16 fraction corrected by linear interpolation in kLogLut
 * (128 segments), then multiplied by ln 2 in Q16 (kLogCoeff) with rounding.
 */
import { LOG_COEFF, LOG_SCALE, LOG_SCALE_LOG2, LOG_SEGMENTS_LOG2 } from './constants.ts';
import { mostSignificantBit32 } from './bits.ts';

function log2FractionPartQ16(x: number, log2x: number, lut: Uint16Array): number {
  let frac = (x - 2 ** log2x) | 0;
  if (log2x < LOG_SCALE_LOG2) frac <<= LOG_SCALE_LOG2 - log2x;
  else frac >>= log2x - LOG_SCALE_LOG2;
  const baseSeg = frac >>> (LOG_SCALE_LOG2 - LOG_SEGMENTS_LOG2);
  const segUnit = LOG_SCALE >>> LOG_SEGMENTS_LOG2;
  const c0 = lut[baseSeg];
  const c1 = lut[baseSeg + 1];
  const segBase = segUnit * baseSeg;
  const relPos = Math.imul(c1 - c0, frac - segBase) >> LOG_SCALE_LOG2;
  return (frac + c0 + relPos) >>> 0;
}

/** Log(x, scale_shift) for x > 1 (uint32). */
export function logScaleUint32(x: number, scaleShift: number, lut: Uint16Array): number {
  const integer = mostSignificantBit32(x) - 1;
  const fraction = log2FractionPartQ16(x, integer, lut);
  const log2 = ((integer << LOG_SCALE_LOG2) + fraction) >>> 0;
  const round = LOG_SCALE / 2;
  // (uint64)kLogCoeff * log2 < 2^49: exact in float64, then truncated to uint32 like C.
  const loge = Math.floor((LOG_COEFF * log2 + round) / LOG_SCALE) >>> 0;
  return ((((loge << scaleShift) >>> 0) + round) >>> 0) >>> LOG_SCALE_LOG2;
}

export function logScaleApplyUint16(
  signal: Uint32Array,
  numChannels: number,
  enableLog: boolean,
  scaleShift: number,
  correctionBits: number,
  lut: Uint16Array,
  out: Uint16Array,
): void {
  for (let i = 0; i < numChannels; ++i) {
    let value = signal[i];
    if (enableLog) {
      value = correctionBits < 0 ? value >>> -correctionBits : (value << correctionBits) >>> 0;
      value = value > 1 ? logScaleUint32(value, scaleShift, lut) : 0;
    }
    out[i] = value < 0xffff ? value : 0xffff;
  }
}
