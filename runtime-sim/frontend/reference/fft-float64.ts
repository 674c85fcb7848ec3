/**
 * float64 FFT power spectrum: iterative radix-2 complex FFT (real input, imaginary part zero). Power is
 * |X[k]|^2 without normalization, k = 0..N/2.
 */
export interface FftFloat64 {
  readonly size: number;
  /** `frame` (length <= size) is zero padded; writes N/2+1 powers into `out`. */
  powerSpectrum(frame: Float64Array, out: Float64Array): void;
}

export function createFftFloat64(size: number): FftFloat64 {
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
    size,
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
