/**
 * Block-floating-point real FFT (N points via an N/2-point complex radix-2 FFT plus the split step).
 *
 * Data are int32 (Int32Array here, int32_t in C). Before every stage, and before the split step, the
 * block is rescaled so that max |component| < 2^27 (rounding right shift by bitLength(max) - 27 when
 * needed); the shifts are summed into the block exponent. With Q23 twiddles every complex product
 * stays below 2^51.5, exact in a double and in int64. Butterfly products are rounded (half up), never
 * truncated: truncation biases every stage and was one of CMSIS-DSP's MFCC error sources.
 *
 * Output: Y[k] = 2 X[k] for k = 0..N/2 (the split step skips the halving to keep one more bit), in
 * units of the input times 2^-shifts: DFT(input)[k] = Y[k] * 2^(shifts - 1). |Y| components < 2^29.5.
 *
 * How it is computed (the same integers as the plain formulas, fewer operations in JS):
 *  - Rescaling the whole block by k before a stage == rounding-shifting each butterfly input by k as
 *    it is loaded (each value is loaded exactly once per stage). Stage values stay below 2^29.5 in
 *    magnitude, so (x + 2^(k-1)) >> k is the C rounding shift; k = 0 uses rnd = 0: (x + 0) >> 0 = x.
 *  - The ±1 twiddle (j = 0) is applied without a multiply: round((b * 2^23 + 2^22) / 2^23) = b exactly.
 *    In the len = 4 stage the other twiddle is -i (table entries cos = 0, sin = 2^23), also exact
 *    without a multiply: round(b_im) = b_im, round(-b_re) = -b_re. Later stages use the general product.
 *  - The block maximum only feeds bitLength(max |x|), which equals bitLength(OR of |x|): a branch-free
 *    integer OR instead of compares.
 *  - `| 0` on sums that provably fit int32 lets V8 drop its overflow checks.
 *  - runNormalized (the frame path) fuses the caller's block normalization, the even/odd packing, the
 *    bit-reversed load and the first two stages into one pass. A stage's shift depends on the whole
 *    previous stage's output, so the pass runs with guessed shifts and runs again when a guess was
 *    wrong (under 1 % of speech frames); the inputs are untouched, so the retry gives the same integers.
 *  - A class, not a closure: all instances share one optimized copy of each method (several configs in
 *    one process used to de-optimize each other's closures).
 *
 * test/frontend-speed/ checks all of this against the plain formulation, bit for bit.
 */
import type { FixedTables } from './tables.js';

export interface RealFftBfp {
  /** Output real / imaginary parts of Y = 2X, N/2+1 bins. */
  readonly yr: Int32Array;
  readonly yi: Int32Array;
  /** After a transform: OR of |yr[k]| and |yi[k]| over all bins (same bit length as their max). */
  readonly yMax: number;
  /**
   * Work buffers of the complex N/2-point FFT, in bit-reversed order: a caller that writes the packed
   * input (re = x[2m], im = x[2m+1]) to re[bitReverse[m]], im[bitReverse[m]] can call `transform`.
   */
  readonly re: Int32Array;
  readonly im: Int32Array;
  /**
   * `input` holds N/2 complex points packed as re = x[2m], im = x[2m+1] (|x| < 2^27 after the caller's
   * normalization), already in natural order. Returns the number of right shifts applied (>= 0): the
   * true Y = yr/yi * 2^shifts (relative to the input's units).
   */
  run(inRe: ArrayLike<number>, inIm: ArrayLike<number>): number;
  /**
   * The FFT on `re`/`im` already loaded in bit-reversed order; `inputMax` is any value with the same
   * bit length as max |input component| (the max itself, or the OR of the magnitudes). Returns shifts.
   */
  transform(inputMax: number): number;
  /**
   * The FFT of a real frame p (fftSize exact integers, zero padded) after the block normalization
   * q = roundShift(p, s0), s0 = bitLength(max |p|) - 27: equal to normalizing, packing re = q[2m],
   * im = q[2m+1] and calling `run`, fused into one pass. Returns shifts.
   */
  runNormalized(p: Float64Array, s0: number): number;
}

/** Right shift that brings a block whose max |component| is m (or has m's bit length) below 2^27. */
function blockShiftFromMax(m: number): number {
  const k = 5 - Math.clz32(m); // bitLength(m) - 27
  return k > 0 ? k : 0;
}

