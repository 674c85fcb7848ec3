/**
 * Fixed-point helpers shared by every integer kernel, with TFLite Micro's exact integer semantics
 * (tensorflow/lite/kernels/internal/common.h, quantization_util.cc and gemmlowp fixedpoint.h as
 * used by TFLM's reference kernels, built WITHOUT TFLITE_SINGLE_ROUNDING, i.e. "double rounding").
 *
 * All int32 values are JS numbers holding an int32 (|0 normalised). Exact semantics:
 *
 * - saturatingRoundingDoublingHighMul(a, b) = a == b == INT32_MIN ? INT32_MAX
 *     : trunc_toward_zero((a*b + (a*b >= 0 ? 2^30 : 1 - 2^30)) / 2^31), computed exactly on the
 *     full 62-bit product (split arithmetic, no BigInt).
 * - roundingDivideByPOT(x, e) = (x >> e) + (remainder > threshold ? 1 : 0) with
 *     remainder = x & (2^e - 1), threshold = (2^e - 1) >> 1 plus 1 when x < 0: round half away
 *     from zero, for 0 <= e <= 31.
 * - multiplyByQuantizedMultiplier(x, m, s) = roundingDivideByPOT(SRDHM(x * 2^max(s,0), m), max(-s,0))
 *     (the left shift wraps like the int32 multiply of the C code); this is the "double rounding"
 *     TFLM uses by default.
 * - quantizeMultiplier(d): frexp(d) = q * 2^shift with q in [0.5, 1); m = round_half_away(q * 2^31);
 *     m == 2^31 -> m = 2^30, shift + 1; shift < -31 -> m = 0, shift = 0.
 * - gemmlowp FixedPoint<int32, I> values are raw int32s with 31 - I fractional bits; multiplying two
 *     of them is SRDHM on the raws (integer bits add), adding is a wrapping int32 add.
 */

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
const TWO_POW_31 = 2147483648;
const TWO_POW_30 = 1073741824;
const TWO_POW_52 = 4503599627370496;

/** gemmlowp SaturatingRoundingDoublingHighMul for int32 (exact). */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const p = a * b;
  if (p <= TWO_POW_52 && p >= -TWO_POW_52) {
    // The product is exact in a double here, so is p + nudge, and dividing by 2^31 is exact too.
    const nudge = p >= 0 ? TWO_POW_30 : 1 - TWO_POW_30;
    return Math.trunc((p + nudge) / TWO_POW_31) | 0;
  }
  // Exact 62-bit product: a = ah * 2^16 + al, so a*b = hi * 2^16 + lo with hi = ah*b, lo = al*b.
  const al = a & 0xffff;
  const ah = (a - al) / 65536;
  const hi = ah * b; // |hi| < 2^47
  const lo = al * b; // |lo| < 2^47
  // hi * 2^16 = hiQ * 2^31 + hiR * 2^16 with 0 <= hiR < 2^15.
  const hiQ = Math.floor(hi / 32768);
  const hiR = hi - hiQ * 32768;
  const nudge = p >= 0 ? TWO_POW_30 : 1 - TWO_POW_30; // a rounded product never changes sign
  const r = hiR * 65536 + lo + nudge; // exact, |r| < 2^49
  const rq = Math.floor(r / TWO_POW_31);
  const rem = r - rq * TWO_POW_31;
  let q = hiQ + rq; // floor((a*b + nudge) / 2^31)
  if (q < 0 && rem !== 0) q += 1; // C integer division truncates toward zero
  return q | 0;
}

const POT_MASK: Int32Array = (() => {
  const m = new Int32Array(32);
  for (let e = 0; e < 32; e++) m[e] = (2 ** e - 1) | 0;
  return m;
})();

/** gemmlowp RoundingDivideByPOT: x / 2^exponent rounded half away from zero (0 <= exponent <= 31). */
export function roundingDivideByPOT(x: number, exponent: number): number {
  const mask = POT_MASK[exponent]!;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return ((x >> exponent) + (remainder > threshold ? 1 : 0)) | 0;
}

/** TFLM MultiplyByQuantizedMultiplier(int32 x, int32 multiplier, int shift), double rounding. */
export function multiplyByQuantizedMultiplier(x: number, quantizedMultiplier: number, shift: number): number {
  const leftShift = shift > 0 ? shift : 0;
  const rightShift = shift > 0 ? 0 : -shift;
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(Math.imul(x, 1 << leftShift), quantizedMultiplier), rightShift);
}

/** MultiplyByQuantizedMultiplierSmallerThanOneExp (shift <= 0). */
export function multiplyByQuantizedMultiplierSmallerThanOneExp(x: number, quantizedMultiplier: number, leftShift: number): number {
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, quantizedMultiplier), -leftShift);
}

