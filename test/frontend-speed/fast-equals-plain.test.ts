/**
 * The speed work on the fixed-point frontend and the float64 reference changed how they compute, never
 * what: every output must equal the plain formulation (runtime-sim/frontend/fixed/frame-spec-q.ts, plain-reference-float64.ts,
 * the code as it was before) bit for bit, on synthetic edge signals, on real speech, and stage by stage
 * for the fused / shortcut paths that real signals rarely take.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readWav } from '../../runtime-sim/audio/index.js';
import { computeFeaturesFixed, createFixedFrontend, fixedTablesFor } from '../../runtime-sim/frontend/fixed/frontend-fixed.js';
import { createRealFftBfp } from '../../runtime-sim/frontend/fixed/fft-real-bfp.js';
import { dctQ20, dctQ20AtSymmetric, dctTableIsSymmetric } from '../../runtime-sim/frontend/fixed/dct-q20.js';
import { deltasQ20 } from '../../runtime-sim/frontend/fixed/deltas-q20.js';
import { powerSpectrumShifted, powerSpectrumShiftedSplit24 } from '../../runtime-sim/frontend/fixed/power-spectrum-q.js';
import { quantizeInt8FromQ20 } from '../../runtime-sim/frontend/fixed/quantize-int8.js';
import { buildFixedTables } from '../../runtime-sim/frontend/fixed/tables.js';
import { bitLength } from '../../runtime-sim/frontend/fixed/int-math.js';
import { parseFrontendConfig, type FrontendConfig } from '../../runtime-sim/frontend/index.js';
import { computeReferenceFloat64 } from '../../runtime-sim/frontend/reference-float64.js';
import { createPlainFft, createPlainFrameProcessorQ } from '../../runtime-sim/frontend/fixed/frame-spec-q.js';
import { plainReferenceFloat64 } from './plain-reference-float64.js';
import { seededRandom } from '../cfrontend/signals.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ravdessDir = join(resolve(repoRoot, '../shared'), 'datasets/ravdess-4class-16k');
const ravdessAvailable = existsSync(ravdessDir);

const clip16 = (v: number) => Math.max(-32768, Math.min(32767, Math.round(v)));

function signals(n = 8000): Record<string, Int16Array> {
  const rnd = seededRandom(99);
  const taps = new Int16Array(n);
  taps[1] = 1;
  taps[2] = -1;
  taps[n >> 1] = 3;
  taps[n - 5] = -32768;
  let phase = 0;
  return {
    silence: new Int16Array(n),
    noise: Int16Array.from({ length: n }, () => Math.floor(rnd() * 65536) - 32768),
    square: Int16Array.from({ length: n }, (_, i) => (Math.floor(i / 23) % 2 ? 32767 : -32768)),
    chirp: Int16Array.from({ length: n }, (_, i) => clip16(20000 * Math.sin(2 * Math.PI * (40 * (i / 16000) + 3900 * (i / 16000) ** 2)))),
    dither: Int16Array.from({ length: n }, () => (rnd() < 0.5 ? -1 : 1) * (rnd() < 0.6 ? 1 : 0)),
    taps,
    speechLike: Int16Array.from({ length: n }, (_, i) => {
      phase += (2 * Math.PI * (130 + 25 * Math.sin(i / 900))) / 16000;
      let v = 0;
      for (let h = 1; h <= 20; h++) v += Math.exp(-(((h * 140 - 650) / 300) ** 2)) * Math.sin(h * phase) / h;
      return clip16(90000 * (0.55 + 0.45 * Math.sin(i / 700)) * v + 50 * (rnd() - 0.5));
    }),
  };
}

const configs: Record<string, FrontendConfig> = {
  'logmel defaults': parseFrontendConfig({}),
  'bench: MFCC HTK 40 / 13': parseFrontendConfig({ kind: 'mfcc' }),
  'bench: pre-emphasis 0.97, Slaney 64, 20 MFCC': parseFrontendConfig({
    kind: 'mfcc',
    preEmphasis: 0.97,
    mel: { scale: 'slaney', norm: 'slaney', bands: 64, fminHz: 20 },
    mfcc: { count: 20 },
  }),
  'fft 256, hop > window, 21 bands (odd DCT width), deltas 2': parseFrontendConfig({
    windowSamples: 200,
    hopSamples: 250,
    fftSize: 256,
    kind: 'mfcc',
    preEmphasis: 0.9,
    mel: { bands: 21 },
    mfcc: { count: 10 },
    deltas: { order: 2, width: 2 },
  }),
  'tiny window 16 in a 256 FFT, hop 7, pre-emphasis 0.99, log floor 1e-3': parseFrontendConfig({
    windowSamples: 16,
    hopSamples: 7,
    fftSize: 256,
    preEmphasis: 0.99,
    kind: 'mfcc',
    mel: { bands: 9, fminHz: 300 },
    mfcc: { count: 7 },
    log: { floor: 1e-3 },
  }),
  'fft 1024, 80 bands, normalized log-mel, deltas 1': parseFrontendConfig({
    windowSamples: 640,
    hopSamples: 320,
    fftSize: 1024,
    preEmphasis: 0.5,
    mel: { bands: 80, fmaxHz: 7000 },
    deltas: { order: 1, width: 3 },
    normalization: {
      mean: Array.from({ length: 160 }, (_, i) => -12 + 0.05 * i),
      std: Array.from({ length: 160 }, (_, i) => 1.5 + 0.01 * i),
    },
    quantization: { scale: 0.05, zeroPoint: -7 },
  }),
};

/** The plain formulation's outputs for a whole signal (frames of log-mel, MFCC, features, int8). */
function plainFixed(samples: Int16Array, config: FrontendConfig) {
  const t = fixedTablesFor(config);
  const proc = createPlainFrameProcessorQ(t);
  const hop = config.hopSamples;
  const frames = samples.length < config.windowSamples ? 0 : 1 + Math.floor((samples.length - config.windowSamples) / hop);
  const logMel = new Int32Array(frames * t.bands);
  const mfcc = new Int32Array(frames * t.mfccCount);
  for (let f = 0; f < frames; f++) {
    const s = f * hop;
    proc.process(samples, s, s > 0 ? samples[s - 1] : 0, logMel.subarray(f * t.bands, (f + 1) * t.bands), mfcc.subarray(f * t.mfccCount, (f + 1) * t.mfccCount));
  }
  const base = config.kind === 'mfcc' ? mfcc : logMel;
  const bd = config.kind === 'mfcc' ? t.mfccCount : t.bands;
  const parts: Int32Array[] = [base];
  if (config.deltas.order > 0) parts.push(deltasQ20(base, frames, bd, config.deltas.width));
  if (config.deltas.order > 1) parts.push(deltasQ20(parts[1], frames, bd, config.deltas.width));
  const features = new Int32Array(frames * t.dims);
  for (let f = 0; f < frames; f++) parts.forEach((p, j) => features.set(p.subarray(f * bd, (f + 1) * bd), f * t.dims + j * bd));
  const int8 = new Int8Array(frames * t.dims);
  let saturated = 0;
  for (let f = 0; f < frames; f++) saturated += quantizeInt8FromQ20(t, features.subarray(f * t.dims, (f + 1) * t.dims), int8, f * t.dims);
  return { frames, logMel, mfcc, features, int8, saturated };
}

