/** The shared integer math against exact BigInt models of the C definitions. */
import { describe, expect, it } from 'vitest';
import {
  SIGMOID_TABLE_UINT16, expOnNegativeValues, frexp, multiplyByQuantizedMultiplier, oneOverOnePlusXForXIn01,
  quantizeMultiplier, roundHalfAwayFromZero, roundingDivideByPOT, saturatingRoundingDoublingHighMul,
} from '../../runtime-sim/interpreter/fixed-point.js';

function srdhmRef(a: number, b: number): number {
  if (a === -2147483648 && b === -2147483648) return 2147483647;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return Number((ab + nudge) / (1n << 31n)); // BigInt division truncates like C
}

function rdbpRef(x: number, e: number): number {
  const mask = (1n << BigInt(e)) - 1n;
  const bx = BigInt(x);
  const rem = bx & mask;
  const threshold = (mask >> 1n) + (bx < 0n ? 1n : 0n);
  return Number((bx >> BigInt(e)) + (rem > threshold ? 1n : 0n));
}

function rng(seed: number): () => number {
  let s = seed | 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) | 0);
}

describe('fixed-point helpers', () => {
  it('SaturatingRoundingDoublingHighMul is exact on edge and random operands', () => {
    const edges = [0, 1, -1, 2, -2, 32767, -32768, 65535, 65536, -65536, 1 << 30, -(1 << 30), 2147483647, -2147483648, 1518500250];
    for (const a of edges) for (const b of edges) expect(saturatingRoundingDoublingHighMul(a, b), `${a}*${b}`).toBe(srdhmRef(a, b));
    const r = rng(7);
    for (let i = 0; i < 50_000; i++) {
      const a = r(), b = i % 2 ? r() : r() >> (r() & 31);
      expect(saturatingRoundingDoublingHighMul(a, b)).toBe(srdhmRef(a, b));
    }
  });

  it('RoundingDivideByPOT rounds half away from zero for every exponent', () => {
    expect(roundingDivideByPOT(5, 1)).toBe(3);
    expect(roundingDivideByPOT(-5, 1)).toBe(-3);
    expect(roundingDivideByPOT(-6, 2)).toBe(-2);
    const r = rng(11);
    for (let i = 0; i < 20_000; i++) {
      const x = r(), e = (r() >>> 0) % 32;
      expect(roundingDivideByPOT(x, e)).toBe(rdbpRef(x, e));
    }
  });

  it('MultiplyByQuantizedMultiplier uses double rounding (SRDHM then RDBP)', () => {
    const r = rng(3);
    for (let i = 0; i < 20_000; i++) {
      const x = r() >> 8, m = 0x40000000 + ((r() >>> 0) % 0x40000000), s = ((r() >>> 0) % 20) - 15;
      const left = s > 0 ? s : 0;
      const want = rdbpRef(srdhmRef(Math.imul(x, 1 << left), m), s > 0 ? 0 : -s);
      expect(multiplyByQuantizedMultiplier(x, m, s)).toBe(want);
    }
  });

  it('QuantizeMultiplier follows frexp and rounds the significand to 31 bits', () => {
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 1 << 30, shift: 0 });
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 1 << 30, shift: 1 });
    expect(quantizeMultiplier(0.75)).toEqual({ multiplier: 0x60000000, shift: 0 });
    // A significand that rounds up to 2^31 is halved and the shift bumped.
    expect(quantizeMultiplier(1 - 2 ** -40)).toEqual({ multiplier: 1 << 30, shift: 1 });
    expect(quantizeMultiplier(2 ** -40)).toEqual({ multiplier: 0, shift: 0 }); // shift < -31 flushes to 0
    for (const d of [1e-3, 0.0123456, 3.7, 1234.5]) {
      const { multiplier, shift } = quantizeMultiplier(d);
      expect(multiplier).toBeGreaterThanOrEqual(1 << 30);
      expect(Math.abs((multiplier / 2 ** 31) * 2 ** shift - d) / d).toBeLessThan(2 ** -30);
    }
    expect(frexp(8)).toEqual({ q: 0.5, e: 4 });
    expect(roundHalfAwayFromZero(2.5)).toBe(3);
    expect(roundHalfAwayFromZero(-2.5)).toBe(-3);
    expect(roundHalfAwayFromZero(0.49999999999999994)).toBe(0);
  });

  it('gemmlowp exp and reciprocal approximate their real functions', () => {
    for (const v of [-0.01, -0.3, -1, -3, -7.5]) {
      const got = expOnNegativeValues(Math.round(v * 2 ** 26), 5) / 2 ** 31;
      expect(Math.abs(got - Math.exp(v))).toBeLessThan(1e-6);
    }
    expect(expOnNegativeValues(0, 5)).toBe(2147483647);
    for (const v of [0, 0.25, 0.5, 0.99]) {
      expect(Math.abs(oneOverOnePlusXForXIn01(Math.round(v * 2 ** 31)) / 2 ** 31 - 1 / (1 + v))).toBeLessThan(1e-6);
    }
  });

  it('the sigmoid LUT is TFLM\'s table: monotone, sigmoid(i/24) within one LSB', () => {
    expect(SIGMOID_TABLE_UINT16.length).toBe(256);
    expect(SIGMOID_TABLE_UINT16[0]).toBe(32768);
    expect(SIGMOID_TABLE_UINT16[255]).toBe(65535);
    for (let i = 0; i < 256; i++) {
      if (i > 0) expect(SIGMOID_TABLE_UINT16[i]!).toBeGreaterThanOrEqual(SIGMOID_TABLE_UINT16[i - 1]!);
      expect(Math.abs(SIGMOID_TABLE_UINT16[i]! - 65536 / (1 + Math.exp(-i / 24)))).toBeLessThanOrEqual(1.5);
    }
  });
});
