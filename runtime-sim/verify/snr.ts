/**
 * SNR definitions used for every frontend fidelity figure:
 *   SNR = 10 log10( sum ref^2 / sum (test - ref)^2 )
 * over a feature matrix (frames x dims) or one column of it, optionally over a subset of frames
 * ("active frames") and optionally after subtracting the reference's column means (the honest figure
 * for log values, whose large mean offset otherwise inflates the SNR). An exact match gives +Infinity
 * (serialized as null in JSON reports).
 */
export interface SnrOptions {
  /** Frame mask (1 = included); all frames when absent. */
  frames?: Uint8Array;
  /** Subtract each column's reference mean (over the included frames) before summing. */
  removeMean?: boolean;
}

function columnMeans(ref: ArrayLike<number>, frames: number, dims: number, mask?: Uint8Array): Float64Array {
  const mean = new Float64Array(dims);
  let n = 0;
  for (let t = 0; t < frames; t++) {
    if (mask && !mask[t]) continue;
    n++;
    for (let d = 0; d < dims; d++) mean[d] += ref[t * dims + d];
  }
  if (n > 0) for (let d = 0; d < dims; d++) mean[d] /= n;
  return mean;
}

export interface SnrSums {
  signal: number;
  error: number;
}

/** Signal and error energies per column (so callers can pool them across files). */
export function snrSumsPerColumn(
  ref: ArrayLike<number>,
  test: ArrayLike<number>,
  frames: number,
  dims: number,
  opts: SnrOptions = {},
): SnrSums[] {
  const mean = opts.removeMean ? columnMeans(ref, frames, dims, opts.frames) : new Float64Array(dims);
  const out: SnrSums[] = Array.from({ length: dims }, () => ({ signal: 0, error: 0 }));
  for (let t = 0; t < frames; t++) {
    if (opts.frames && !opts.frames[t]) continue;
    for (let d = 0; d < dims; d++) {
      const r = ref[t * dims + d];
      const e = test[t * dims + d] - r;
      out[d].signal += (r - mean[d]) ** 2;
      out[d].error += e * e;
    }
  }
  return out;
}

export function snrFromSums(s: SnrSums): number {
  if (s.error === 0) return s.signal === 0 ? 0 : Infinity;
  return 10 * Math.log10(s.signal / s.error);
}

export function totalSums(cols: SnrSums[]): SnrSums {
  return cols.reduce((a, c) => ({ signal: a.signal + c.signal, error: a.error + c.error }), { signal: 0, error: 0 });
}

/** SNR over the whole matrix (or the masked frames). */
export function snrDb(ref: ArrayLike<number>, test: ArrayLike<number>, frames: number, dims: number, opts: SnrOptions = {}): number {
  return snrFromSums(totalSums(snrSumsPerColumn(ref, test, frames, dims, opts)));
}

/** Active frames: float frame energy within `rangeDb` (default 40 dB) of the file's loudest frame. */
export function activeFrameMask(energyDb: Float64Array, rangeDb = 40): Uint8Array {
  let max = -Infinity;
  for (const e of energyDb) if (e > max) max = e;
  return Uint8Array.from(energyDb, (e) => (e >= max - rangeDb ? 1 : 0));
}

/** Nearest-rank percentile (p in [0, 100]) of finite values. */
export function percentile(values: number[], p: number): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const idx = Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1));
  return v[idx];
}
