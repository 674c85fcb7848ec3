/**
 * The float64 reference frame chain as it was written before the speed work (session 3): complex FFT
 * of the zero-padded frame with every butterfly multiplied, filterbank and DCT from their unchanged
 * stage functions. Kept in the test folder only, as the oracle the optimized reference must equal bit
 * for bit. Do not optimize this file.
 */
import type { FrontendConfig } from '../../runtime-sim/frontend/config.js';
import { frameCount, preEmphasisQ15 } from '../../runtime-sim/frontend/framing.js';
import { applyDctFloat64, dctOrthoMatrixFloat64 } from '../../runtime-sim/frontend/reference/dct-float64.js';
import { frameEnergyDbFloat64 } from '../../runtime-sim/frontend/reference/frame-energy-float64.js';
import { applyMelFloat64, melFilterbankFloat64 } from '../../runtime-sim/frontend/reference/mel-filterbank-float64.js';
import { preEmphasisFloat64 } from '../../runtime-sim/frontend/reference/pre-emphasis-float64.js';
import { hannPeriodicFloat64 } from '../../runtime-sim/frontend/reference/window-float64.js';

export function plainReferenceFloat64(samples: Int16Array, config: FrontendConfig): { logMel: Float64Array; mfcc: Float64Array; energyDb: Float64Array } {
  const { windowSamples: win, hopSamples: hop, fftSize } = config;
  const bands = config.mel.bands;
  const nm = config.mfcc.count;
  const frames = frameCount(samples.length, win, hop);
  const x = new Float64Array(samples.length);
  for (let i = 0; i < samples.length; i++) x[i] = samples[i] / 32768;
  const y = preEmphasisFloat64(x, preEmphasisQ15(config.preEmphasis) / 32768);
  const hann = hannPeriodicFloat64(win);
  const fft = createPlainFftFloat64(fftSize);
  const fb = melFilterbankFloat64(config);
  const dct = dctOrthoMatrixFloat64(nm, bands);
  const lnFloor = Math.log(config.log.floor);
  const frame = new Float64Array(win);
  const power = new Float64Array(fftSize / 2 + 1);
  const mel = new Float64Array(bands);
  const logMel = new Float64Array(frames * bands);
  const mfcc = new Float64Array(frames * nm);
  const energyDb = new Float64Array(frames);
  const mfccRow = new Float64Array(nm);
  for (let t = 0; t < frames; t++) {
    const s0 = t * hop;
    for (let i = 0; i < win; i++) frame[i] = y[s0 + i] * hann[i];
    fft.powerSpectrum(frame, power);
    applyMelFloat64(fb, power, mel);
    const row = logMel.subarray(t * bands, (t + 1) * bands);
    for (let b = 0; b < bands; b++) row[b] = mel[b] > 0 ? Math.max(Math.log(mel[b]), lnFloor) : lnFloor;
    applyDctFloat64(dct, nm, bands, row, mfccRow);
    mfcc.set(mfccRow, t * nm);
    energyDb[t] = frameEnergyDbFloat64(samples, s0, win);
  }
  return { logMel, mfcc, energyDb };
}

function createPlainFftFloat64(size: number): { powerSpectrum(frame: Float64Array, out: Float64Array): void } {
  if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size ${size} is not a power of two`);
  const bits = Math.log2(size);
  const rev = new Uint32Array(size);
  for (let i = 0; i < size; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  const cosT = new Float64Array(size / 2);
  const sinT = new Float64Array(size / 2);
  for (let k = 0; k < size / 2; k++) {
    cosT[k] = Math.cos((2 * Math.PI * k) / size);
    sinT[k] = -Math.sin((2 * Math.PI * k) / size);
  }
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  return {
    powerSpectrum(frame, out) {
      re.fill(0);
      im.fill(0);
      for (let i = 0; i < frame.length; i++) re[rev[i]] = frame[i];
      for (let len = 2; len <= size; len <<= 1) {
        const half = len >> 1;
        const step = size / len;
        for (let start = 0; start < size; start += len) {
          for (let j = 0; j < half; j++) {
            const wr = cosT[j * step];
            const wi = sinT[j * step];
            const a = start + j;
            const b = a + half;
            const tr = re[b] * wr - im[b] * wi;
            const ti = re[b] * wi + im[b] * wr;
            re[b] = re[a] - tr;
            im[b] = im[a] - ti;
            re[a] += tr;
            im[a] += ti;
          }
        }
      }
      for (let k = 0; k <= size / 2; k++) out[k] = re[k] * re[k] + im[k] * im[k];
    },
  };
}
