/**
 * kissfft 1.3.0 compiled with FIXED_POINT=16 (the copy TFLM's microfrontend uses through
 * kiss_fft_int16.cc): a complex FFT of fftSize / 2 points on the real input viewed as (even, odd)
 * pairs, followed by kiss_fftr's split into fftSize / 2 + 1 real-FFT bins.
 *
 * Integer semantics reproduced on purpose:
 * - every stored value is int16 (kiss_fft_scalar), so sums and products wrap to 16 bits;
 * - S_MUL / C_MUL round with `(a*b + (1 << 14)) >> 15` on int32 (no overflow: twiddles are at most
 *   32767 in magnitude, so a sum of two products plus the rounding term stays below 2^31);
 * - C_FIXDIV(c, k) multiplies by `32767 / k` (8191 for radix 4, 16383 for radix 2) with the same
 *   rounding: it is not an exact division, which is why the outputs differ from a float FFT / N;
 * - HALF_OF(x) in kiss_fftr is an arithmetic `>> 1` of the int sum.
 * The recursion of kf_work is flattened into a leaf permutation and a post-order list of
 * butterflies; blocks are disjoint, so running them in that order gives the same bits.
 */
import { TinyserError } from '../../../common/errors.ts';

interface Butterfly {
  base: number;
  radix: number;
  m: number;
  fstride: number;
}

/** Wraps an int32 to int16 like a store into kiss_fft_scalar. */
function toInt16(x: number): number {
  return (x << 16) >> 16;
}

export interface KissFftrInt16 {
  /** fftSize real points in, fftSize / 2 + 1 complex bins out, interleaved [re, im]. */
  readonly fftSize: number;
  /** `out` must hold 2 * (fftSize / 2 + 1) values. */
  forward(timeData: Int16Array, out: Int16Array): void;
}

/** Precomputed state of one FFT size. Kernels are module-level so V8 optimizes them once for all instances. */
interface KissPlanInt16 {
  nfft: number;
  perm: Int32Array;
  butterflies: Butterfly[];
  twr: Int32Array;
  twi: Int32Array;
  stwr: Int32Array;
  stwi: Int32Array;
  fr: Int16Array;
  fi: Int16Array;
}

function bfly2(fr: Int16Array, fi: Int16Array, twr: Int32Array, twi: Int32Array, base: number, fstride: number, m: number): void {
  for (let k = 0; k < m; ++k) {
    const i0 = base + k;
    const i1 = i0 + m;
    // C_FIXDIV(x, 2): x * 16383 rounded, not an exact halving.
    const a0r = (fr[i0] * 16383 + 16384) >> 15;
    const a0i = (fi[i0] * 16383 + 16384) >> 15;
    const a1r = (fr[i1] * 16383 + 16384) >> 15;
    const a1i = (fi[i1] * 16383 + 16384) >> 15;
    const w = k * fstride;
    const tr = toInt16((a1r * twr[w] - a1i * twi[w] + 16384) >> 15);
    const ti = toInt16((a1r * twi[w] + a1i * twr[w] + 16384) >> 15);
    fr[i1] = a0r - tr;
    fi[i1] = a0i - ti;
    fr[i0] = a0r + tr;
    fi[i0] = a0i + ti;
  }
}

function bfly4(fr: Int16Array, fi: Int16Array, twr: Int32Array, twi: Int32Array, base: number, fstride: number, m: number): void {
  for (let k = 0; k < m; ++k) {
    const i0 = base + k;
    const i1 = i0 + m;
    const i2 = i1 + m;
    const i3 = i2 + m;
    // C_FIXDIV(x, 4): x * 8191 rounded.
    let a0r = (fr[i0] * 8191 + 16384) >> 15;
    let a0i = (fi[i0] * 8191 + 16384) >> 15;
    const a1r = (fr[i1] * 8191 + 16384) >> 15;
    const a1i = (fi[i1] * 8191 + 16384) >> 15;
    const a2r = (fr[i2] * 8191 + 16384) >> 15;
    const a2i = (fi[i2] * 8191 + 16384) >> 15;
    const a3r = (fr[i3] * 8191 + 16384) >> 15;
    const a3i = (fi[i3] * 8191 + 16384) >> 15;
    const w1 = k * fstride;
    const w2 = 2 * w1;
    const w3 = 3 * w1;
    const s0r = toInt16((a1r * twr[w1] - a1i * twi[w1] + 16384) >> 15);
    const s0i = toInt16((a1r * twi[w1] + a1i * twr[w1] + 16384) >> 15);
    const s1r = toInt16((a2r * twr[w2] - a2i * twi[w2] + 16384) >> 15);
    const s1i = toInt16((a2r * twi[w2] + a2i * twr[w2] + 16384) >> 15);
    const s2r = toInt16((a3r * twr[w3] - a3i * twi[w3] + 16384) >> 15);
    const s2i = toInt16((a3r * twi[w3] + a3i * twr[w3] + 16384) >> 15);
    const s5r = toInt16(a0r - s1r);
    const s5i = toInt16(a0i - s1i);
    a0r = toInt16(a0r + s1r);
    a0i = toInt16(a0i + s1i);
    const s3r = toInt16(s0r + s2r);
    const s3i = toInt16(s0i + s2i);
    const s4r = toInt16(s0r - s2r);
    const s4i = toInt16(s0i - s2i);
    fr[i2] = a0r - s3r;
    fi[i2] = a0i - s3i;
    fr[i0] = a0r + s3r;
    fi[i0] = a0i + s3i;
    // Forward transform (st->inverse == 0).
    fr[i1] = s5r + s4i;
    fi[i1] = s5i - s4r;
    fr[i3] = s5r - s4i;
    fi[i3] = s5i + s4r;
  }
}

