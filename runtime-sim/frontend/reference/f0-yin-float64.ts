/**
 * F0 with a voiced/unvoiced decision, YIN (de Cheveigné & Kawahara 2002): squared-difference function,
 * cumulative-mean normalization, first dip below `threshold` (then its local minimum), parabolic
 * interpolation of the lag. A frame is voiced when that dip exists and the frame is not silent.
 */
export interface YinOptions {
  fminHz: number;
  fmaxHz: number;
  /** Absolute threshold on the normalized difference (0.1-0.2 typical). */
  threshold: number;
  /** Frames quieter than this (dBFS) are unvoiced whatever their periodicity. */
  silenceDb: number;
}

export const DEFAULT_YIN: YinOptions = { fminHz: 70, fmaxHz: 400, threshold: 0.15, silenceDb: -60 };

export interface F0Result {
  f0Hz: number;
  voiced: boolean;
  /** min of the normalized difference function: 0 = perfectly periodic. */
  aperiodicity: number;
}

/** Needs length >= 2 * sampleRate / fminHz for the integration window to hold two periods. */
export function yinF0Float64(x: Float64Array, sampleRate: number, opts: YinOptions = DEFAULT_YIN): F0Result {
  const tauMin = Math.max(2, Math.floor(sampleRate / opts.fmaxHz));
  const tauMax = Math.min(Math.floor(x.length / 2), Math.ceil(sampleRate / opts.fminHz));
  const w = x.length - tauMax;
  if (tauMax <= tauMin || w <= 0) return { f0Hz: 0, voiced: false, aperiodicity: 1 };
  let energy = 0;
  for (let i = 0; i < x.length; i++) energy += x[i] * x[i];
  const silent = 10 * Math.log10(energy / x.length + 1e-20) < opts.silenceDb;
  const d = new Float64Array(tauMax + 2);
  for (let tau = 1; tau <= tauMax + 1 && tau + w <= x.length; tau++) {
    let acc = 0;
    for (let i = 0; i < w; i++) {
      const v = x[i] - x[i + tau];
      acc += v * v;
    }
    d[tau] = acc;
  }
  const dn = new Float64Array(tauMax + 2);
  dn[0] = 1;
  let run = 0;
  for (let tau = 1; tau < dn.length; tau++) {
    run += d[tau];
    dn[tau] = run > 0 ? (d[tau] * tau) / run : 1;
  }
  let best = -1;
  for (let tau = tauMin; tau <= tauMax; tau++) {
    if (dn[tau] < opts.threshold) {
      while (tau + 1 <= tauMax && dn[tau + 1] < dn[tau]) tau++;
      best = tau;
      break;
    }
  }
  let aperiodicity = 1;
  if (best < 0) {
    for (let tau = tauMin; tau <= tauMax; tau++) aperiodicity = Math.min(aperiodicity, dn[tau]);
    return { f0Hz: 0, voiced: false, aperiodicity };
  }
  aperiodicity = dn[best];
  // Parabolic interpolation around the dip.
  const a = dn[best - 1];
  const b = dn[best];
  const c = dn[best + 1];
  const den = a - 2 * b + c;
  const shift = den > 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den)) : 0;
  return { f0Hz: sampleRate / (best + shift), voiced: !silent, aperiodicity };
}
