/**
 * Integer YIN F0 (the fixed twin of reference/f0-yin-float64.ts, same lag range, threshold and silence rule).
 *  - d(tau) = sum (x[i] - x[i+tau])^2 over int16: exact (< 2^41); then d' = round(d / 2^10) (< 2^31).
 *  - normalized difference in Q12: dn = floor(d' * tau * 2^12 / run'), run' = sum_{1..tau} d' (0 -> 4096).
 *    Products < 2^51 (JS exact, int64 in C); floor division (C: non-negative operands, plain '/').
 *  - first dip below threshold (Q12), then its local minimum; parabolic offset in Q12
 *    floor((a - c) * 2^11 / (a - 2b + c)) clamped to +-2048 (0 when a - 2b + c <= 0); lagQ12 = tau * 4096 + offset.
 *  - F0 in Q4 Hz: floor((fs * 2^17 + lagQ12) / (2 lagQ12)) (rounded half up).
 *  - silence: sum x^2 < floor(L * 2^30 * 10^(silenceDb/10)) -> unvoiced.
 */
import { DEFAULT_YIN, type YinOptions } from '../reference/f0-yin-float64.js';

export interface F0ResultQ {
  /** F0 in Q4 Hz (value / 16 = Hz); 0 when unvoiced. */
  f0Q4: number;
  voiced: boolean;
  /** Dip value, Q12 (4096 = aperiodic). */
  aperiodicityQ12: number;
}

export function yinF0Q(x: Int16Array, start: number, length: number, sampleRate: number, opts: YinOptions = DEFAULT_YIN): F0ResultQ {
  const tauMin = Math.max(2, Math.floor(sampleRate / opts.fmaxHz));
  const tauMax = Math.min(Math.floor(length / 2), Math.ceil(sampleRate / opts.fminHz));
  const w = length - tauMax;
  if (tauMax <= tauMin || w <= 0) return { f0Q4: 0, voiced: false, aperiodicityQ12: 4096 };
  const thrQ12 = Math.round(opts.threshold * 4096);
  let sumSq = 0;
  for (let i = 0; i < length; i++) sumSq += x[start + i] * x[start + i];
  const silent = sumSq < Math.floor(length * 2 ** 30 * 10 ** (opts.silenceDb / 10));
  const dn = new Float64Array(tauMax + 2);
  dn[0] = 4096;
  let run = 0;
  for (let tau = 1; tau <= tauMax + 1 && tau + w <= length; tau++) {
    let d = 0;
    for (let i = 0; i < w; i++) {
      const v = x[start + i] - x[start + i + tau];
      d += v * v;
    }
    const dq = Math.floor((d + 512) / 1024);
    run += dq;
    dn[tau] = run > 0 ? Math.floor((dq * tau * 4096) / run) : 4096;
  }
  let best = -1;
  for (let tau = tauMin; tau <= tauMax; tau++) {
    if (dn[tau] < thrQ12) {
      while (tau + 1 <= tauMax && dn[tau + 1] < dn[tau]) tau++;
      best = tau;
      break;
    }
  }
  if (best < 0) {
    let ap = 4096;
    for (let tau = tauMin; tau <= tauMax; tau++) ap = Math.min(ap, dn[tau]);
    return { f0Q4: 0, voiced: false, aperiodicityQ12: ap };
  }
  const a = dn[best - 1];
  const b = dn[best];
  const c = dn[best + 1];
  const den = a - 2 * b + c;
  // a - c may be negative: floor division (C needs an explicit floorDiv). A non-convex dip (den <= 0,
  // only possible at tauMax) gets no offset, as in the float reference.
  const off = den > 0 ? Math.max(-2048, Math.min(2048, Math.floor(((a - c) * 2048) / den))) : 0;
  const lagQ12 = best * 4096 + off;
  const f0Q4 = Math.floor((sampleRate * 131072 + lagQ12) / (2 * lagQ12));
  return { f0Q4: silent ? 0 : f0Q4, voiced: !silent, aperiodicityQ12: b };
}
