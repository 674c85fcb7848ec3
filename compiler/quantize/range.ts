/**
 * Activation range choice from calibration values. All ranges include 0 so that real zero (ReLU
 * floor, zero padding) is exactly representable, as the TFLite int8 spec requires.
 *  - minmax: observed extremes;
 *  - percentile: the p-th and (100-p)-th percentiles (clips rare outliers, p = 99.99 by default);
 *  - mse: the symmetric shrink of [min, max] (20 candidates, 0.3x..1x) minimising the mean squared
 *    quantise-dequantise error on the calibration values.
 */
export type RangeMethod = 'minmax' | 'percentile' | 'mse';

export interface FloatRange {
  min: number;
  max: number;
}

/** Collects calibration values of one tensor; keeps at most `cap` samples (deterministic stride). */
export class RangeObserver {
  min = Infinity;
  max = -Infinity;
  private samples: number[] = [];
  private seen = 0;

  constructor(private readonly cap = 200_000) {}

  observe(values: ArrayLike<number>): void {
    const stride = Math.max(1, Math.ceil(values.length / 4096));
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      // NaN must not slip through comparisons: poison the range so quantisation reports it
      if (v !== v) this.min = this.max = NaN;
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
    }
    for (let i = 0; i < values.length && this.samples.length < this.cap; i += stride) this.samples.push(values[i]);
    this.seen += values.length;
  }

  range(method: RangeMethod, percentile = 99.99): FloatRange {
    let lo = this.min;
    let hi = this.max;
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { min: 0, max: 0 };
    if (method === 'percentile' && this.samples.length > 0) {
      const s = Float64Array.from(this.samples).sort();
      const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.round((p / 100) * (s.length - 1))))];
      lo = q(100 - percentile);
      hi = q(percentile);
    } else if (method === 'mse' && this.samples.length > 0) {
      let best = Infinity;
      let bestRange: FloatRange = { min: lo, max: hi };
      for (let k = 0; k < 20; k++) {
        const f = 1 - (0.7 * k) / 19;
        const r = includeZero({ min: lo * f, max: hi * f });
        const scale = (r.max - r.min) / 255 || 1;
        const zp = Math.round(-128 - r.min / scale);
        let err = 0;
        for (const v of this.samples) {
          const q = Math.max(-128, Math.min(127, Math.round(v / scale) + zp));
          const d = (q - zp) * scale - v;
          err += d * d;
        }
        if (err < best) {
          best = err;
          bestRange = r;
        }
      }
      return bestRange;
    }
    return includeZero({ min: lo, max: hi });
  }
}

export function includeZero(r: FloatRange): FloatRange {
  return { min: Math.min(0, r.min), max: Math.max(0, r.max) };
}

/** Asymmetric int8 parameters for a float range (TFLite: q = round(x / scale) + zp in [-128, 127]). */
export function int8ParamsForRange(r: FloatRange): { scale: number; zeroPoint: number } {
  const { min, max } = includeZero(r);
  let scale = (max - min) / 255;
  // a constant-zero tensor still needs a positive scale
  if (!(scale > 0)) scale = 1e-6;
  const zeroPoint = Math.max(-128, Math.min(127, Math.round(-128 - min / scale)));
  // store the scale as float32, the precision the .tflite file keeps
  return { scale: Math.fround(scale), zeroPoint };
}