export function createRealFftBfp(t: FixedTables): RealFftBfp {
  return new RealFftBfpQ(t);
}

class RealFftBfpQ implements RealFftBfp {
  readonly yr: Int32Array;
  readonly yi: Int32Array;
  yMax = 0;
  readonly re: Int32Array;
  readonly im: Int32Array;
  private readonly half: number;
  private readonly rev: Int32Array;
  /** Per stage (len = 2, 4, ...), cos and sin of W_j = cos - i sin, j = 0..len/2-1, contiguous. */
  private readonly stageCos: Float64Array[];
  private readonly stageSin: Float64Array[];
  private readonly splitCos: Float64Array;
  private readonly splitSin: Float64Array;

  constructor(t: FixedTables) {
    const half = t.fftSize / 2;
    this.half = half;
    this.re = new Int32Array(half);
    this.im = new Int32Array(half);
    this.yr = new Int32Array(half + 1);
    this.yi = new Int32Array(half + 1);
    this.rev = t.bitReverse;
    // Twiddles held as Float64: the products are double multiplies (exact below 2^53) without an
    // int -> double conversion of the table entry in the inner loop.
    this.stageCos = [];
    this.stageSin = [];
    for (let len = 2; len <= half; len <<= 1) {
      const h = len >> 1;
      const step = half / len;
      this.stageCos.push(Float64Array.from({ length: h }, (_, j) => t.fftCosQ23[j * step]));
      this.stageSin.push(Float64Array.from({ length: h }, (_, j) => t.fftSinQ23[j * step]));
    }
    // Math.round makes the pi/2 entry exactly (0, 2^23) (cos(pi/2) * 2^23 ~ 5e-10); the len = 4 stage relies on it.
    if (half >= 4 && (t.fftCosQ23[half / 4] !== 0 || t.fftSinQ23[half / 4] !== 2 ** 23))
      throw new Error('internal: FFT twiddle at pi/2 is not (0, 2^23)');
    this.splitCos = Float64Array.from(t.splitCosQ23);
    this.splitSin = Float64Array.from(t.splitSinQ23);
  }

  run(inRe: ArrayLike<number>, inIm: ArrayLike<number>): number {
    const half = this.half;
    const rev = this.rev;
    const re = this.re;
    const im = this.im;
    let m = 0;
    for (let i = 0; i < half; i++) {
      const r = rev[i];
      const a = inRe[i];
      const b = inIm[i];
      re[r] = a;
      im[r] = b;
      m |= Math.abs(a) | Math.abs(b);
    }
    return this.transform(m);
  }

  transform(inputMax: number): number {
    const half = this.half;
    const re = this.re;
    const im = this.im;
    // len = 2: W = 1 only.
    const k = blockShiftFromMax(inputMax);
    const rnd = k > 0 ? 1 << (k - 1) : 0;
    let acc = 0;
    for (let a = 0; a < half; a += 2) {
      const ar = (re[a] + rnd) >> k;
      const ai = (im[a] + rnd) >> k;
      const tr = (re[a + 1] + rnd) >> k;
      const ti = (im[a + 1] + rnd) >> k;
      const r0 = (ar + tr) | 0;
      const i0 = (ai + ti) | 0;
      const r1 = (ar - tr) | 0;
      const i1 = (ai - ti) | 0;
      re[a] = r0;
      im[a] = i0;
      re[a + 1] = r1;
      im[a + 1] = i1;
      acc |= Math.abs(r0) | Math.abs(i0) | Math.abs(r1) | Math.abs(i1);
    }
    return this.fromSecondStage(acc, k);
  }

