/**
 * Band-limited sample-rate conversion: a Kaiser-windowed sinc evaluated on an exact rational time grid
 * (polyphase). Deterministic (pure Float64 arithmetic, integer phase bookkeeping) and synchronous,
 * which is why it is used instead of libsamplerate's WASM build (async initialisation in Node).
 *
 * Filter: passband flat to 0.90 × the lower Nyquist frequency, stopband from exactly the lower Nyquist
 * frequency with >= 90 dB attenuation (Kaiser design), so nothing above the output Nyquist aliases
 * audibly into speech and 16 kHz output keeps 0..7.2 kHz untouched. The filter is zero-phase: output
 * sample k sits exactly at input time k × from / to, no delay to compensate.
 *
 * Phases: with to/from = L/M in lowest terms, output k needs phase (k·M mod L)/L. If L <= 1024 every
 * phase gets its own exact coefficient row (all common audio rates: 44.1k→16k is L=160). Otherwise
 * (odd rates like 22051 Hz) rows are built at 1024 evenly spaced phases and the needed row is
 * linearly interpolated between the two neighbours; the interpolation error is below -100 dB.
 * Every row is normalised to sum exactly 1, so DC passes with unit gain in every phase.
 *
 * Samples outside the input are taken as zero. Output length is ceil(n × to / from).
 * The result is not clipped: band-limiting a near-full-scale signal may overshoot [-1, 1] slightly.
 */
import { UsageError } from '../../common/errors.ts';
import { besselI0Float64, kaiserBetaFloat64, kaiserLengthFloat64, kaiserWindowFloat64 } from './kaiser-window.ts';

export const RESAMPLE_STOPBAND_DB = 90;
/** Passband edge and stopband edge as fractions of the lower Nyquist frequency. */
export const RESAMPLE_PASSBAND_FRACTION = 0.9;
export const RESAMPLE_STOPBAND_FRACTION = 1.0;
const MAX_EXACT_PHASES = 1024;
const INTERPOLATED_PHASES = 1024;
const BANK_CACHE_SIZE = 8;

interface FilterBank {
  /** Number of phase rows minus one when interpolating; number of rows when exact. */
  phases: number;
  interpolated: boolean;
  /** Taps per row (2K): input samples n0-K+1 .. n0+K contribute to an output at time n0 + phase. */
  taps: number;
  halfTaps: number;
  rows: Float64Array;
  up: number; // L
  down: number; // M
}

const bankCache = new Map<string, FilterBank>();

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function designBank(fromRate: number, toRate: number): FilterBank {
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  // Work in input-sample time. ratio < 1 when decimating: the filter must cut at the output's Nyquist.
  const ratio = Math.min(1, toRate / fromRate);
  const cutoffCycles = 0.5 * ratio * (RESAMPLE_PASSBAND_FRACTION + RESAMPLE_STOPBAND_FRACTION) / 2;
  const transitionCycles = 0.5 * ratio * (RESAMPLE_STOPBAND_FRACTION - RESAMPLE_PASSBAND_FRACTION);
  const halfWidth = kaiserLengthFloat64(RESAMPLE_STOPBAND_DB, transitionCycles) / 2;
  const halfTaps = Math.ceil(halfWidth);
  const taps = 2 * halfTaps;
  const beta = kaiserBetaFloat64(RESAMPLE_STOPBAND_DB);
  const invI0Beta = 1 / besselI0Float64(beta);

  const interpolated = up > MAX_EXACT_PHASES;
  const phases = interpolated ? INTERPOLATED_PHASES : up;
  const rowCount = interpolated ? phases + 1 : phases; // interpolation needs the phase-1.0 row too
  const rows = new Float64Array(rowCount * taps);
  for (let p = 0; p < rowCount; p++) {
    const phase = p / phases;
    const base = p * taps;
    let sum = 0;
    for (let j = 0; j < taps; j++) {
      const tau = phase + halfTaps - 1 - j;
      const x = 2 * cutoffCycles * tau;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const h = 2 * cutoffCycles * sinc * kaiserWindowFloat64(tau / halfWidth, beta, invI0Beta);
      rows[base + j] = h;
      sum += h;
    }
    for (let j = 0; j < taps; j++) rows[base + j] /= sum;
  }
  return { phases, interpolated, taps, halfTaps, rows, up, down };
}

function filterBank(fromRate: number, toRate: number): FilterBank {
  const key = `${fromRate}:${toRate}`;
  let bank = bankCache.get(key);
  if (bank === undefined) {
    bank = designBank(fromRate, toRate);
    if (bankCache.size >= BANK_CACHE_SIZE) {
      const oldest = bankCache.keys().next().value;
      if (oldest !== undefined) bankCache.delete(oldest);
    }
    bankCache.set(key, bank);
  }
  return bank;
}

function checkRate(rate: number, what: string): void {
  if (!Number.isInteger(rate) || rate <= 0 || rate > 10_000_000) {
    throw new UsageError(`resample: ${what} must be a positive integer number of Hz, got ${rate}`);
  }
}

/** Number of output samples `resample` produces for `inputLength` samples: ceil(n × to / from). */
export function resampledLength(inputLength: number, fromRate: number, toRate: number): number {
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  return Math.floor((inputLength * up + down - 1) / down);
}

/** Band-limited conversion of mono `samples` from `fromRate` to `toRate` Hz. Same rate returns an untouched copy. */
export function resample(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  checkRate(fromRate, 'fromRate');
  checkRate(toRate, 'toRate');
  if (fromRate === toRate) return samples.slice();
  const n = samples.length;
  const bank = filterBank(fromRate, toRate);
  const { up, down, taps, halfTaps, rows, phases, interpolated } = bank;
  const outLength = resampledLength(n, fromRate, toRate);
  const out = new Float32Array(outLength);
  const stepWhole = Math.floor(down / up);
  const stepRem = down % up;
  const mixed = interpolated ? new Float64Array(taps) : undefined;

  // Output k sits at input time n0 + rem/up, tracked with integers so no rounding drifts over long files.
  let n0 = 0;
  let rem = 0;
  for (let k = 0; k < outLength; k++) {
    let row: Float64Array;
    let rowBase: number;
    if (mixed === undefined) {
      row = rows;
      rowBase = rem * taps;
    } else {
      const pos = (rem * phases) / up;
      const p0 = Math.floor(pos);
      const a = pos - p0;
      const b0 = p0 * taps;
      const b1 = b0 + taps;
      for (let j = 0; j < taps; j++) mixed[j] = rows[b0 + j] + a * (rows[b1 + j] - rows[b0 + j]);
      row = mixed;
      rowBase = 0;
    }
    const start = n0 - halfTaps + 1;
    let acc = 0;
    if (start >= 0 && start + taps <= n) {
      for (let j = 0; j < taps; j++) acc += row[rowBase + j] * samples[start + j];
    } else {
      const jFirst = Math.max(0, -start);
      const jEnd = Math.min(taps, n - start);
      for (let j = jFirst; j < jEnd; j++) acc += row[rowBase + j] * samples[start + j];
    }
    out[k] = acc;
    n0 += stepWhole;
    rem += stepRem;
    if (rem >= up) {
      rem -= up;
      n0 += 1;
    }
  }
  return out;
}
