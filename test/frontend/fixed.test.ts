import { describe, expect, it } from 'vitest';
import {
  computeFeaturesFixed,
  computeProsodyFixed,
  computeProsodyFloat64,
  computeFeaturesFloat64,
  computeFeaturesInt8,
  computeReferenceFloat64,
  createFixedFrontend,
  exportFixedTables,
  frameEnergyDbQ20,
  parseFrontendConfig,
  quantizeInt8Float64,
  zeroCrossingCount,
} from '../../runtime-sim/frontend/index.js';
import { createRealFftBfp } from '../../runtime-sim/frontend/fixed/fft-real-bfp.js';
import { melLogQ20 } from '../../runtime-sim/frontend/fixed/mel-log-q20.js';
import { powerSpectrumShifted } from '../../runtime-sim/frontend/fixed/power-spectrum-q.js';
import { quantizeInt8FromQ20 } from '../../runtime-sim/frontend/fixed/quantize-int8.js';
import { buildFixedTables } from '../../runtime-sim/frontend/fixed/tables.js';
import { createFftFloat64 } from '../../runtime-sim/frontend/reference/fft-float64.js';
import { frameEnergyDbFloat64 } from '../../runtime-sim/frontend/reference/frame-energy-float64.js';
import { zeroCrossingRate } from '../../runtime-sim/frontend/reference/zcr-float64.js';
import { snrDb } from '../../runtime-sim/verify/snr.js';
import { verifySignals } from '../../runtime-sim/verify/features.js';
import { prng, speechLike } from './helpers.js';

const speech = speechLike(2.0, 7);

describe('fixed-point frontend fidelity on a speech-like signal', () => {
  for (const [name, cfg] of [
    ['defaults (HTK, 40 bands)', {}],
    ['pre-emphasis 0.97, Slaney 64 bands, fmin 20, 20 MFCC', { preEmphasis: 0.97, mel: { scale: 'slaney', norm: 'slaney', bands: 64, fminHz: 20 }, mfcc: { count: 20 } }],
  ] as const) {
    it(`${name}: log-mel and MFCC >= 50 dB, every MFCC coefficient >= 40 dB (mean removed, all and active frames)`, () => {
      const config = parseFrontendConfig(cfg);
      const r = verifySignals([{ file: 'speech-like', samples: speech }], config);
      const f = r.perFile[0];
      expect(f.activeFrames).toBeGreaterThan(10);
      expect(f.activeFrames).toBeLessThan(f.frames); // the pauses are not active
      for (const v of [f.logMel.snrDb, f.logMel.snrActiveDb, f.logMel.snrMeanRemovedDb, f.mfcc.snrDb, f.mfcc.snrActiveDb, f.mfcc.snrMeanRemovedDb])
        expect(v).toBeGreaterThanOrEqual(50);
      for (const v of [...f.mfcc.perDimSnrMeanRemovedDb, ...f.mfcc.perDimSnrMeanRemovedActiveDb]) expect(v).toBeGreaterThanOrEqual(40);
      for (const v of f.logMel.perDimSnrMeanRemovedDb) expect(v).toBeGreaterThanOrEqual(40);
      expect(r.pass).toBe(true);
    });
  }
});

