import { describe, expect, it } from 'vitest';
import { computeProsodyFloat64, computeReferenceFloat64, parseFrontendConfig, yinF0Float64 } from '../../runtime-sim/frontend/index.js';
import { applyDctFloat64, dctOrthoMatrixFloat64 } from '../../runtime-sim/frontend/reference/dct-float64.js';
import { deltasFloat64 } from '../../runtime-sim/frontend/reference/deltas-float64.js';
import { createFftFloat64 } from '../../runtime-sim/frontend/reference/fft-float64.js';
import { frameEnergyDbFloat64 } from '../../runtime-sim/frontend/reference/frame-energy-float64.js';
import { hzToMel, melFilterbankFloat64, melToHz } from '../../runtime-sim/frontend/reference/mel-filterbank-float64.js';
import { preEmphasisFloat64 } from '../../runtime-sim/frontend/reference/pre-emphasis-float64.js';
import { hannPeriodicFloat64 } from '../../runtime-sim/frontend/reference/window-float64.js';
import { zeroCrossingRate } from '../../runtime-sim/frontend/reference/zcr-float64.js';
import { sine, toInt16 } from './helpers.js';

describe('float64 reference stages', () => {
  it('FFT power spectrum of a bin-centred sine peaks at its bin with the expected power; Parseval holds', () => {
    const n = 512;
    const fft = createFftFloat64(n);
    const x = Float64Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * 37 * i) / n));
    const p = new Float64Array(n / 2 + 1);
    fft.powerSpectrum(x, p);
    expect(p.indexOf(Math.max(...p))).toBe(37);
    expect(p[37]).toBeCloseTo((n / 2) ** 2, 6);
    const noise = Float64Array.from({ length: 400 }, (_, i) => Math.sin(i * 1.7) * Math.cos(i * 0.31));
    fft.powerSpectrum(noise, p);
    // Parseval for a real signal: sum|X|^2 over all N bins = N sum x^2 (bins 1..N/2-1 appear twice)
    let spec = p[0] + p[n / 2];
    for (let k = 1; k < n / 2; k++) spec += 2 * p[k];
    const time = noise.reduce((a, v) => a + v * v, 0) * n;
    expect(spec / time).toBeCloseTo(1, 10);
  });

  it('periodic Hann: w[0] = 0, w[N/2] = 1, symmetric around N/2', () => {
    const w = hannPeriodicFloat64(400);
    expect(w[0]).toBe(0);
    expect(w[200]).toBeCloseTo(1, 15);
    for (let i = 1; i < 200; i++) expect(w[i]).toBeCloseTo(w[400 - i], 14);
  });

  it('pre-emphasis is y[n] = x[n] - a x[n-1] with x[-1] = 0', () => {
    const y = preEmphasisFloat64(Float64Array.from([1, 2, 3]), 0.5);
    expect(Array.from(y)).toEqual([1, 1.5, 2]);
  });

  it('mel scales invert, and HTK 1000 Hz is 1000 mel', () => {
    expect(hzToMel(1000, 'htk')).toBeCloseTo(1000, 1);
    for (const s of ['htk', 'slaney'] as const) for (const f of [0, 300, 999, 1000, 4321, 8000]) expect(melToHz(hzToMel(f, s), s)).toBeCloseTo(f, 6);
    expect(hzToMel(1000, 'slaney')).toBeCloseTo(15, 10);
  });

  it('a tone lands in the mel band whose centre is nearest, for HTK and Slaney', () => {
    for (const scale of ['htk', 'slaney'] as const) {
      const config = parseFrontendConfig({ mel: { scale, norm: scale === 'slaney' ? 'slaney' : 'none' } });
      const fb = melFilterbankFloat64(config);
      for (const f of [250, 1000, 3000, 6500]) {
        const ref = computeReferenceFloat64(toInt16(sine(f, 0.5, 4000)), config);
        const row = ref.logMel.data.subarray(5 * 40, 6 * 40);
        const best = row.indexOf(Math.max(...row));
        const centres = Array.from({ length: 40 }, (_, b) => fb.edgesHz[b + 1]);
        const nearest = centres.reduce((bi, c, i) => (Math.abs(c - f) < Math.abs(centres[bi] - f) ? i : bi), 0);
        expect(Math.abs(best - nearest)).toBeLessThanOrEqual(scale === 'slaney' ? 1 : 0);
      }
    }
  });

  it('DCT-II ortho matrix is orthonormal (full size) and maps a constant to c0 only', () => {
    const m = 40;
    const d = dctOrthoMatrixFloat64(m, m);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        let dot = 0;
        for (let b = 0; b < m; b++) dot += d[i * m + b] * d[j * m + b];
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    const out = new Float64Array(13);
    applyDctFloat64(dctOrthoMatrixFloat64(13, m), 13, m, new Float64Array(m).fill(2), out);
    expect(out[0]).toBeCloseTo(2 * Math.sqrt(m), 12);
    for (let k = 1; k < 13; k++) expect(Math.abs(out[k])).toBeLessThan(1e-12);
  });

  it('deltas of a linear ramp equal its slope away from the edges', () => {
    const frames = 20;
    const data = Float64Array.from({ length: frames }, (_, t) => 3 * t + 1);
    const d = deltasFloat64(data, frames, 1, 2);
    for (let t = 2; t < frames - 2; t++) expect(d[t]).toBeCloseTo(3, 12);
    expect(d[0]).toBeLessThan(3); // edge replication flattens the ends
  });

  it('frame energy of a sine of amplitude A is 20 log10(A / sqrt 2) dBFS; ZCR of a tone is 2 f / fs', () => {
    const x = toInt16(sine(1000, 0.5, 16000));
    expect(frameEnergyDbFloat64(x, 0, 400)).toBeCloseTo(20 * Math.log10(0.5 / Math.SQRT2), 2);
    const zcr = zeroCrossingRate(toInt16(sine(500, 0.5, 16000).map((v, i) => (i === 0 ? v : v))), 7, 3200);
    expect(zcr).toBeCloseTo((2 * 500) / 16000, 3);
    expect(zeroCrossingRate(new Int16Array(400), 0, 400)).toBe(0);
  });

  it('YIN finds the F0 of a harmonic tone and calls noise / silence unvoiced', () => {
    const fs = 16000;
    for (const f0 of [90, 150, 220, 330]) {
      const x = Float64Array.from({ length: 640 }, (_, n) => 0.3 * Math.sin((2 * Math.PI * f0 * n) / fs) + 0.15 * Math.sin((4 * Math.PI * f0 * n) / fs + 1));
      const r = yinF0Float64(x, fs);
      expect(r.voiced).toBe(true);
      expect(Math.abs(r.f0Hz - f0) / f0).toBeLessThan(0.01);
    }
    let s = 1;
    const noise = Float64Array.from({ length: 640 }, () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 0.5);
    expect(yinF0Float64(noise, fs).voiced).toBe(false);
    expect(yinF0Float64(new Float64Array(640), fs).voiced).toBe(false);
  });

  it('prosody per frame follows the feature frame layout', () => {
    const config = parseFrontendConfig({});
    const x = toInt16(sine(200, 0.3, 8000));
    const p = computeProsodyFloat64(x, config);
    expect(p.frames).toBe(1 + Math.floor((8000 - 400) / 160));
    const mid = Math.floor(p.frames / 2);
    expect(p.voiced[mid]).toBe(1);
    expect(p.f0Hz[mid]).toBeCloseTo(200, 0);
  });
});
