/**
 * log1pf as the fdlibm float algorithm computes it (glibc up to 2.40, including the glibc 2.36 the
 * TFLM goldens were built with, and newlib on Cortex-M). TFLM's filterbank builds its mel weights
 * with `log1pf`, and that implementation is not correctly rounded: `fround(Math.log1p(x))` differs
 * from it in the last bit often enough to change 2-3 of 236 filterbank weights per config. Every
 * step below is a float32 operation (`Math.fround` after each one), as C evaluates `float`
 * expressions on targets with FLT_EVAL_METHOD 0 and no FMA contraction.
 *
 * Method: reduce 1 + x = 2^k * (1 + f) with sqrt(2)/2 < 1 + f < sqrt(2), keep a correction term c
 * for the rounding of 1 + x, then log(1 + f) = f - (f^2/2 - s * (f^2/2 + R(s^2))) with
 * s = f / (2 + f) and R a degree-7 polynomial; log(1 + x) = k * ln2 + log(1 + f) + c.
 */
const f32 = Math.fround;

const LN2_HI = f32(6.9313812256e-1); // 0x3f317180, exact in few bits so k * LN2_HI is exact
const LN2_LO = f32(9.0580006145e-6); // 0x3717f7d1
const LP1 = f32(6.6666668653e-1);
const LP2 = f32(4.0000000596e-1);
const LP3 = f32(2.8571429849e-1);
const LP4 = f32(2.2222198546e-1);
const LP5 = f32(1.818357259e-1);
const LP6 = f32(1.5313838422e-1);
const LP7 = f32(1.479819864e-1);
const TWO_THIRDS_F32 = f32(0.66666666666666666);

const scratchF = new Float32Array(1);
const scratchI = new Int32Array(scratchF.buffer);

function floatBits(x: number): number {
  scratchF[0] = x;
  return scratchI[0];
}

function floatFromBits(bits: number): number {
  scratchI[0] = bits;
  return scratchF[0];
}

/** log1pf(x) for a float32 value x, bit-identical to the fdlibm float implementation. */
export function log1pfFdlibm(xIn: number): number {
  const x = f32(xIn);
  const hx = floatBits(x);
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0;
  let c = 0;
  let hu = 0;
  if (hx < 0x3ed413d7) {
    // x < 0.41422 (including all negative x, whose bit patterns are negative int32s)
    if (ax >= 0x3f800000) return x === -1 ? -Infinity : NaN; // x <= -1
    if (ax < 0x31000000) {
      // |x| < 2^-29: log1p(x) = x - x^2/2 to float precision
      if (ax < 0x24800000) return x;
      return f32(x - f32(f32(x * x) * 0.5));
    }
    if (hx > 0 || hx <= (0xbe95f61f | 0)) {
      // -0.2929 < x < 0.41422: no reduction needed
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7f800000) return f32(x + x); // +Inf or NaN
  if (k !== 0) {
    let u: number;
    if (hx < 0x5a000000) {
      u = f32(1 + x);
      hu = floatBits(u);
      k = (hu >> 23) - 127;
      // The rounding error of 1 + x, carried as a correction term.
      c = k > 0 ? f32(1 - f32(u - x)) : f32(x - f32(u - 1));
      c = f32(c / u);
    } else {
      u = x;
      hu = floatBits(u);
      k = (hu >> 23) - 127;
      c = 0;
    }
    hu &= 0x007fffff;
    if (hu < 0x3504f7) {
      u = floatFromBits(hu | 0x3f800000); // normalize u
    } else {
      k += 1;
      u = floatFromBits(hu | 0x3f000000); // normalize u / 2
      hu = (0x00800000 - hu) >> 2;
    }
    f = f32(u - 1);
  }
  const hfsq = f32(f32(0.5 * f) * f);
  if (hu === 0) {
    // |f| < 2^-20
    if (f === 0) {
      if (k === 0) return 0;
      c = f32(c + f32(k * LN2_LO));
      return f32(f32(k * LN2_HI) + c);
    }
    const r = f32(hfsq * f32(1 - f32(TWO_THIRDS_F32 * f)));
    if (k === 0) return f32(f - r);
    return f32(f32(k * LN2_HI) - f32(f32(r - f32(f32(k * LN2_LO) + c)) - f));
  }
  const s = f32(f / f32(2 + f));
  const z = f32(s * s);
  let r = f32(LP6 + f32(z * LP7));
  r = f32(LP5 + f32(z * r));
  r = f32(LP4 + f32(z * r));
  r = f32(LP3 + f32(z * r));
  r = f32(LP2 + f32(z * r));
  r = f32(LP1 + f32(z * r));
  r = f32(z * r);
  if (k === 0) return f32(f - f32(hfsq - f32(s * f32(hfsq + r))));
  return f32(f32(k * LN2_HI) - f32(f32(hfsq - f32(f32(s * f32(hfsq + r)) + f32(f32(k * LN2_LO) + c))) - f));
}