describe('fixed-point stages are exact integer arithmetic', () => {
  it('power spectrum with shift equals the BigInt computation (both the direct and the split branch)', () => {
    const rnd = prng(3);
    const t = buildFixedTables(parseFrontendConfig({}));
    for (const bits of [20, 26, 27, 29.5]) {
      const yr = Float64Array.from({ length: 257 }, () => Math.round((rnd() * 2 - 1) * 2 ** bits));
      const yi = Float64Array.from({ length: 257 }, () => Math.round((rnd() * 2 - 1) * 2 ** bits));
      const out = new Float64Array(257);
      const sP = powerSpectrumShifted(yr, yi, 257, t.binsBits, out);
      for (let k = 0; k < 257; k++) {
        const p = BigInt(yr[k]) ** 2n + BigInt(yi[k]) ** 2n;
        const want = sP === 0 ? p : (p + (1n << BigInt(sP - 1))) >> BigInt(sP);
        expect(BigInt(out[k])).toBe(want);
      }
      const total = out.reduce((a, v) => a + v, 0);
      expect(total).toBeLessThan(2 ** 47 + 257);
    }
  });

  it('block-floating-point FFT matches the float64 FFT to better than 130 dB (27-bit blocks, Q23 twiddles)', () => {
    const config = parseFrontendConfig({});
    const t = buildFixedTables(config);
    const fft = createRealFftBfp(t);
    const ff = createFftFloat64(512);
    const rnd = prng(11);
    for (const kind of ['noise', 'tone'] as const) {
      const x = Float64Array.from({ length: 512 }, (_, n) =>
        Math.round((kind === 'noise' ? rnd() * 2 - 1 : Math.cos(0.3 * n)) * (2 ** 27 - 1) * (n < 400 ? 1 : 0)),
      );
      const re = Float64Array.from({ length: 256 }, (_, m) => x[2 * m]);
      const im = Float64Array.from({ length: 256 }, (_, m) => x[2 * m + 1]);
      const shifts = fft.run(re, im);
      const pRef = new Float64Array(257);
      ff.powerSpectrum(x, pRef);
      const pFix = Float64Array.from({ length: 257 }, (_, k) => ((fft.yr[k] ** 2 + fft.yi[k] ** 2) * 4 ** shifts) / 4);
      expect(snrDb(pRef, pFix, 257, 1)).toBeGreaterThan(130);
    }
  });

  it('mel log in Q20 equals ln(sum w P) to 1e-5 over 2^0..2^47 energies', () => {
    const config = parseFrontendConfig({});
    const t = buildFixedTables(config);
    const rnd = prng(5);
    const ph = new Float64Array(257);
    const pl = new Float64Array(257);
    const out = new Int32Array(40);
    for (const bits of [4, 20, 40, 46]) {
      const p = Float64Array.from({ length: 257 }, () => Math.floor(rnd() * 2 ** bits));
      melLogQ20(t, p, -15, ph, pl, out); // exponent -15: the weights are Q15
      for (let b = 0; b < 40; b++) {
        let e = 0;
        for (let i = 0; i < t.melLength[b]; i++) e += (t.melWeightsQ15[t.melWeightOffset[b] + i] / 32768) * p[t.melStartBin[b] + i];
        const want = Math.max(Math.log(e), Math.log(config.log.floor));
        expect(Math.abs(out[b] / 2 ** 20 - want)).toBeLessThan(1e-5);
      }
    }
  });

  it('digital silence gives the log floor in every band', () => {
    const config = parseFrontendConfig({ kind: 'mfcc' });
    const f = computeFeaturesFixed(new Int16Array(4000), config);
    const floorQ20 = Math.round(Math.log(config.log.floor) * 2 ** 20);
    expect(f.frames).toBe(23);
    expect(Array.from(new Set(f.logMelQ20))).toEqual([floorQ20]);
    const ref = computeReferenceFloat64(new Int16Array(4000), config);
    expect(Math.abs(f.mfccQ20[0] / 2 ** 20 - ref.mfcc.data[0])).toBeLessThan(1e-4);
  });

  it('exports every table as plain integers that fit int32', () => {
    const tables = exportFixedTables(parseFrontendConfig({ kind: 'mfcc' }));
    for (const name of ['hannQ21', 'fftCosQ23', 'splitSinQ23', 'melWeightsQ15', 'log2LutQ30', 'dctQ24', 'quantMultiplier', 'quantShift']) {
      const v = tables[name];
      expect(Array.isArray(v)).toBe(true);
      for (const x of v as number[]) {
        expect(Number.isInteger(x)).toBe(true);
        expect(Math.abs(x)).toBeLessThan(2 ** 31);
      }
    }
    expect((tables.hannQ21 as number[]).length).toBe(400);
    expect((tables.dctQ24 as number[]).length).toBe(13 * 40);
  });
});