function forwardInt16(plan: KissPlanInt16, timeData: Int16Array, out: Int16Array): void {
  const { nfft, perm, fr, fi, twr, twi, stwr, stwi } = plan;
  for (let j = 0; j < nfft; ++j) {
    const n = perm[j];
    fr[j] = timeData[2 * n];
    fi[j] = timeData[2 * n + 1];
  }
  const bs = plan.butterflies;
  for (let b = 0; b < bs.length; ++b) {
    const bf = bs[b];
    if (bf.radix === 4) bfly4(fr, fi, twr, twi, bf.base, bf.fstride, bf.m);
    else bfly2(fr, fi, twr, twi, bf.base, bf.fstride, bf.m);
  }
  // kiss_fftr: DC and Nyquist from the packed bin 0.
  const tdcr = (fr[0] * 16383 + 16384) >> 15;
  const tdci = (fi[0] * 16383 + 16384) >> 15;
  out[0] = tdcr + tdci;
  out[1] = 0;
  out[2 * nfft] = tdcr - tdci;
  out[2 * nfft + 1] = 0;
  const half = nfft >> 1;
  for (let k = 1; k <= half; ++k) {
    const kn = nfft - k;
    const fpkr = (fr[k] * 16383 + 16384) >> 15;
    const fpki = (fi[k] * 16383 + 16384) >> 15;
    // fpnk.i = -tmpbuf[ncfft-k].i is stored as int16 before C_FIXDIV (-(-32768) wraps).
    const fpnkr = (fr[kn] * 16383 + 16384) >> 15;
    const fpnki = (toInt16(-fi[kn]) * 16383 + 16384) >> 15;
    const f1kr = toInt16(fpkr + fpnkr);
    const f1ki = toInt16(fpki + fpnki);
    const f2kr = toInt16(fpkr - fpnkr);
    const f2ki = toInt16(fpki - fpnki);
    const w = k - 1;
    const twR = toInt16((f2kr * stwr[w] - f2ki * stwi[w] + 16384) >> 15);
    const twI = toInt16((f2kr * stwi[w] + f2ki * stwr[w] + 16384) >> 15);
    out[2 * k] = (f1kr + twR) >> 1;
    out[2 * k + 1] = (f1ki + twI) >> 1;
    out[2 * kn] = (f1kr - twR) >> 1;
    out[2 * kn + 1] = (twI - f1ki) >> 1;
  }
}

export function createKissFftrInt16(
  fftSize: number,
  factors: Int32Array,
  twiddles: Int16Array,
  superTwiddles: Int16Array,
): KissFftrInt16 {
  const nfft = fftSize / 2;
  if (!Number.isInteger(nfft) || nfft < 2 || twiddles.length !== 2 * nfft || superTwiddles.length !== nfft) {
    throw new TinyserError('CONFIG', `kiss_fftr: inconsistent tables for fftSize ${fftSize}`, { fftSize });
  }
  const twr = new Int32Array(nfft);
  const twi = new Int32Array(nfft);
  for (let i = 0; i < nfft; ++i) {
    twr[i] = twiddles[2 * i];
    twi[i] = twiddles[2 * i + 1];
  }
  const half = nfft / 2;
  const stwr = new Int32Array(half);
  const stwi = new Int32Array(half);
  for (let i = 0; i < half; ++i) {
    stwr[i] = superTwiddles[2 * i];
    stwi[i] = superTwiddles[2 * i + 1];
  }

  // Flatten kf_work: leaves copy f[in] to Fout[out]; butterflies run after their sub-blocks.
  const perm = new Int32Array(nfft);
  const butterflies: Butterfly[] = [];
  const work = (outBase: number, inIndex: number, fstride: number, fi: number): void => {
    const radix = factors[fi];
    const m = factors[fi + 1];
    if (radix !== 2 && radix !== 4) {
      throw new TinyserError('CONFIG', `kiss_fft radix ${radix} is not implemented (fftSize must be a power of two)`, {
        fftSize,
        radix,
      });
    }
    for (let j = 0; j < radix; ++j) {
      if (m === 1) perm[outBase + j] = inIndex + j * fstride;
      else work(outBase + j * m, inIndex + j * fstride, fstride * radix, fi + 2);
    }
    butterflies.push({ base: outBase, radix, m, fstride });
  };
  work(0, 0, 1, 0);

  const plan: KissPlanInt16 = {
    nfft,
    perm,
    butterflies,
    twr,
    twi,
    stwr,
    stwi,
    fr: new Int16Array(nfft),
    fi: new Int16Array(nfft),
  };
  return { fftSize, forward: (timeData, out) => forwardInt16(plan, timeData, out) };
}
