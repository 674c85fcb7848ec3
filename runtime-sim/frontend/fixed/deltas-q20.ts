/**
 * Regression deltas on Q20 features, integer-only: d = floor((2*num + den) / (2*den)), i.e.
 * round half up of num/den with num = sum n (c[t+n] - c[t-n]) and den = 2 sum n^2; edge frames
 * replicated (same definition as deltas-float64.ts). Batch only: a streaming device would need
 * `width` frames of look-ahead per order.
 */
export function deltasQ20(data: Int32Array, frames: number, dims: number, width: number): Int32Array {
  const out = new Int32Array(frames * dims);
  let den = 0;
  for (let n = 1; n <= width; n++) den += 2 * n * n;
  for (let t = 0; t < frames; t++) {
    for (let d = 0; d < dims; d++) {
      let num = 0;
      for (let n = 1; n <= width; n++) {
        const tp = Math.min(frames - 1, t + n);
        const tm = Math.max(0, t - n);
        num += n * (data[tp * dims + d] - data[tm * dims + d]);
      }
      out[t * dims + d] = Math.floor((2 * num + den) / (2 * den));
    }
  }
  return out;
}