  /**
   * The whole FFT of a real frame given as exact integers in a Float64Array `p` (fftSize entries, zero
   * padded), fused with the caller's block normalization q = roundShift(p, s0) (s0 > 0: rounding right
   * shift; s0 <= 0: exact left shift) and the packing: the same integers as normalizing, calling `run`
   * with re = q[2m], im = q[2m+1], with the first two FFT stages in the same pass. Returns shifts.
   *
   * With s0 = bitLength(max |p|) - 27 every |q| <= 2^27, so the first stage's block shift is 1 if some
   * |q| is exactly 2^27 (a value rounded up to it) and 0 otherwise: the pass runs with shift 0 while
   * OR-ing |q|, and in that rare case runs again with shift 1 (p is unchanged).
   */
  runNormalized(p: Float64Array, s0: number): number {
    // The second stage's shift k2 depends on the first stage's output max, known only after the pass:
    // the pass runs with a guess (the previous frame's k2) and again when the guess was wrong. Likewise
    // the first stage's k1 is 1 only when some |q| is exactly 2^27 (see above).
    let k1 = 0;
    let k2 = this.k2Guess;
    let m = this.normalizeFirstTwoStages(p, s0, k1, k2);
    if (this.lastInputMax >= 134217728) {
      k1 = blockShiftFromMax(this.lastInputMax);
      m = this.normalizeFirstTwoStages(p, s0, k1, k2);
    }
    const k2Exact = blockShiftFromMax(this.lastStage1Max);
    if (k2Exact !== k2) {
      k2 = k2Exact;
      m = this.normalizeFirstTwoStages(p, s0, k1, k2);
    }
    this.k2Guess = k2;
    return this.fromThirdStage(m, k1 + k2);
  }

  /** OR of |q| over the last normalizeFirstTwoStages pass (before its shift). */
  private lastInputMax = 0;
  /** OR of |first-stage outputs| over the last pass (decides the second stage's shift). */
  private lastStage1Max = 0;
  private k2Guess = 1;

  /**
   * Normalization + packing + the first two stages (len 2: W = 1; len 4: W = 1 and -i) with block
   * shifts k1, k2; returns the OR of |second-stage outputs|. Positions g..g+3 (g = bitReverse[m],
   * m < N/8, a multiple of 4) hold the points m, m + N/4, m + N/8, m + 3N/8.
   */
  private normalizeFirstTwoStages(p: Float64Array, s0: number, k1: number, k2: number): number {
    const half = this.half;
    const eighth = half >> 2;
    const rev = this.rev;
    const re = this.re;
    const im = this.im;
    const rnd1 = k1 > 0 ? 1 << (k1 - 1) : 0;
    const rnd2 = k2 > 0 ? 1 << (k2 - 1) : 0;
    // q = roundShift(p, s0) as floor((p + r) * s) (s0 > 0), or p * s exactly (s0 <= 0, r = 0, floor a no-op)
    const r = s0 > 0 ? 2 ** (s0 - 1) : 0;
    const sc = 2 ** -s0;
    const o1 = 2 * (half >> 1); // p offset of point m + N/4
    const o2 = 2 * eighth; // point m + N/8
    const o3 = o1 + o2; // point m + 3N/8
    let qAcc = 0;
    let acc1 = 0;
    let acc2 = 0;
    for (let m = 0; m < eighth; m++) {
      const g = rev[m];
      const i0 = 2 * m;
      const q0r = Math.floor((p[i0] + r) * sc) | 0;
      const q0i = Math.floor((p[i0 + 1] + r) * sc) | 0;
      const q1r = Math.floor((p[i0 + o1] + r) * sc) | 0;
      const q1i = Math.floor((p[i0 + o1 + 1] + r) * sc) | 0;
      const q2r = Math.floor((p[i0 + o2] + r) * sc) | 0;
      const q2i = Math.floor((p[i0 + o2 + 1] + r) * sc) | 0;
      const q3r = Math.floor((p[i0 + o3] + r) * sc) | 0;
      const q3i = Math.floor((p[i0 + o3 + 1] + r) * sc) | 0;
      qAcc |= Math.abs(q0r) | Math.abs(q0i) | Math.abs(q1r) | Math.abs(q1i) | Math.abs(q2r) | Math.abs(q2i) | Math.abs(q3r) | Math.abs(q3i);
      // first stage: (m, m + N/4) -> positions g, g+1; (m + N/8, m + 3N/8) -> g+2, g+3
      const a0r = (q0r + rnd1) >> k1;
      const a0i = (q0i + rnd1) >> k1;
      const b0r = (q1r + rnd1) >> k1;
      const b0i = (q1i + rnd1) >> k1;
      const a1r = (q2r + rnd1) >> k1;
      const a1i = (q2i + rnd1) >> k1;
      const b1r = (q3r + rnd1) >> k1;
      const b1i = (q3i + rnd1) >> k1;
      const s0r = (a0r + b0r) | 0;
      const s0i = (a0i + b0i) | 0;
      const s1r = (a0r - b0r) | 0;
      const s1i = (a0i - b0i) | 0;
      const s2r = (a1r + b1r) | 0;
      const s2i = (a1i + b1i) | 0;
      const s3r = (a1r - b1r) | 0;
      const s3i = (a1i - b1i) | 0;
      acc1 |=
        Math.abs(s0r) | Math.abs(s0i) | Math.abs(s1r) | Math.abs(s1i) | Math.abs(s2r) | Math.abs(s2i) | Math.abs(s3r) | Math.abs(s3i);
      // second stage: (g, g+2) with W = 1; (g+1, g+3) with W = -i: (br + i bi)(-i) = bi - i br
      const c0r = (s0r + rnd2) >> k2;
      const c0i = (s0i + rnd2) >> k2;
      const c2r = (s2r + rnd2) >> k2;
      const c2i = (s2i + rnd2) >> k2;
      const c1r = (s1r + rnd2) >> k2;
      const c1i = (s1i + rnd2) >> k2;
      const tr = (s3i + rnd2) >> k2;
      const ti = -((s3r + rnd2) >> k2) | 0;
      const t0r = (c0r + c2r) | 0;
      const t0i = (c0i + c2i) | 0;
      const t2r = (c0r - c2r) | 0;
      const t2i = (c0i - c2i) | 0;
      const t1r = (c1r + tr) | 0;
      const t1i = (c1i + ti) | 0;
      const t3r = (c1r - tr) | 0;
      const t3i = (c1i - ti) | 0;
      re[g] = t0r;
      im[g] = t0i;
      re[g + 1] = t1r;
      im[g + 1] = t1i;
      re[g + 2] = t2r;
      im[g + 2] = t2i;
      re[g + 3] = t3r;
      im[g + 3] = t3i;
      acc2 |=
        Math.abs(t0r) | Math.abs(t0i) | Math.abs(t1r) | Math.abs(t1i) | Math.abs(t2r) | Math.abs(t2i) | Math.abs(t3r) | Math.abs(t3i);
    }
    this.lastInputMax = qAcc;
    this.lastStage1Max = acc1;
    return acc2;
  }

