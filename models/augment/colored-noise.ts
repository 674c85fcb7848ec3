/**
 * White, pink and brown noise in float64, unit RMS. Pink and brown are shaped in the frequency
 * domain (power ∝ 1/f and 1/f², i.e. -3 and -6 dB per octave) rather than with IIR approximations,
 * so the slope is exact in expectation at every frequency, which is what the tests measure.
 */
import { fftFloat64, nextPowerOfTwo } from './fft-float64.js';
import type { Prng } from './prng.js';

export type NoiseColor = 'white' | 'pink' | 'brown';

/** Power-spectrum exponent: P(f) ∝ f^-exponent. */
const SPECTRAL_EXPONENT: Record<NoiseColor, number> = { white: 0, pink: 1, brown: 2 };

export function coloredNoiseFloat64(length: number, color: NoiseColor, rng: Prng): Float64Array {
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`coloredNoiseFloat64: bad length ${length}`);
  const out = new Float64Array(length);
  if (length === 0) return out;
  const exponent = SPECTRAL_EXPONENT[color];
  if (exponent === 0) {
    for (let i = 0; i < length; i++) out[i] = rng.normal();
    return normalizeRms(out);
  }
  const n = nextPowerOfTwo(Math.max(length, 2));
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  // Hermitian-symmetric spectrum of complex Gaussians scaled by f^(-exponent/2) in amplitude.
  // DC is zero: a 1/f spectrum has no finite DC value and an offset is not noise.
  for (let k = 1; k <= n / 2; k++) {
    const amp = Math.pow(k, -exponent / 2);
    const r = rng.normal() * amp;
    const i = k === n / 2 ? 0 : rng.normal() * amp;
    re[k] = r;
    im[k] = i;
    if (k !== n / 2) {
      re[n - k] = r;
      im[n - k] = -i;
    }
  }
  fftFloat64(re, im, true);
  for (let i = 0; i < length; i++) out[i] = re[i];
  return normalizeRms(out);
}

function normalizeRms(x: Float64Array): Float64Array {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i];
  mean /= x.length;
  let p = 0;
  for (let i = 0; i < x.length; i++) {
    x[i] -= mean;
    p += x[i] * x[i];
  }
  const rms = Math.sqrt(p / x.length);
  if (rms > 0) for (let i = 0; i < x.length; i++) x[i] /= rms;
  return x;
}
