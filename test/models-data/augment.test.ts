import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeWavInt16 } from '../../models/datasets/wav-io.js';
import {
  Prng,
  addNoiseAtSnr,
  applyGainDb,
  applyMasks,
  coloredNoiseFloat64,
  loadNoiseBank,
  meanPower,
  pitchShift,
  resampleByStepFloat64,
  randomGain,
  semitonesToRatio,
  specAugment,
  timeStretch,
} from '../../models/augment/index.js';
import { slopeDbPerOctave, tone, toneFrequency, welchPsd } from './signal-measure.js';

const SR = 16000;

function speechLike(seed: number, seconds = 1): Float32Array {
  // harmonic signal with a slow amplitude envelope: something more structured than a single tone
  const rng = new Prng(seed);
  const n = seconds * SR;
  const x = new Float32Array(n);
  const f0 = rng.uniform(100, 200);
  for (let i = 0; i < n; i++) {
    const env = 0.5 + 0.5 * Math.sin((2 * Math.PI * 3 * i) / SR);
    let v = 0;
    for (let h = 1; h <= 8; h++) v += Math.sin((2 * Math.PI * f0 * h * i) / SR) / h;
    x[i] = 0.2 * env * v;
  }
  return x;
}

describe('prng', () => {
  it('same seed gives the same stream, different seeds differ, forks are stable', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const sa = Array.from({ length: 16 }, () => a.nextUint32());
    const sb = Array.from({ length: 16 }, () => b.nextUint32());
    const sc = Array.from({ length: 16 }, () => c.nextUint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    expect(new Prng('x').fork('noise').float()).toBe(new Prng('x').fork('noise').float());
  });
  it('uniform floats have mean 1/2 and normals unit variance', () => {
    const r = new Prng(7);
    let s = 0;
    let s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) s += r.float();
    for (let i = 0; i < n; i++) s2 += r.normal() ** 2;
    expect(Math.abs(s / n - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
  });
});

describe('noise injection', () => {
  for (const color of ['white', 'pink', 'brown'] as const) {
    for (const snr of [5, 17.5, 30]) {
      it(`${color} noise at ${snr} dB SNR measures back within 0.5 dB`, () => {
        const clean = speechLike(snr);
        const { mixed } = addNoiseAtSnr(clean, new Prng(1), { snrDb: snr, source: color });
        const noise = mixed.map((v, i) => v - clean[i]);
        const measured = 10 * Math.log10(meanPower(clean) / meanPower(noise));
        expect(Math.abs(measured - snr)).toBeLessThan(0.5);
      });
    }
  }
  it('noise from a bank is looped from a random offset and mixed at the SNR', () => {
    const clean = speechLike(3);
    const noiseRecording = Float32Array.from(coloredNoiseFloat64(3000, 'white', new Prng(9)), (v) => v * 0.1);
    const res = addNoiseAtSnr(clean, new Prng(5), { snrDb: 10, source: { bank: [new Float32Array(100), noiseRecording] } });
    expect(res.bankIndex).toBe(1); // the silent recording is never picked
    const noise = res.mixed.map((v, i) => v - clean[i]);
    expect(Math.abs(10 * Math.log10(meanPower(clean) / meanPower(noise)) - 10)).toBeLessThan(0.5);
  });
  it('a folder of noise recordings becomes a bank (via runtime-sim/audio) and mixes at the SNR', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tinyser-noise-'));
    try {
      const hum = Int16Array.from({ length: 4000 }, (_, i) => Math.round(4000 * Math.sin((2 * Math.PI * 50 * i) / 16000)));
      writeFileSync(path.join(dir, 'hum.wav'), encodeWavInt16(hum, 16000));
      const { bank, files } = await loadNoiseBank(dir);
      expect(files.map((f) => path.basename(f))).toEqual(['hum.wav']);
      expect(bank[0]).toHaveLength(4000);
      const clean = speechLike(5);
      const { mixed } = addNoiseAtSnr(clean, new Prng(2), { snrDb: 20, source: { bank } });
      const noise = mixed.map((v, i) => v - clean[i]);
      expect(Math.abs(10 * Math.log10(meanPower(clean) / meanPower(noise)) - 20)).toBeLessThan(0.5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('pink and brown noise fall by 3 and 6 dB per octave, white is flat', () => {
    const slopes: Record<string, number> = {};
    for (const color of ['white', 'pink', 'brown'] as const) {
      const x = coloredNoiseFloat64(SR * 8, color, new Prng(11));
      slopes[color] = slopeDbPerOctave(welchPsd(x, 2048), SR, 62.5, 6000);
    }
    expect(Math.abs(slopes.white)).toBeLessThan(0.3);
    expect(Math.abs(slopes.pink - -3.01)).toBeLessThan(0.3);
    expect(Math.abs(slopes.brown - -6.02)).toBeLessThan(0.5);
  });
  it('same seed gives the same mix', () => {
    const clean = speechLike(4);
    const a = addNoiseAtSnr(clean, new Prng(99), { snrDb: 12, source: 'pink' }).mixed;
    const b = addNoiseAtSnr(clean, new Prng(99), { snrDb: 12, source: 'pink' }).mixed;
    const c = addNoiseAtSnr(clean, new Prng(98), { snrDb: 12, source: 'pink' }).mixed;
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});

describe('gain', () => {
  it('applies the dB gain as an amplitude ratio and stays in range when limited', () => {
    const x = tone(440, 0.1);
    const { out, gainDb } = applyGainDb(x, 6);
    expect(gainDb).toBeCloseTo(6, 10);
    expect(out[100] / x[100]).toBeCloseTo(10 ** (6 / 20), 5);
    const limited = applyGainDb(x, 20, { limitPeak: true });
    expect(Math.max(...limited.out.map(Math.abs))).toBeLessThanOrEqual(1);
    expect(limited.gainDb).toBeCloseTo(20 * Math.log10(1 / 0.5), 3);
  });
  it('random gain is drawn in range and repeats with the seed', () => {
    const x = tone(440, 0.05);
    const a = randomGain(x, new Prng(3), { minDb: -10, maxDb: -2 });
    const b = randomGain(x, new Prng(3), { minDb: -10, maxDb: -2 });
    expect(a.gainDb).toBeGreaterThanOrEqual(-10);
    expect(a.gainDb).toBeLessThan(-2);
    expect(a.out).toEqual(b.out);
  });
});

describe('pitch shift and time stretch', () => {
  for (const semis of [-4, 3, 7]) {
    it(`pitch shift by ${semis} semitones moves a 440 Hz tone by 2^(${semis}/12) and keeps the length`, () => {
      const x = tone(440, 1);
      const y = pitchShift(x, semis);
      expect(y.length).toBe(x.length);
      const f = toneFrequency(y);
      expect(Math.abs(f / (440 * semitonesToRatio(semis)) - 1)).toBeLessThan(0.002);
    });
  }
  for (const factor of [0.7, 1.25, 1.6]) {
    it(`time stretch by ${factor} changes duration by the factor and keeps a 300 Hz tone's pitch`, () => {
      const x = tone(300, 1);
      const y = timeStretch(x, factor);
      expect(y.length).toBe(Math.round(x.length * factor));
      expect(Math.abs(toneFrequency(y) / 300 - 1)).toBeLessThan(0.002);
      // energy is kept too: no dropouts from the overlap-add
      expect(Math.abs(10 * Math.log10(meanPower(y.subarray(2000, y.length - 2000)) / meanPower(x)))).toBeLessThan(0.5);
    });
  }
  it('identity stretch reproduces the input', () => {
    const x = speechLike(8);
    const y = timeStretch(x, 1);
    let err = 0;
    for (let i = 0; i < x.length; i++) err = Math.max(err, Math.abs(y[i] - x[i]));
    expect(err).toBeLessThan(1e-5);
  });
});

describe('SpecAugment masks', () => {
  const frames = 50;
  const dims = 20;
  const base = { data: Float32Array.from({ length: frames * dims }, (_, i) => 1 + (i % 7)), frames, dims };

  it('zeroes exactly the chosen time and frequency ranges', () => {
    const out = applyMasks(base, [
      { axis: 'time', start: 10, width: 5 },
      { axis: 'freq', start: 3, width: 4 },
    ]);
    for (let t = 0; t < frames; t++) {
      for (let b = 0; b < dims; b++) {
        const masked = (t >= 10 && t < 15) || (b >= 3 && b < 7);
        expect(out.data[t * dims + b]).toBe(masked ? 0 : base.data[t * dims + b]);
      }
    }
    expect(base.data.every((v) => v > 0)).toBe(true); // input untouched
  });
  it('random masks stay in bounds, are reported exactly, and repeat with the seed', () => {
    const a = specAugment(base, new Prng(5), { timeMasks: 3, maxTimeWidth: 8, freqMasks: 2, maxFreqWidth: 5 });
    const b = specAugment(base, new Prng(5), { timeMasks: 3, maxTimeWidth: 8, freqMasks: 2, maxFreqWidth: 5 });
    expect(a.masks).toEqual(b.masks);
    expect(a.matrix.data).toEqual(b.matrix.data);
    expect(a.masks.filter((m) => m.axis === 'time')).toHaveLength(3);
    let expectedZeros = 0;
    for (let t = 0; t < frames; t++) {
      for (let b2 = 0; b2 < dims; b2++) {
        const inMask = a.masks.some((m) => (m.axis === 'time' ? t : b2) >= m.start && (m.axis === 'time' ? t : b2) < m.start + m.width);
        if (inMask) expectedZeros++;
        expect(a.matrix.data[t * dims + b2] === 0).toBe(inMask);
      }
    }
    expect(expectedZeros).toBeGreaterThan(0);
  });
  it('works on the frontend float64 matrices too', () => {
    const m64 = { frames: 3, dims: 2, data: Float64Array.from([1, 2, 3, 4, 5, 6]) };
    const out = applyMasks(m64, [{ axis: 'time', start: 1, width: 1 }], -1);
    expect(out.data).toBeInstanceOf(Float64Array);
    expect(Array.from(out.data)).toEqual([1, 2, -1, -1, 5, 6]);
  });
  it('rejects a mask outside the matrix', () => {
    expect(() => applyMasks(base, [{ axis: 'freq', start: 18, width: 4 }])).toThrow(/outside/);
  });
});

describe('windowed-sinc resampling (used for 22.05 -> 16 kHz demo audio and pitch shift)', () => {
  const step = 22050 / 16000;
  it('keeps an in-band tone at its frequency and level', () => {
    const x = tone(1000, 1, 22050);
    const y = resampleByStepFloat64(x, step, Math.floor(x.length / step));
    expect(Math.abs(toneFrequency(y, 16000) / 1000 - 1)).toBeLessThan(1e-4);
    const mid = y.subarray(1000, y.length - 1000);
    expect(Math.abs(10 * Math.log10(meanPower(mid) / meanPower(x)))).toBeLessThan(0.05);
  });
  it('removes a tone above the new Nyquist frequency instead of aliasing it', () => {
    const x = tone(10000, 1, 22050);
    const y = resampleByStepFloat64(x, step, Math.floor(x.length / step));
    const attenuationDb = 10 * Math.log10(meanPower(y.subarray(1000, y.length - 1000)) / meanPower(x));
    expect(attenuationDb).toBeLessThan(-60);
  });
  it('the polyphase path for rational steps equals the general path', () => {
    const x = speechLike(12);
    const a = resampleByStepFloat64(x, step, 5000); // 441/320: polyphase
    const b = resampleByStepFloat64(x, step + 1e-10, 5000); // not a small rational: general path (drifts 5e-7 samples by the end)
    let err = 0;
    for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
    expect(err).toBeLessThan(1e-6);
  });
});