/** MultiplyByQuantizedMultiplierGreaterThanOne (leftShift >= 0). */
export function multiplyByQuantizedMultiplierGreaterThanOne(x: number, quantizedMultiplier: number, leftShift: number): number {
  return saturatingRoundingDoublingHighMul(Math.imul(x, 1 << leftShift), quantizedMultiplier);
}

/**
 * TFLite's int64-input MultiplyByQuantizedMultiplier (double rounding build), used where
 * accumulators are 64-bit (int16 activations): the multiplier is reduced to 16 bits first, then
 * one rounding shift. Exact through BigInt (only called per output element).
 */
export function multiplyByQuantizedMultiplierInt64(x: bigint, quantizedMultiplier: number, shift: number): number {
  const reduced = quantizedMultiplier < 0x7fff0000 ? (quantizedMultiplier + (1 << 15)) >> 16 : 0x7fff;
  const totalShift = BigInt(15 - shift);
  const v = x * BigInt(reduced) + (1n << (totalShift - 1n));
  return Number(BigInt.asIntN(32, v >> totalShift));
}

export interface QuantizedMultiplier {
  /** Q31 significand in [2^30, 2^31) (or 0). */
  multiplier: number;
  /** Power-of-two exponent: positive = left shift. */
  shift: number;
}

/** C frexp: d = q * 2^e with 0.5 <= |q| < 1 (d finite, nonzero). */
export function frexp(d: number): { q: number; e: number } {
  if (d === 0 || !Number.isFinite(d)) return { q: d, e: 0 };
  let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(d))) + 1);
  let q = d * 2 ** -e;
  // log2 can be off by one near powers of two; fix up so 0.5 <= |q| < 1 exactly.
  while (Math.abs(q) < 0.5) { q *= 2; e -= 1; }
  while (Math.abs(q) >= 1) { q /= 2; e += 1; }
  return { q, e };
}

/** std::round: half away from zero. */
export function roundHalfAwayFromZero(x: number): number {
  if (x < 0) return -roundHalfAwayFromZero(-x);
  const f = Math.floor(x);
  return x - f >= 0.5 ? f + 1 : f; // x - f is exact, unlike x + 0.5
}

/** TFLite QuantizeMultiplier(double) (the non-single-rounding branch). */
export function quantizeMultiplier(doubleMultiplier: number): QuantizedMultiplier {
  if (doubleMultiplier === 0) return { multiplier: 0, shift: 0 };
  const { q, e } = frexp(doubleMultiplier);
  let shift = e;
  let qFixed = roundHalfAwayFromZero(q * TWO_POW_31);
  if (qFixed === TWO_POW_31) {
    qFixed /= 2;
    shift += 1;
  }
  if (shift < -31) {
    shift = 0;
    qFixed = 0;
  }
  return { multiplier: qFixed, shift };
}

/** QuantizeMultiplierSmallerThanOneExp: the shift is returned as a (non-positive) left shift. */
export function quantizeMultiplierSmallerThanOneExp(d: number): QuantizedMultiplier {
  return quantizeMultiplier(d);
}

/** QuantizeMultiplierGreaterThanOne: shift must be >= 0. */
export function quantizeMultiplierGreaterThanOne(d: number): QuantizedMultiplier {
  return quantizeMultiplier(d);
}

