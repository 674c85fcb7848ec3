/**
 * Block-floating-point real FFT (N points via an N/2-point complex radix-2 FFT plus the split step).
 *
 * Data are integers in Float64Array (int32 in C). Before every stage, and before the split step, the
 * block is rescaled so that max |component| < 2^27 (rounding right shift by bitLength(max) - 27 when
 * needed); the shifts are summed into the block exponent. With Q23 twiddles every complex product
 * stays below 2^51.5, exact in a double and in int64. Butterfly products are rounded (half up), never
 * truncated: truncation biases every stage and was one of CMSIS-DSP's MFCC error sources.
 *
 * Output: Y[k] = 2 X[k] for k = 0..N/2 (the split step skips the halving to keep one more bit), in
 * units of the input times 2^-shifts: DFT(input)[k] = Y[k] * 2^(shifts - 1). |Y| components < 2^29.5.
 * The ±1 twiddle (j = 0) is applied without a multiply: round((b * 2^23 + 2^22) / 2^23) = b exactly.
 */
import type { FixedTables } from './tables.js';
import { bitLength, pow2, pow2Neg } from './int-math.js';

const BLOCK_BITS = 27;
const TW_SCALE = 2 ** -23;
const TW_ROUND = 2 ** 22;

export interface RealFftBfp {
  /** Output real / imaginary parts of Y = 2X, N/2+1 bins. */
  readonly yr: Float64Array;
  readonly yi: Float64Array;
  /**
   * `input` holds N/2 complex points packed as re = x[2m], im = x[2m+1] (|x| < 2^27 after the caller's
   * normalization), already in natural order. Returns the number of right shifts applied (>= 0): the
   * true Y = yr/yi * 2^shifts (relative to the input's units).
   */
  run(inRe: Float64Array, inIm: Float64Array): number;
}

/** Right shift that brings a block whose max |component| is `m` below 2^27 (0 if already below). */
function blockShift(m: number): number {
  const k = bitLength(m) - BLOCK_BITS;
  return k > 0 ? k : 0;
}

export function createRealFftBfp(t: FixedTables): RealFftBfp {
  const half = t.fftSize / 2;
  const re = new Float64Array(half);
  const im = new Float64Array(half);
  const yr = new Float64Array(half + 1);
  const yi = new Float64Array(half + 1);
  const rev = t.bitReverse;
  const cosT = t.fftCosQ23;
  const sinT = t.fftSinQ23;
  const sc = t.splitCosQ23;
  const ss = t.splitSinQ23;
  return {
    yr,
    yi,
    run(inRe, inIm) {
      let m = 0;
      for (let i = 0; i < half; i++) {
        const r = rev[i];
        const a = inRe[i];
        const b = inIm[i];
        re[r] = a;
        im[r] = b;
        m = Math.max(m, Math.abs(a), Math.abs(b));
      }
      let shifts = 0;
      for (let len = 2; len <= half; len <<= 1) {
        // Rescaling the whole block by k before the stage == rounding-shifting each butterfly input
        // by k as it is loaded (what we do, to avoid an extra pass). The stage's output max decides
        // the next shift.
        const k = blockShift(m);
        shifts += k;
        const rnd = k > 0 ? pow2(k - 1) : 0;
        const sc2 = pow2Neg(k);
        m = 0;
        const h = len >> 1;
        const step = half / len;
        for (let j = 0; j < h; j++) {
          // W = cos(2 pi j step / half) - i sin(...)
          const wr = cosT[j * step];
          const wi = -sinT[j * step];
          for (let a = j; a < half; a += len) {
            const b = a + h;
            let br = re[b];
            let bi = im[b];
            let ar = re[a];
            let ai = im[a];
            if (k > 0) {
              br = Math.floor((br + rnd) * sc2);
              bi = Math.floor((bi + rnd) * sc2);
              ar = Math.floor((ar + rnd) * sc2);
              ai = Math.floor((ai + rnd) * sc2);
            }
            let tr: number;
            let ti: number;
            if (j === 0) {
              tr = br; // W = 1 exactly (cos table entry 0 is 2^23): the rounded product equals b
              ti = bi;
            } else {
              tr = Math.floor((br * wr - bi * wi + TW_ROUND) * TW_SCALE);
              ti = Math.floor((br * wi + bi * wr + TW_ROUND) * TW_SCALE);
            }
            const r0 = ar + tr;
            const i0 = ai + ti;
            const r1 = ar - tr;
            const i1 = ai - ti;
            re[a] = r0;
            im[a] = i0;
            re[b] = r1;
            im[b] = i1;
            // Math.abs/Math.max compile to branch-free instructions; sign tests here mispredict half the time.
            m = Math.max(m, Math.abs(r0), Math.abs(i0), Math.abs(r1), Math.abs(i1));
          }
        }
      }
      const k = blockShift(m);
      shifts += k;
      if (k > 0) {
        const rnd = pow2(k - 1);
        const sc2 = pow2Neg(k);
        for (let i = 0; i < half; i++) {
          re[i] = Math.floor((re[i] + rnd) * sc2);
          im[i] = Math.floor((im[i] + rnd) * sc2);
        }
      }
      // Split: 2X[k] = E - i W_N^k D, E = Z[k] + conj(Z[M-k]), D = Z[k] - conj(Z[M-k]), M = N/2.
      for (let k = 0; k <= half; k++) {
        const k1 = k === half ? 0 : k;
        const k2 = k === 0 ? 0 : half - k;
        const ar = re[k1];
        const ai = im[k1];
        const br = re[k2];
        const bi = -im[k2];
        const er = ar + br;
        const ei = ai + bi;
        const dr = ar - br;
        const di = ai - bi;
        const wr = sc[k];
        const wi = -ss[k];
        const tr = Math.floor((dr * wr - di * wi + TW_ROUND) * TW_SCALE);
        const ti = Math.floor((dr * wi + di * wr + TW_ROUND) * TW_SCALE);
        yr[k] = er + ti;
        yi[k] = ei - tr;
      }
      return shifts;
    },
  };
}