  /** Stages len >= 4 and the split; `m` is the first stage's output max (OR), `shifts` its shift. */
  private fromSecondStage(firstStageMax: number, firstShift: number): number {
    const half = this.half;
    const re = this.re;
    const im = this.im;
    let m = firstStageMax;
    let shifts = firstShift;
    // len = 4: W = 1 (j = 0) and W = -i (j = 1).
    if (half >= 4) {
      const k = blockShiftFromMax(m);
      shifts += k;
      const rnd = k > 0 ? 1 << (k - 1) : 0;
      let acc = 0;
      for (let a = 0; a < half; a += 4) {
        let ar = (re[a] + rnd) >> k;
        let ai = (im[a] + rnd) >> k;
        let tr = (re[a + 2] + rnd) >> k;
        let ti = (im[a + 2] + rnd) >> k;
        let r0 = (ar + tr) | 0;
        let i0 = (ai + ti) | 0;
        let r1 = (ar - tr) | 0;
        let i1 = (ai - ti) | 0;
        re[a] = r0;
        im[a] = i0;
        re[a + 2] = r1;
        im[a + 2] = i1;
        acc |= Math.abs(r0) | Math.abs(i0) | Math.abs(r1) | Math.abs(i1);
        // (br + i bi)(-i) = bi - i br
        ar = (re[a + 1] + rnd) >> k;
        ai = (im[a + 1] + rnd) >> k;
        tr = (im[a + 3] + rnd) >> k;
        ti = -((re[a + 3] + rnd) >> k) | 0;
        r0 = (ar + tr) | 0;
        i0 = (ai + ti) | 0;
        r1 = (ar - tr) | 0;
        i1 = (ai - ti) | 0;
        re[a + 1] = r0;
        im[a + 1] = i0;
        re[a + 3] = r1;
        im[a + 3] = i1;
        acc |= Math.abs(r0) | Math.abs(i0) | Math.abs(r1) | Math.abs(i1);
      }
      m = acc;
    }
    return this.fromThirdStage(m, shifts);
  }