/** std::round on a float32 value (TfLiteRound on float). */
export function roundFloat32HalfAway(x: number): number {
  return roundHalfAwayFromZero(Math.fround(x));
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Count leading zeros of a value taken as uint32. */
export function countLeadingZeros32(x: number): number {
  return Math.clz32(x);
}

// ---------------------------------------------------------------------------------------------
// gemmlowp FixedPoint<int32, I> arithmetic used by the quantized softmax and logistic/tanh.

/** SaturatingRoundingMultiplyByPOT<exponent> on a raw int32. */
export function saturatingRoundingMultiplyByPOT(x: number, exponent: number): number {
  if (exponent === 0) return x;
  if (exponent < 0) return roundingDivideByPOT(x, -exponent);
  const threshold = (2 ** (31 - exponent) - 1) | 0;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return (x * 2 ** exponent) | 0;
}

/** gemmlowp Rescale<dst>(FixedPoint<src> x). */
export function rescaleFixedPoint(raw: number, srcIntegerBits: number, dstIntegerBits: number): number {
  return saturatingRoundingMultiplyByPOT(raw, srcIntegerBits - dstIntegerBits);
}

/** gemmlowp RoundingHalfSum for int32: (a + b + sign) / 2 in 64-bit, truncating. */
export function roundingHalfSum(a: number, b: number): number {
  const sum = a + b; // exact in a double
  const sign = sum >= 0 ? 1 : -1;
  return Math.trunc((sum + sign) / 2) | 0;
}

const SRDHM = saturatingRoundingDoublingHighMul;

/** exp(x) for x in [-1/4, 0) as FixedPoint<int32, 0> (gemmlowp Taylor expansion around -1/8). */
export function expOnIntervalBetweenNegativeOneQuarterAnd0Excl(a: number): number {
  const constantTerm = 1895147668; // exp(-1/8)
  const constant1Over3 = 715827883;
  const x = (a + (1 << 28)) | 0;
  const x2 = SRDHM(x, x);
  const x3 = SRDHM(x2, x);
  const x4 = SRDHM(x2, x2);
  const x4Over4 = saturatingRoundingMultiplyByPOT(x4, -2);
  const inner = saturatingRoundingMultiplyByPOT((SRDHM((x4Over4 + x3) | 0, constant1Over3) + x2) | 0, -1);
  return (constantTerm + SRDHM(constantTerm, (x + inner) | 0)) | 0;
}

const EXP_BARREL: readonly [number, number][] = [
  [-2, 1672461947], [-1, 1302514674], [0, 790015084], [1, 290630308], [2, 39332535], [3, 720401], [4, 242],
];

/** gemmlowp exp_on_negative_values(FixedPoint<int32, integerBits>) -> FixedPoint<int32, 0>. */
export function expOnNegativeValues(a: number, integerBits: number): number {
  const fractionalBits = 31 - integerBits;
  const oneQuarter = 1 << (fractionalBits - 2);
  const mask = (oneQuarter - 1) | 0;
  const aModQuarterMinusOneQuarter = ((a & mask) - oneQuarter) | 0;
  let result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(rescaleFixedPoint(aModQuarterMinusOneQuarter, integerBits, 0));
  const remainder = (aModQuarterMinusOneQuarter - a) | 0;
  for (const [exponent, multiplier] of EXP_BARREL) {
    if (integerBits > exponent) {
      const shiftAmount = fractionalBits + exponent;
      if ((remainder & (1 << shiftAmount)) !== 0) result = SRDHM(result, multiplier);
    }
  }
  if (integerBits > 5) {
    const clampB = 36 - integerBits;
    const clampRaw = -(1 << clampB) | 0;
    if (a < clampRaw) result = 0;
  }
  if (a === 0) result = INT32_MAX;
  return result;
}

/** gemmlowp one_over_one_plus_x_for_x_in_0_1(FixedPoint<int32, 0>) -> FixedPoint<int32, 0>. */
export function oneOverOnePlusXForXIn01(a: number): number {
  const halfDenominator = roundingHalfSum(a, INT32_MAX);
  const constant48Over17 = 1515870810; // F2
  const constantNeg32Over17 = -1010580540; // F2
  let x = (constant48Over17 + SRDHM(halfDenominator, constantNeg32Over17)) | 0; // F2
  const oneF2 = 1 << 29;
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = SRDHM(halfDenominator, x); // F2
    const oneMinus = (oneF2 - halfDenominatorTimesX) | 0;
    x = (x + rescaleFixedPoint(SRDHM(x, oneMinus), 4, 2)) | 0;
  }
  // ExactMulByPot<-1> keeps the raw value and makes it F1; Rescale<0> from F1.
  return rescaleFixedPoint(x, 1, 0);
}

/** TFLite GetReciprocal: 1 / x for a FixedPoint<int32, xIntegerDigits> sum (x > 0). */
export function getReciprocal(x: number, xIntegerDigits: number): { reciprocal: number; numBitsOverUnit: number } {
  const headroomPlusOne = Math.clz32(x);
  const numBitsOverUnit = xIntegerDigits - headroomPlusOne;
  const shiftedSumMinusOne = ((x << headroomPlusOne) - TWO_POW_31) | 0;
  return { reciprocal: oneOverOnePlusXForXIn01(shiftedSumMinusOne), numBitsOverUnit };
}

// ---------------------------------------------------------------------------------------------
// int16 LUT activations (TFLM reference_integer_ops::Logistic / Tanh for int16), used by the
// LOGISTIC/TANH int16 kernels and by the integer LSTM gates.

/**
 * TFLM's sigmoid_table_uint16: sigmoid(i / 24) in unsigned Q0.16 for i = 0..255 (tanh reuses it
 * through tanh(x) = 2 sigmoid(2x) - 1). Embedded, not recomputed: its entries are not any simple
 * rounding of the real sigmoid (44 of 256 differ by one from round()), so bit-exactness needs
 * the exact table.
 */