describe('int8 output', () => {
  it('rounds half up and counts saturation', () => {
    const config = parseFrontendConfig({ quantization: { scale: 0.5, zeroPoint: 3 } });
    const t = buildFixedTables(config);
    const q = new Int8Array(40);
    const f = new Int32Array(40);
    const cases: [number, number][] = [
      [0.25, 4], // x/scale = 0.5: half rounds up
      [-0.25, 3], // -0.5 rounds up to 0
      [-0.75, 2], // -1.5 rounds up to -1
      [0.2499, 3],
      [1.0, 5],
      [1000, 127],
      [-1000, -128],
    ];
    cases.forEach(([x, _], i) => (f[i] = Math.round(x * 2 ** 20)));
    const saturated = quantizeInt8FromQ20(t, f, q);
    cases.forEach(([, want], i) => expect(q[i]).toBe(want));
    expect(saturated).toBe(2);
    const fl = quantizeInt8Float64(Float64Array.from(cases, ([x]) => x), 0.5, 3);
    expect(Array.from(fl.data)).toEqual(cases.map(([, w]) => w));
    expect(fl.saturated).toBe(2);
  });

  it('normalization folds into the quantizer: equals the float rule on Q20 values away from ties', () => {
    const rnd = prng(9);
    const mean = Array.from({ length: 13 }, () => rnd() * 10 - 5);
    const std = Array.from({ length: 13 }, () => 0.5 + rnd() * 3);
    const config = parseFrontendConfig({ kind: 'mfcc', normalization: { mean, std }, quantization: { scale: 0.04, zeroPoint: -7 } });
    const t = buildFixedTables(config);
    const f = new Int32Array(13);
    const q = new Int8Array(13);
    let checked = 0;
    for (let trial = 0; trial < 300; trial++) {
      for (let d = 0; d < 13; d++) f[d] = Math.round((mean[d] + (rnd() * 2 - 1) * 4 * std[d] * 0.04 * 40) * 2 ** 20);
      quantizeInt8FromQ20(t, f, q);
      for (let d = 0; d < 13; d++) {
        const y = (f[d] / 2 ** 20 - mean[d]) / std[d] / 0.04;
        if (Math.abs(y - Math.round(y) + 0.5) % 1 < 1e-4) continue; // too close to a tie to judge
        const want = Math.max(-128, Math.min(127, Math.floor(y + 0.5) - 7));
        expect(q[d]).toBe(want);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('fixed int8 equals the quantized float features almost everywhere (max 1 LSB)', () => {
    const config = parseFrontendConfig({ kind: 'mfcc', quantization: { scale: 0.2, zeroPoint: 0 } });
    const fx = computeFeaturesInt8(speech, config);
    const fl = computeFeaturesFloat64(speech, config);
    expect(fx.frames).toBe(fl.frames);
    expect(fx.dims).toBe(13);
    const q = quantizeInt8Float64(fl.data, 0.2, 0).data;
    let equal = 0;
    for (let i = 0; i < q.length; i++) {
      expect(Math.abs(q[i] - fx.data[i])).toBeLessThanOrEqual(1);
      if (q[i] === fx.data[i]) equal++;
    }
    expect(equal / q.length).toBeGreaterThan(0.99);
  });

  it('contract 5: dequantized device features equal the normalized float (training) features: rounding (0.5 LSB) plus at most 1 LSB', () => {
    const rnd = prng(17);
    const mean = Array.from({ length: 40 }, () => -12 + rnd() * 4);
    const std = Array.from({ length: 40 }, () => 1.5 + rnd() * 2);
    const config = parseFrontendConfig({ normalization: { mean, std }, quantization: { scale: 0.06, zeroPoint: 10 } });
    const train = computeFeaturesFloat64(speech, config);
    const device = computeFeaturesInt8(speech, config);
    let within = 0;
    let inRange = 0;
    for (let i = 0; i < train.data.length; i++) {
      const deq = device.scale * (device.data[i] - device.zeroPoint);
      if (device.data[i] === -128 || device.data[i] === 127) continue; // saturated: outside the int8 range
      inRange++;
      expect(Math.abs(deq - train.data[i])).toBeLessThanOrEqual(0.06 * 1.5 + 1e-9);
      if (Math.abs(deq - train.data[i]) <= 0.06 * 0.5 + 1e-9) within++;
    }
    expect(inRange).toBeGreaterThan(train.data.length * 0.9);
    expect(within / inRange).toBeGreaterThan(0.999);
  });

  it('fixed deltas track the float deltas (>= 40 dB)', () => {
    const config = parseFrontendConfig({ kind: 'mfcc', deltas: { order: 2 } });
    const fx = computeFeaturesFixed(speech, config);
    const fl = computeFeaturesFloat64(speech, config);
    expect(fx.dims).toBe(39);
    const d1Ref: number[] = [];
    const d1Fix: number[] = [];
    for (let t = 0; t < fx.frames; t++)
      for (let d = 13; d < 39; d++) {
        d1Ref.push(fl.data[t * 39 + d]);
        d1Fix.push(fx.featuresQ20[t * 39 + d] / 2 ** 20);
      }
    expect(snrDb(d1Ref, d1Fix, d1Ref.length, 1)).toBeGreaterThan(40);
  });
});

describe('streaming fixed frontend', () => {
  for (const cfg of [{}, { preEmphasis: 0.97, kind: 'mfcc' as const }]) {
    it(`emits exactly the batch frames for any chunking (${JSON.stringify(cfg)})`, () => {
      const config = parseFrontendConfig(cfg);
      const batch = computeFeaturesInt8(speech, config);
      const rnd = prng(21);
      for (let trial = 0; trial < 3; trial++) {
        const fe = createFixedFrontend(config);
        const frames: Int8Array[] = [];
        for (let pos = 0; pos < speech.length; ) {
          const n = Math.min(speech.length - pos, Math.floor(rnd() * (trial === 0 ? 50 : 1500)));
          frames.push(...fe.pushSamples(speech.subarray(pos, pos + n)));
          pos += n;
        }
        expect(frames.length).toBe(batch.frames);
        expect(fe.framesEmitted).toBe(batch.frames);
        const flat = new Int8Array(frames.length * batch.dims);
        frames.forEach((f, i) => flat.set(f, i * batch.dims));
        expect(Buffer.from(flat.buffer).equals(Buffer.from(batch.data.buffer))).toBe(true);
      }
    });
  }

  it('rejects deltas (they need look-ahead)', () => {
    expect(() => createFixedFrontend(parseFrontendConfig({ deltas: { order: 1 } }))).toThrow(/look-ahead/);
  });
});

describe('fixed energy and zero crossings', () => {
  it('energy dB within 1e-4 dB of float; zero-crossing count equals the float ZCR exactly', () => {
    const t = buildFixedTables(parseFrontendConfig({}));
    for (let s = 0; s + 400 <= speech.length; s += 1600) {
      const e = frameEnergyDbQ20(t, speech, s, 400) / 2 ** 20;
      const ref = frameEnergyDbFloat64(speech, s, 400);
      if (ref > -190) expect(Math.abs(e - ref)).toBeLessThan(1e-4);
      expect(zeroCrossingCount(speech, s, 400)).toBe(Math.round(zeroCrossingRate(speech, s, 400) * 399));
    }
  });
});

describe('fixed prosody (integer YIN F0, energy, zero crossings)', () => {
  it('agrees with the float reference on the speech-like signal', () => {
    const config = parseFrontendConfig({});
    const a = computeProsodyFloat64(speech, config);
    const b = computeProsodyFixed(speech, config);
    expect(b.frames).toBe(a.frames);
    let agree = 0;
    let voicedBoth = 0;
    const rel: number[] = [];
    for (let t = 0; t < a.frames; t++) {
      if (a.voiced[t] === b.voiced[t]) agree++;
      expect(b.zeroCrossings[t]).toBe(Math.round(a.zcr[t] * 399));
      if (a.voiced[t] && b.voiced[t]) {
        voicedBoth++;
        rel.push(Math.abs(b.f0Q4[t] / 16 - a.f0Hz[t]) / a.f0Hz[t]);
      }
    }
    expect(agree / a.frames).toBeGreaterThan(0.98);
    expect(voicedBoth).toBeGreaterThan(a.frames * 0.3);
    rel.sort((x, y) => x - y);
    expect(rel[rel.length >> 1]).toBeLessThan(1e-3);
    expect(rel[rel.length - 1]).toBeLessThan(1e-2);
  });
});