  /** Stages len >= 8 and the split; `firstStagesMax` is the len-4 stage's output max (OR). */
  private fromThirdStage(firstStagesMax: number, shiftsSoFar: number): number {
    const half = this.half;
    const re = this.re;
    const im = this.im;
    let m = firstStagesMax;
    let shifts = shiftsSoFar;
    // len >= 8: groups of len, butterflies (g + j, g + j + h); j = 0 skips the multiply.
    for (let len = 8, stage = 2; len <= half; len <<= 1, stage++) {
      const k = blockShiftFromMax(m);
      shifts += k;
      const rnd = k > 0 ? 1 << (k - 1) : 0;
      let acc = 0;
      const h = len >> 1;
      const cw = this.stageCos[stage];
      const sw = this.stageSin[stage];
      // j = 0 (W = 1) in every group, then each other twiddle across all groups (one twiddle load per j).
      for (let g = 0; g < half; g += len) {
        const b0 = g + h;
        const ar0 = (re[g] + rnd) >> k;
        const ai0 = (im[g] + rnd) >> k;
        const tr0 = (re[b0] + rnd) >> k;
        const ti0 = (im[b0] + rnd) >> k;
        const r00 = (ar0 + tr0) | 0;
        const i00 = (ai0 + ti0) | 0;
        const r10 = (ar0 - tr0) | 0;
        const i10 = (ai0 - ti0) | 0;
        re[g] = r00;
        im[g] = i00;
        re[b0] = r10;
        im[b0] = i10;
        acc |= Math.abs(r00) | Math.abs(i00) | Math.abs(r10) | Math.abs(i10);
      }
      for (let j = 1; j < h; j++) {
        const wr = cw[j];
        const wi = -sw[j];
        for (let a = j; a < half; a += len) {
          const b = a + h;
          const br = (re[b] + rnd) >> k;
          const bi = (im[b] + rnd) >> k;
          const ar = (re[a] + rnd) >> k;
          const ai = (im[a] + rnd) >> k;
          // round half up of (b * W) / 2^23; the double sum is exact (< 2^52)
          const tr = Math.floor((br * wr - bi * wi + 4194304) * 1.1920928955078125e-7) | 0;
          const ti = Math.floor((br * wi + bi * wr + 4194304) * 1.1920928955078125e-7) | 0;
          const r0 = (ar + tr) | 0;
          const i0 = (ai + ti) | 0;
          const r1 = (ar - tr) | 0;
          const i1 = (ai - ti) | 0;
          re[a] = r0;
          im[a] = i0;
          re[b] = r1;
          im[b] = i1;
          acc |= Math.abs(r0) | Math.abs(i0) | Math.abs(r1) | Math.abs(i1);
        }
      }
      m = acc;
    }
    const k = blockShiftFromMax(m);
    shifts += k;
    const rnd = k > 0 ? 1 << (k - 1) : 0;
    const yr = this.yr;
    const yi = this.yi;
    const sc = this.splitCos;
    const ss = this.splitSin;
    // Split: 2X[k] = E - i W_N^k D, E = Z[k] + conj(Z[M-k]), D = Z[k] - conj(Z[M-k]), M = N/2.
    // The final block shift is applied as each Z is loaded (every load sees the same shifted value).
    let yAcc = 0;
    for (let kk = 0; kk <= half; kk++) {
      const k1 = kk === half ? 0 : kk;
      const k2 = kk === 0 ? 0 : half - kk;
      const ar = (re[k1] + rnd) >> k;
      const ai = (im[k1] + rnd) >> k;
      const br = (re[k2] + rnd) >> k;
      const bi = -((im[k2] + rnd) >> k) | 0;
      const er = (ar + br) | 0;
      const ei = (ai + bi) | 0;
      const dr = (ar - br) | 0;
      const di = (ai - bi) | 0;
      const wr = sc[kk];
      const wi = -ss[kk];
      const tr = Math.floor((dr * wr - di * wi + 4194304) * 1.1920928955078125e-7) | 0;
      const ti = Math.floor((dr * wi + di * wr + 4194304) * 1.1920928955078125e-7) | 0;
      const y0 = (er + ti) | 0;
      const y1 = (ei - tr) | 0;
      yr[kk] = y0;
      yi[kk] = y1;
      yAcc |= Math.abs(y0) | Math.abs(y1);
    }
    this.yMax = yAcc;
    return shifts;
  }
}