export const SIGMOID_TABLE_UINT16: Uint16Array = Uint16Array.from([
  32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
  43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
  51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
  57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
  61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
  63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
  64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
  64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
  65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
  65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
  65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
  65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
  65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
  65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
  65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
  65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
]);

/**
 * reference_integer_ops::Logistic(int16): input scaled by `inputMultiplier` (0 means the
 * power-of-two case, multiplier 3 << shift) with rounding right shift, then the LUT is
 * interpolated on |x| with 9 fractional bits; output Q0.15 in [0, 32767].
 */
export function logisticInt16(input: Int16Array, output: Int16Array, n: number, inputMultiplier: number, inputLeftShift: number, inOffset = 0, outOffset = 0): void {
  let mult = inputMultiplier;
  let shift = inputLeftShift;
  if (mult === 0) {
    mult = 3 << shift;
    shift = 0;
  }
  const round = shift > 0 ? 1 << (shift - 1) : 0;
  const T = SIGMOID_TABLE_UINT16;
  for (let i = 0; i < n; i++) {
    const x = (input[inOffset + i]! * mult + round) >> shift;
    const ax = x < 0 ? -x : x;
    const uh = ax >>> 9;
    let result: number;
    if (uh >= 255) result = 0x7fff << 10;
    else {
      const ua = T[uh]!;
      const ub = T[uh + 1]!;
      result = ua * 512 + (ax & 0x1ff) * (ub - ua);
    }
    result = x >= 0 ? result + (1 << 9) : (1 << 25) - result + (1 << 9) - 1;
    output[outOffset + i] = result >>> 10;
  }
}

/** reference_integer_ops::Tanh(int16): same LUT with 8 fractional bits; output Q0.15. */
export function tanhInt16(input: Int16Array, output: Int16Array, n: number, inputMultiplier: number, inputLeftShift: number, inOffset = 0, outOffset = 0): void {
  let mult = inputMultiplier;
  let shift = inputLeftShift;
  if (mult === 0) {
    mult = 3 << shift;
    shift = 0;
  }
  const round = shift > 0 ? 1 << (shift - 1) : 0;
  const T = SIGMOID_TABLE_UINT16;
  for (let i = 0; i < n; i++) {
    const x = (input[inOffset + i]! * mult + round) >> shift;
    const ax = x < 0 ? -x : x;
    const uh = ax >>> 8;
    let result: number;
    if (uh >= 255) result = 0xffff << 8;
    else {
      const ua = T[uh]!;
      const ub = T[uh + 1]!;
      result = ua * 256 + (ax & 0xff) * (ub - ua);
    }
    result = x >= 0 ? result - (1 << 23) + (1 << 7) : -result + (1 << 23) + (1 << 7) - 1;
    output[outOffset + i] = result >> 8;
  }
}

// ---------------------------------------------------------------------------------------------
// gemmlowp logistic / tanh on FixedPoint<int32, integerBits> -> FixedPoint<int32, 0> (int8 kernels).

/** gemmlowp one_minus_x_over_one_plus_x_for_x_in_0_1 (Newton-Raphson, as the reciprocal). */
export function oneMinusXOverOnePlusXForXIn01(a: number): number {
  const halfDenominator = roundingHalfSum(a, INT32_MAX);
  let x = (1515870810 + SRDHM(halfDenominator, -1010580540)) | 0; // F2: 48/17 - 32/17 * d
  const oneF2 = 1 << 29;
  for (let i = 0; i < 3; i++) {
    const oneMinus = (oneF2 - SRDHM(halfDenominator, x)) | 0;
    x = (x + rescaleFixedPoint(SRDHM(x, oneMinus), 4, 2)) | 0;
  }
  return rescaleFixedPoint((x - oneF2) | 0, 2, 0);
}

/** gemmlowp logistic(FixedPoint<int32, integerBits>) as a Q0.31 raw value. */
export function logisticFixedPoint(a: number, integerBits: number): number {
  if (a === 0) return 1 << 30;
  const abs = a > 0 ? a : -a | 0;
  const positive = oneOverOnePlusXForXIn01(expOnNegativeValues(-abs | 0, integerBits));
  return a > 0 ? positive : (INT32_MAX - positive) | 0;
}

/** gemmlowp tanh(FixedPoint<int32, integerBits>) as a Q0.31 raw value. */
export function tanhFixedPoint(a: number, integerBits: number): number {
  if (a === 0) return 0;
  const n = a < 0 ? a : -a | 0;
  // ExactMulByPot<1> keeps the raw value and adds one integer bit: exp(2n).
  const t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(n, integerBits + 1));
  return a < 0 ? -t | 0 : t;
}
