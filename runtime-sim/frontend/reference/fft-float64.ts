/**
 * float64 FFT power spectrum: iterative radix-2 complex FFT (real input, imaginary part zero). Power is
 * |X[k]|^2 without normalization, k = 0..N/2.
 *
 * Every butterfly is X_a, X_b <- X_a + W X_b, X_a - W X_b with W = cos - i sin (cos/sin tables of the
 * size). Shortcuts that give the same power values bit for bit:
 *  - W = 1 (j = 0 in every stage; the table holds exactly 1 and -0): W X_b = X_b up to the sign of a
 *    zero, so the multiply is skipped. Signed zeros never change a non-zero sum or product magnitude,
 *    and the power re^2 + im^2 squares them away.
 *  - The input is real: the first stage (W = 1 only) leaves the imaginary parts 0, so it runs on the
 *    real parts alone; the second stage's W = -i-ish twiddle (cos(pi/2) = 6.1e-17, sin = 1 exactly)
 *    then only multiplies real parts: (x cos) + i (x * -1), and the zero imaginary inputs drop out
 *    (they only add signed zeros).
 *  - A class, not a closure, so one optimized copy serves every instance.
 */
export interface FftFloat64 {
  readonly size: number;
  /** `frame` (length <= size) is zero padded; writes N/2+1 powers into `out`. */
  powerSpectrum(frame: Float64Array, out: Float64Array): void;
  /** powerSpectrum of signal[start + i] * window[i] (i < window.length <= size), without building the frame. */
  powerSpectrumWindowed(signal: Float64Array, start: number, window: Float64Array, out: Float64Array): void;
}

export function createFftFloat64(size: number): FftFloat64 {
  if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size ${size} is not a power of two`);
  return new FftFloat64Radix2(size);
}

class FftFloat64Radix2 implements FftFloat64 {
  readonly size: number;
  private readonly rev: Uint32Array;
  private readonly cosT: Float64Array;
  private readonly sinT: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(size: number) {
    this.size = size;
    const bits = Math.log2(size);
    this.rev = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.cosT = new Float64Array(size / 2);
    this.sinT = new Float64Array(size / 2);
    for (let k = 0; k < size / 2; k++) {
      this.cosT[k] = Math.cos((2 * Math.PI * k) / size);
      this.sinT[k] = -Math.sin((2 * Math.PI * k) / size);
    }
    this.re = new Float64Array(size);
    this.im = new Float64Array(size);
  }

  powerSpectrum(frame: Float64Array, out: Float64Array): void {
    const size = this.size;
    const re = this.re;
    const rev = this.rev;
    const n = frame.length;
    for (let i = 0; i < size; i++) re[rev[i]] = i < n ? frame[i] : 0;
    this.transformRealLoaded(out);
  }

  /**
   * powerSpectrum of the frame signal[start + i] * window[i], i < window.length (the same products as
   * building that frame first), zero padded.
   */
  powerSpectrumWindowed(signal: Float64Array, start: number, window: Float64Array, out: Float64Array): void {
    const size = this.size;
    const re = this.re;
    const rev = this.rev;
    const n = window.length;
    for (let i = 0; i < n; i++) re[rev[i]] = signal[start + i] * window[i];
    for (let i = n; i < size; i++) re[rev[i]] = 0;
    this.transformRealLoaded(out);
  }

  /** FFT of the real input already in `re` (bit-reversed order); writes the power. */
  private transformRealLoaded(out: Float64Array): void {
    const size = this.size;
    const re = this.re;
    const im = this.im;
    const cosT = this.cosT;
    const sinT = this.sinT;
    // len = 2: W = 1, real input: the imaginary parts stay 0.
    for (let a = 0; a < size; a += 2) {
      const x = re[a];
      const y = re[a + 1];
      re[a] = x + y;
      re[a + 1] = x - y;
    }
    // len = 4, imaginary parts still 0: j = 0 (W = 1) adds and subtracts real parts; j = 1 has
    // W = cos - i sin with sin = 1 exactly, so W X_b = re_b cos - i re_b and its imaginary part is exact.
    const c1 = cosT[size / 4];
    const s1 = sinT[size / 4];
    for (let a = 0; a < size; a += 4) {
      const x0 = re[a];
      const x2 = re[a + 2];
      re[a] = x0 + x2;
      re[a + 2] = x0 - x2;
      im[a] = 0;
      im[a + 2] = 0;
      const x1 = re[a + 1];
      const x3 = re[a + 3];
      const tr = x3 * c1;
      const ti = x3 * s1;
      re[a + 3] = x1 - tr;
      im[a + 3] = -ti;
      re[a + 1] = x1 + tr;
      im[a + 1] = ti;
    }
    for (let len = 8; len <= size; len <<= 1) {
      const half = len >> 1;
      const step = size / len;
      // j = 0: W = 1
      for (let a = 0; a < size; a += len) {
        const b = a + half;
        const tr = re[b];
        const ti = im[b];
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
      for (let j = 1; j < half; j++) {
        const wr = cosT[j * step];
        const wi = sinT[j * step];
        for (let a = j; a < size; a += len) {
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
  }
}
