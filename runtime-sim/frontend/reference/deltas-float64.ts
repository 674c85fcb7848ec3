/**
 * Regression deltas (HTK): d_t = sum_{n=1..N} n (c_{t+n} - c_{t-n}) / (2 sum n^2), with frames beyond
 * the ends replicated from the first/last frame.
 */
export function deltasFloat64(data: Float64Array, frames: number, dims: number, width: number): Float64Array {
  const out = new Float64Array(frames * dims);
  let denom = 0;
  for (let n = 1; n <= width; n++) denom += 2 * n * n;
  for (let t = 0; t < frames; t++) {
    for (let d = 0; d < dims; d++) {
      let acc = 0;
      for (let n = 1; n <= width; n++) {
        const tp = Math.min(frames - 1, t + n);
        const tm = Math.max(0, t - n);
        acc += n * (data[tp * dims + d] - data[tm * dims + d]);
      }
      out[t * dims + d] = acc / denom;
    }
  }
  return out;
}
