/**
 * Stage kernels against independent references: the bit-by-bit C square root (ported literally
 * in BigInt), a float DFT for the int16 kissfft (both radix paths), the float64 vs BigInt uint64
 * accumulators, and the int16 corner cases of the window.
 */
import { describe, expect, it } from 'vitest';
import {
  filterbankAccumulateBigInt,
  filterbankAccumulateFloat64,
  filterbankFitsFloat64,
} from '../../runtime-sim/frontend/tflm/filterbank-accumulate.ts';
import { sqrtUint64RoundedFromBigInt, sqrtUint64RoundedFromNumber } from '../../runtime-sim/frontend/tflm/filterbank-sqrt.ts';
import { createKissFftrInt16 } from '../../runtime-sim/frontend/tflm/kiss-fftr-int16.ts';
import { log1pfFdlibm } from '../../runtime-sim/frontend/tflm/log1pf-fdlibm.ts';
import { TFLM_DEFAULT_CONFIG, resolveTflmTables } from '../../runtime-sim/frontend/tflm/index.ts';
import { createWindowStateInt16, windowProcessSamplesInt16 } from '../../runtime-sim/frontend/tflm/window-int16.ts';

/** Literal port of filterbank.c's Sqrt32/Sqrt64 loops (uint64 via BigInt). */
function sqrtReference(n: bigint): number {
  const mask64 = (1n << 64n) - 1n;
  const msb = (v: bigint): number => (v === 0n ? 0 : v.toString(2).length);
  if (n >> 32n === 0n) {
    if (n === 0n) return 0;
    let num = n;
    let res = 0n;
    let maxBit = 32 - msb(num);
    maxBit |= 1;
    let bit = 1n << BigInt(31 - maxBit);
    let iterations = Math.floor((31 - maxBit) / 2) + 1;
    while (iterations--) {
      if (num >= res + bit) {
        num -= res + bit;
        res = (res >> 1n) + bit;
      } else res >>= 1n;
      bit >>= 2n;
    }
    if (num > res && res !== 0xffffn) ++res;
    return Number(res & 0xffffn);
  }
  let num = n;
  let res = 0n;
  let maxBit = 64 - msb(num);
  maxBit |= 1;
  let bit = 1n << BigInt(63 - maxBit);
  let iterations = Math.floor((63 - maxBit) / 2) + 1;
  while (iterations--) {
    if (num >= ((res + bit) & mask64)) {
      num -= res + bit;
      res = (res >> 1n) + bit;
    } else res >>= 1n;
    bit >>= 2n;
  }
  if (num > res && res !== 0xffffffffn) ++res;
  return Number(res & 0xffffffffn);
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

describe('Sqrt32/Sqrt64 rounding', () => {
  it('equals the literal C loop on edge values and 20k random values up to 2^64', () => {
    const values: bigint[] = [0n, 1n, 2n, 3n, 4n, 5n, 6n, 8n, 9n, 0xfffe0001n, 0xfffe0002n, 0xffff0000n, 0xffff0001n,
      0xffffffffn, 1n << 32n, (1n << 32n) + 1n, (1n << 52n) - 1n, 1n << 52n, (1n << 53n) - 1n, 1n << 53n,
      (1n << 64n) - 1n, (1n << 64n) - (1n << 31n)];
    for (let k = 1n; k < 70000n; k += 997n) values.push(k * k, k * k + k, k * k + k + 1n, k * k - 1n);
    const r = rng(42);
    for (let i = 0; i < 20000; ++i) {
      const bits = 1 + Math.floor(r() * 64);
      const hi = BigInt(Math.floor(r() * 4294967296));
      const lo = BigInt(Math.floor(r() * 4294967296));
      values.push(((hi << 32n) | lo) >> BigInt(64 - bits));
    }
    for (const v of values) {
      const expected = sqrtReference(v);
      expect(sqrtUint64RoundedFromBigInt(v), `sqrt(${v})`).toBe(expected);
      if (v < 1n << 53n) expect(sqrtUint64RoundedFromNumber(Number(v)), `sqrt(${v})`).toBe(expected);
    }
  });
});

describe('kiss_fftr FIXED_POINT=16', () => {
  for (const fftSize of [512, 256]) {
    it(`${fftSize}-point real FFT is within 3 LSB of DFT / fftSize (radix ${fftSize === 512 ? '4' : '4 and 2'})`, () => {
      const tables = resolveTflmTables({ ...TFLM_DEFAULT_CONFIG, window: { sizeMs: fftSize / 16, stepSizeMs: 10 } });
      expect(tables.fftSize).toBe(fftSize);
      const fft = createKissFftrInt16(fftSize, tables.kissFactors, tables.kissTwiddles, tables.kissSuperTwiddles);
      const r = rng(fftSize);
      const x = new Int16Array(fftSize);
      for (let i = 0; i < fftSize; ++i) x[i] = Math.round((r() - 0.5) * 30000);
      const out = new Int16Array(fftSize + 2);
      fft.forward(x, out);
      let worst = 0;
      for (let k = 0; k <= fftSize / 2; ++k) {
        let re = 0;
        let im = 0;
        for (let n = 0; n < fftSize; ++n) {
          re += x[n] * Math.cos((2 * Math.PI * k * n) / fftSize);
          im -= x[n] * Math.sin((2 * Math.PI * k * n) / fftSize);
        }
        worst = Math.max(worst, Math.abs(out[2 * k] - re / fftSize), Math.abs(out[2 * k + 1] - im / fftSize));
      }
      expect(worst).toBeLessThan(3);
    });
  }
});

describe('uint64 filterbank accumulation', () => {
  const t = resolveTflmTables(TFLM_DEFAULT_CONFIG);
  it('the preset tables are provably exact in float64', () => {
    expect(filterbankFitsFloat64(t)).toBe(true);
  });

  it('float64 and BigInt paths agree on maximal energies below 2^31', () => {
    const energy = new Uint32Array(257);
    for (let i = t.filterbankStartIndex; i < t.filterbankEndIndex; ++i) energy[i] = 2 ** 31 - 1 - i;
    const f = new Float64Array(t.numChannels + 1);
    const b = new BigUint64Array(t.numChannels + 1);
    filterbankAccumulateFloat64(t, energy, f);
    filterbankAccumulateBigInt(t, energy, b);
    expect(Array.from(f, (v) => BigInt(v))).toEqual(Array.from(b));
    expect(Math.max(...f)).toBeGreaterThan(2 ** 32); // the 64-bit range is really exercised
  });

  it('an energy of 2^31 is read back through an int32 and wraps modulo 2^64 like C', () => {
    const energy = new Uint32Array(257);
    const bin = 100;
    energy[bin] = 2 ** 31;
    const b = new BigUint64Array(t.numChannels + 1);
    filterbankAccumulateBigInt(t, energy, b);
    const wrapped = (1n << 64n) - (1n << 31n);
    let found = 0;
    for (let c = 0; c <= t.numChannels; ++c) {
      const ws = t.channelWeightStarts[c];
      const fs = t.channelFrequencyStarts[c];
      const j = bin - fs;
      if (j >= 0 && j < t.channelWidths[c]) {
        const w = BigInt(t.weights[ws + j]);
        if (w > 0n) {
          expect(b[c]).toBe((w * wrapped) & ((1n << 64n) - 1n));
          found++;
        }
      }
    }
    expect(found).toBe(1);
  });
});

describe('window int16 corner cases', () => {
  it('(x * coef) >> 12 with an arithmetic shift, and -32768 never sets max |output|', () => {
    const coef = Int16Array.from([4096, 4096, 1, 2048]);
    const w = createWindowStateInt16(4, 4, coef);
    const { read, frameReady } = windowProcessSamplesInt16(w, Int16Array.from([-32768, 5, -1, -3]), 0, 4);
    expect(read).toBe(4);
    expect(frameReady).toBe(true);
    expect(Array.from(w.output)).toEqual([-32768, 5, -1, -2]);
    expect(w.maxAbsOutputValue).toBe(5);
    expect(w.inputUsed).toBe(0);
  });
});

describe('log1pf (fdlibm float algorithm)', () => {
  // [x, log1pf(x)] as float32 bit patterns from glibc 2.36's log1pf (Debian 12, the libm of the
  // TFLM golden build), chosen where the correctly rounded fround(Math.log1p(x)) differs from it.
  const GLIBC_236: Array<[number, number]> = [
    [0x3df6a6ab, 0x3de8e480], [0x3fed27ad, 0x3f862e6c], [0x3fa10837, 0x3f508390], [0x3e37a979, 0x3e28edd4],
    [0x40a24a91, 0x3fe6dd1a], [0x3e22bd35, 0x3e170858], [0x3e7d07b9, 0x3e621ed0], [0x408fc2e0, 0x3fda08b4],
    [0x3f022c6d, 0x3ed27cee], [0x3f123d0e, 0x3ee75b36], [0x3dd91c9e, 0x3dce5b78], [0x4091678a, 0x3fdb39a2],
    [0x40a40934, 0x3fe8020a], [0x3fafa435, 0x3f5d2320], [0x40128ece, 0x3f986eaa], [0x4071dd82, 0x3fc839ba],
  ];
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  const fromBits = (b: number): number => {
    u[0] = b;
    return f[0];
  };
  it('matches glibc bit for bit where a correctly rounded log1p does not', () => {
    for (const [xb, yb] of GLIBC_236) {
      const x = fromBits(xb);
      const y = fromBits(yb);
      expect(log1pfFdlibm(x), `log1pf(${x})`).toBe(y);
      expect(Math.fround(Math.log1p(x))).not.toBe(y);
    }
  });
  it('handles the special ranges', () => {
    expect(log1pfFdlibm(0)).toBe(0);
    expect(log1pfFdlibm(-1)).toBe(-Infinity);
    expect(log1pfFdlibm(-2)).toBeNaN();
    expect(log1pfFdlibm(Infinity)).toBe(Infinity);
    expect(log1pfFdlibm(1e-30)).toBe(Math.fround(1e-30));
    expect(log1pfFdlibm(1)).toBe(Math.fround(Math.LN2));
  });
});