function expectFixedEqualsPlain(samples: Int16Array, config: FrontendConfig): void {
  const fast = computeFeaturesFixed(samples, config);
  const plain = plainFixed(samples, config);
  expect(fast.frames).toBe(plain.frames);
  expect(fast.logMelQ20).toEqual(plain.logMel);
  expect(fast.mfccQ20).toEqual(plain.mfcc);
  expect(fast.featuresQ20).toEqual(plain.features);
  expect(fast.int8).toEqual(plain.int8);
  expect(fast.saturated).toBe(plain.saturated);
}

/** Float64 arrays equal bit for bit (distinguishes -0 and +0, unlike toEqual on numbers). */
function expectSameBits(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))).toBe(true);
}

function expectReferenceEqualsPlain(samples: Int16Array, config: FrontendConfig): void {
  const fast = computeReferenceFloat64(samples, config);
  const plain = plainReferenceFloat64(samples, config);
  expectSameBits(fast.logMel.data, plain.logMel);
  expectSameBits(fast.mfcc.data, plain.mfcc);
  expectSameBits(fast.energyDb, plain.energyDb);
}

describe('fixed-point frontend = plain formulation, bit for bit', () => {
  const sig = signals();
  for (const [cname, config] of Object.entries(configs)) {
    it(`${cname}: log-mel, MFCC, features, int8, saturation on synthetic edge signals`, () => {
      for (const s of Object.values(sig)) expectFixedEqualsPlain(s, config);
    });
  }

  it('the streaming frontend emits the plain frames (shared processor, any chunking)', () => {
    const config = configs['bench: pre-emphasis 0.97, Slaney 64, 20 MFCC'];
    const t = fixedTablesFor(config);
    const s = sig.speechLike;
    const plain = plainFixed(s, config);
    const fe = createFixedFrontend(config);
    const rnd = seededRandom(5);
    const got: number[] = [];
    for (let pos = 0; pos < s.length; ) {
      const n = Math.floor(rnd() * 700);
      for (const q of fe.pushSamples(s.subarray(pos, pos + n))) got.push(...q);
      pos += n;
    }
    expect(fe.framesEmitted).toBe(plain.frames);
    expect(Int8Array.from(got)).toEqual(plain.int8.subarray(0, plain.frames * t.dims));
  });

  it.skipIf(!ravdessAvailable)('real speech (8 RAVDESS files, both bench configs)', async () => {
    const files = readdirSync(ravdessDir).filter((f) => f.endsWith('.wav')).sort().filter((_, i) => i % 70 === 0);
    expect(files.length).toBe(8);
    for (const f of files) {
      const s = (await readWav(join(ravdessDir, f))).samplesInt16;
      expectFixedEqualsPlain(s, configs['bench: MFCC HTK 40 / 13']);
      expectFixedEqualsPlain(s, configs['bench: pre-emphasis 0.97, Slaney 64, 20 MFCC']);
    }
  });
});

