/**
 * SpecAugment time and frequency masks on a feature matrix (frames × dims, row-major, the layout
 * runtime-sim/frontend emits as FeatureMatrixFloat64). Masks are returned with the output so
 * callers and tests can see exactly which ranges were set; nothing outside them changes.
 */
import type { Prng } from './prng.js';

export interface FeatureMatrix<T extends Float32Array | Float64Array = Float32Array | Float64Array> {
  frames: number;
  dims: number;
  /** row-major: value of dim d in frame t is data[t * dims + d] */
  data: T;
}

/** Half-open range [start, start + width) along one axis. */
export interface MaskRange {
  axis: 'time' | 'freq';
  start: number;
  width: number;
}

export interface SpecAugmentOptions {
  timeMasks?: number;
  /** maximum width in frames (drawn uniformly in [0, max]) */
  maxTimeWidth?: number;
  freqMasks?: number;
  maxFreqWidth?: number;
  /** value written into masked cells; 0 by default (for normalised features 0 is the mean) */
  maskValue?: number;
}

export function applyMasks<T extends Float32Array | Float64Array>(m: FeatureMatrix<T>, masks: readonly MaskRange[], maskValue = 0): FeatureMatrix<T> {
  const data = m.data.slice() as T;
  for (const mask of masks) {
    const limit = mask.axis === 'time' ? m.frames : m.dims;
    if (mask.start < 0 || mask.width < 0 || mask.start + mask.width > limit) {
      throw new RangeError(`applyMasks: ${mask.axis} mask [${mask.start}, ${mask.start + mask.width}) outside 0..${limit}`);
    }
    if (mask.axis === 'time') {
      data.fill(maskValue, mask.start * m.dims, (mask.start + mask.width) * m.dims);
    } else {
      for (let t = 0; t < m.frames; t++) data.fill(maskValue, t * m.dims + mask.start, t * m.dims + mask.start + mask.width);
    }
  }
  return { data, frames: m.frames, dims: m.dims };
}

export function drawMasks(frames: number, dims: number, rng: Prng, opts: SpecAugmentOptions = {}): MaskRange[] {
  const masks: MaskRange[] = [];
  const draw = (axis: 'time' | 'freq', count: number, maxWidth: number, limit: number): void => {
    for (let i = 0; i < count; i++) {
      const width = Math.min(limit, rng.int(Math.max(0, maxWidth) + 1));
      const start = rng.int(limit - width + 1);
      masks.push({ axis, start, width });
    }
  };
  draw('time', opts.timeMasks ?? 2, opts.maxTimeWidth ?? Math.max(1, Math.floor(frames / 10)), frames);
  draw('freq', opts.freqMasks ?? 2, opts.maxFreqWidth ?? Math.max(1, Math.floor(dims / 8)), dims);
  return masks;
}

export function specAugment<T extends Float32Array | Float64Array>(
  m: FeatureMatrix<T>,
  rng: Prng,
  opts: SpecAugmentOptions = {},
): { matrix: FeatureMatrix<T>; masks: MaskRange[] } {
  const masks = drawMasks(m.frames, m.dims, rng, opts);
  return { matrix: applyMasks(m, masks, opts.maskValue ?? 0), masks };
}
