import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, resample, resampledLength } from '../../runtime-sim/audio/index.ts';
import { UsageError } from '../../common/errors.ts';

const OUT = 16000;

function tone(freq: number, rate: number, n: number, amplitude: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => amplitude * Math.sin((2 * Math.PI * freq * i) / rate));
}

/** RMS of y over the middle (edges see the zero padding outside the clip). */
function middleRms(y: Float32Array, margin: number): number {
  let s = 0;
  for (let i = margin; i < y.length - margin; i++) s += y[i] * y[i];
  return Math.sqrt(s / (y.length - 2 * margin));
}

function db(ratio: number): number {
  return 20 * Math.log10(ratio);
}

/** Largest deviation from the ideal tone sampled at the output rate (checks gain, frequency and zero delay). */
function maxErrorVsIdeal(y: Float32Array, freq: number, amplitude: number, margin: number): number {
  let worst = 0;
  for (let k = margin; k < y.length - margin; k++) {
    worst = Math.max(worst, Math.abs(y[k] - amplitude * Math.sin((2 * Math.PI * freq * k) / OUT)));
  }
  return worst;
}

describe('resample to 16 kHz', () => {
  it('a 10 kHz tone in a 44.1 kHz WAV file is at least 60 dB down', () => {
    const amplitude = 0.5;
    const wav = encodeWav([tone(10000, 44100, 44100, amplitude)], 44100, 'float32');
    const clip = decodeWav(wav, 'tone10k.wav');
    expect(clip.samplesFloat32.length).toBe(16000);
    const attenuation = db(middleRms(clip.samplesFloat32, 400) / (amplitude / Math.SQRT2));
    expect(attenuation).toBeLessThanOrEqual(-60);
  });

  for (const rate of [44100, 48000, 22050, 8000, 11025, 22051]) {
    it(`1 kHz tone from ${rate} Hz: gain error < 0.1 dB, right frequency and no delay`, () => {
      const amplitude = 0.5;
      const y = resample(tone(1000, rate, rate, amplitude), rate, OUT);
      expect(y.length).toBe(OUT);
      const gainDb = db(middleRms(y, 400) / (amplitude / Math.SQRT2));
      expect(Math.abs(gainDb)).toBeLessThan(0.1);
      // A wrong frequency, a delay or an image/alias would all show as a large deviation here (-80 dB bound).
      expect(maxErrorVsIdeal(y, 1000, amplitude, 400)).toBeLessThan(amplitude * 1e-4);
    });
  }

  it('passband is flat to 7 kHz from 48 kHz and 44.1 kHz (< 0.1 dB)', () => {
    for (const rate of [48000, 44100]) {
      const y = resample(tone(7000, rate, rate / 2, 0.5), rate, OUT);
      expect(Math.abs(db(middleRms(y, 400) / (0.5 / Math.SQRT2)))).toBeLessThan(0.1);
      expect(maxErrorVsIdeal(y, 7000, 0.5, 400)).toBeLessThan(0.5e-3);
    }
  });

  it('everything above 8 kHz is at least 60 dB down from 48 kHz and 22.05 kHz', () => {
    for (const [rate, freq] of [[48000, 8200], [48000, 12000], [48000, 20000], [22050, 8500], [22050, 10500]]) {
      const y = resample(tone(freq, rate, rate / 2, 0.5), rate, OUT);
      expect(db(middleRms(y, 400) / (0.5 / Math.SQRT2))).toBeLessThanOrEqual(-60);
    }
  });

  it('DC passes with unit gain in every phase', () => {
    for (const rate of [44100, 8000, 22051]) {
      const y = resample(new Float32Array(rate / 4 | 0).fill(0.5), rate, OUT);
      for (let k = 200; k < y.length - 200; k++) expect(Math.abs(y[k] - 0.5)).toBeLessThanOrEqual(2 ** -24);
    }
  });
});

describe('resample contract', () => {
  it('same rate returns an untouched copy', () => {
    const x = tone(440, 16000, 1000, 0.3);
    const y = resample(x, 16000, 16000);
    expect(y).toEqual(x);
    expect(y).not.toBe(x);
  });

  it('output length is ceil(n × to / from), and a decoded clip uses it', () => {
    expect(resampledLength(1, 44100, 16000)).toBe(1);
    expect(resampledLength(441, 44100, 16000)).toBe(160);
    expect(resampledLength(442, 44100, 16000)).toBe(161);
    expect(resampledLength(3, 8000, 16000)).toBe(6);
    expect(resample(new Float32Array(442), 44100, 16000).length).toBe(161);
    expect(resample(new Float32Array(0), 44100, 16000).length).toBe(0);
  });

  it('is deterministic and linear', () => {
    const a = tone(300, 22050, 3000, 0.2);
    const b = tone(2500, 22050, 3000, 0.3);
    const sum = Float32Array.from(a, (v, i) => v + b[i]);
    const ya = resample(a, 22050, OUT);
    expect(resample(a, 22050, OUT)).toEqual(ya);
    const yb = resample(b, 22050, OUT);
    const ys = resample(sum, 22050, OUT);
    for (let k = 0; k < ys.length; k++) expect(Math.abs(ys[k] - ya[k] - yb[k])).toBeLessThan(1e-6);
  });

  it('rejects non-integer or non-positive rates with a UsageError', () => {
    expect(() => resample(new Float32Array(4), 0, OUT)).toThrow(UsageError);
    expect(() => resample(new Float32Array(4), 44100.5, OUT)).toThrow(/fromRate/);
    expect(() => resample(new Float32Array(4), 44100, -1)).toThrow(/toRate/);
  });
});