describe('float64 reference = plain formulation, bit for bit', () => {
  const sig = signals(4000);
  for (const [cname, config] of Object.entries(configs)) {
    it(`${cname}: log-mel, MFCC, energy on synthetic edge signals`, () => {
      for (const s of Object.values(sig)) expectReferenceEqualsPlain(s, config);
    });
  }

  it.skipIf(!ravdessAvailable)('real speech (4 RAVDESS files, both bench configs)', async () => {
    const files = readdirSync(ravdessDir).filter((f) => f.endsWith('.wav')).sort().filter((_, i) => i % 140 === 0);
    for (const f of files) {
      const s = (await readWav(join(ravdessDir, f))).samplesInt16;
      expectReferenceEqualsPlain(s, configs['bench: MFCC HTK 40 / 13']);
      expectReferenceEqualsPlain(s, configs['bench: pre-emphasis 0.97, Slaney 64, 20 MFCC']);
    }
  });
});

describe('fused and shortcut stages = plain stages', () => {
  it('normalization + packing + first FFT stage fused (runNormalized) = normalize, then the plain FFT, incl. a value rounding to exactly 2^27', () => {
    for (const fftSize of [256, 512, 1024] as const) {
      const t = buildFixedTables(parseFrontendConfig({ fftSize, windowSamples: fftSize - 56 }));
      const fast = createRealFftBfp(t);
      const plain = createPlainFft(t);
      const rnd = seededRandom(fftSize);
      const half = fftSize / 2;
      const cases: [string, Float64Array][] = [];
      for (const bits of [45, 51.9, 20, 10]) {
        cases.push([`noise 2^${bits}`, Float64Array.from({ length: fftSize }, (_, i) => (i < fftSize - 56 ? Math.round((rnd() * 2 - 1) * 2 ** bits) : 0))]);
      }
      // max |p| = 2^(27+s0) - 2^(s0-1) with s0 = 5: rounds up to exactly +2^27 (and -2^27 for the negative case).
      for (const sign of [1, -1]) {
        const p = Float64Array.from({ length: fftSize }, (_, i) => (i < fftSize - 56 ? Math.round((rnd() * 2 - 1) * 2 ** 30) : 0));
        p[7] = sign > 0 ? 2 ** 32 - 16 : -(2 ** 32 - 15); // (v + 16) / 32 floors to exactly +-2^27
        cases.push([`rounds to ${sign}*2^27`, p]);
      }
      for (const [name, p] of cases) {
        let maxAbs = 0;
        for (const v of p) maxAbs = Math.max(maxAbs, Math.abs(v));
        const s0 = bitLength(maxAbs) - 27;
        const q = p.map((v) => (s0 > 0 ? Math.floor((v + 2 ** (s0 - 1)) / 2 ** s0) : v * 2 ** -s0));
        if (name.startsWith('rounds')) expect(Math.max(...q.map(Math.abs))).toBe(2 ** 27);
        const re = Float64Array.from({ length: half }, (_, m) => q[2 * m]);
        const im = Float64Array.from({ length: half }, (_, m) => q[2 * m + 1]);
        const shiftsPlain = plain.run(re, im);
        const shiftsFast = fast.runNormalized(p, s0);
        expect(shiftsFast, `${fftSize} ${name}`).toBe(shiftsPlain);
        expect(Float64Array.from(fast.yr), `${fftSize} ${name}`).toEqual(plain.yr);
        expect(Float64Array.from(fast.yi), `${fftSize} ${name}`).toEqual(plain.yi);
        // run() (unfused first stage) agrees too
        expect(fast.run(re, im)).toBe(shiftsPlain);
        expect(Float64Array.from(fast.yr)).toEqual(plain.yr);
      }
    }
  });

  it('power spectrum written split at bit 24 = powerSpectrumShifted then split (direct and 15-bit-split branches)', () => {
    const t = buildFixedTables(parseFrontendConfig({}));
    const rnd = seededRandom(17);
    for (const bits of [0, 12, 20, 26, 27, 28, 29.5]) {
      const yr = Int32Array.from({ length: 257 }, () => Math.round((rnd() * 2 - 1) * 2 ** bits));
      const yi = Int32Array.from({ length: 257 }, () => Math.round((rnd() * 2 - 1) * 2 ** bits));
      let yMax = 0;
      for (let k = 0; k < 257; k++) yMax = Math.max(yMax, Math.abs(yr[k]), Math.abs(yi[k]));
      const p = new Float64Array(257);
      const sP = powerSpectrumShifted(yr, yi, 257, t.binsBits, p);
      const ph = new Float64Array(257);
      const pl = new Float64Array(257);
      expect(powerSpectrumShiftedSplit24(yr, yi, 257, t.binsBits, yMax, ph, pl)).toBe(sP);
      for (let k = 0; k < 257; k++) {
        expect(ph[k]).toBe(Math.floor(p[k] / 2 ** 24));
        expect(pl[k]).toBe(p[k] - ph[k] * 2 ** 24);
      }
    }
  });

  it('symmetric DCT (half the multiplies) = direct DCT for 8..128 bands, and every generated table is symmetric', () => {
    const rnd = seededRandom(23);
    for (const bands of [8, 9, 13, 20, 21, 40, 63, 64, 80, 127, 128]) {
      for (const count of [1, Math.min(13, bands), bands]) {
        const t = buildFixedTables(parseFrontendConfig({ kind: 'mfcc', mel: { bands }, mfcc: { count } }));
        expect(dctTableIsSymmetric(t.dctQ24, bands, count)).toBe(true);
        const logMel = Int32Array.from({ length: bands }, () => Math.round((rnd() * 2 - 1) * 2 ** 24.9));
        const want = new Int32Array(count);
        dctQ20(t, logMel, want);
        const got = new Int32Array(count + 3);
        const h = (bands + 1) >> 1;
        dctQ20AtSymmetric(Float64Array.from(t.dctQ24), bands, count, logMel, 0, new Float64Array(h), new Float64Array(h), got, 3);
        expect(got.subarray(3)).toEqual(want);
      }
    }
  });
});
