/**
 * SOFTMAX (TFLM softmax.cc / softmax_common.cc + reference_ops::Softmax).
 * int8 input, int8 or int16 output: gemmlowp fixed point, exactly as the reference: input
 * differences to the row max are scaled into Q5.26 (kScaledDiffIntegerBits = 5), exponentiated
 * with exp_on_negative_values, summed in Q12.19 (kAccumulationIntegerBits = 12), and divided via
 * GetReciprocal; differences below diff_min contribute 0 and output the type minimum.
 * float32 is computed as TFLM does: exp((x - max) * beta) / sum, in float.
 */
import {
  expOnNegativeValues, getReciprocal, multiplyByQuantizedMultiplierGreaterThanOne,
  quantizeMultiplierGreaterThanOne, rescaleFixedPoint, roundingDivideByPOT, saturatingRoundingDoublingHighMul,
} from '../fixed-point.js';
import { defineKernel, type OpContext } from '../kernel.js';

const SCALED_DIFF_INTEGER_BITS = 5;
const ACCUMULATION_INTEGER_BITS = 12;

interface SoftmaxData {
  beta: number;
  inputMultiplier: number;
  inputLeftShift: number;
  diffMin: number;
  outer: number;
  depth: number;
  /**
   * int8: exp_on_negative_values of the rescaled difference for every possible difference
   * x - max in [-255, 0] (index -diff), computed once with the same functions: the per-element
   * result depends on the difference alone, so the lookup is the same integer. Entries below
   * diff_min stay 0 and are never read (TFLM skips those differences, and so does eval).
   */
  expByDiff: Int32Array | null;
}

/** TFLite CalculateInputRadius. */
export function calculateInputRadius(inputIntegerBits: number, inputLeftShift: number, totalSignedBits = 31): number {
  const maxInputRescaled = (1.0 * ((1 << inputIntegerBits) - 1) * 2 ** (totalSignedBits - inputIntegerBits)) / 2 ** inputLeftShift;
  return Math.floor(maxInputRescaled);
}

export const softmax = defineKernel<SoftmaxData>({
  prepare(ctx: OpContext): SoftmaxData {
    const input = ctx.input(0);
    const output = ctx.output(0);
    const beta = ctx.op.options.kind === 'SoftmaxOptions' ? ctx.op.options.beta : 1;
    ctx.check(input.shape.length >= 1 && input.size === output.size, 'input and output sizes differ');
    const depth = input.shape[input.shape.length - 1]!;
    const outer = depth > 0 ? input.size / depth : 0;
    if (input.type === 'float32') {
      ctx.check(output.type === 'float32', 'float32 softmax needs a float32 output');
      return { beta, inputMultiplier: 0, inputLeftShift: 0, diffMin: 0, outer, depth, expByDiff: null };
    }
    if (input.type !== 'int8' || (output.type !== 'int8' && output.type !== 'int16')) {
      ctx.unsupported(`input ${input.type} -> output ${output.type} (supported: int8 -> int8/int16, float32)`);
    }
    if (output.type === 'int8') ctx.check(output.zeroPoint === -128, `int8 output zero point must be -128, got ${output.zeroPoint}`);
    else ctx.check(output.zeroPoint === -32768, `int16 output zero point must be -32768, got ${output.zeroPoint}`);
    // PreprocessSoftmaxScaling (double rounding branch).
    const realMultiplier = Math.min(beta * input.scale * 2 ** (31 - SCALED_DIFF_INTEGER_BITS), 2 ** 31 - 1);
    const q = quantizeMultiplierGreaterThanOne(realMultiplier);
    ctx.check(q.shift >= 0, `softmax input multiplier ${realMultiplier} is below one`);
    const diffMin = -1.0 * calculateInputRadius(SCALED_DIFF_INTEGER_BITS, q.shift);
    const expByDiff = new Int32Array(256);
    for (let k = 0; k < 256; k++) {
      const diff = -k;
      if (diff >= diffMin) expByDiff[k] = expOnNegativeValues(multiplyByQuantizedMultiplierGreaterThanOne(diff, q.multiplier, q.shift), SCALED_DIFF_INTEGER_BITS);
    }
    return { beta, inputMultiplier: q.multiplier, inputLeftShift: q.shift, diffMin, outer, depth, expByDiff };
  },

  eval(ctx: OpContext, d: SoftmaxData): void {
    const input = ctx.input(0);
    const output = ctx.output(0);
    const { outer, depth } = d;
    if (input.type === 'float32') {
      const x = input.data as Float32Array, y = output.data as Float32Array;
      for (let i = 0; i < outer; i++) {
        const base = i * depth;
        let max = -Infinity;
        for (let c = 0; c < depth; c++) max = Math.max(max, x[base + c]!);
        let sum = 0;
        for (let c = 0; c < depth; c++) {
          const e = Math.fround(Math.exp(Math.fround(Math.fround(x[base + c]! - max) * Math.fround(d.beta))));
          y[base + c] = e;
          sum = Math.fround(sum + e);
        }
        for (let c = 0; c < depth; c++) y[base + c] = Math.fround(y[base + c]! / sum);
      }
      return;
    }
    const x = input.data as Int8Array;
    const y = output.data as Int8Array | Int16Array;
    const outBits = output.type === 'int8' ? 8 : 16;
    const outMin = output.type === 'int8' ? -128 : -32768;
    const outMax = output.type === 'int8' ? 127 : 32767;
    for (let i = 0; i < outer; i++) {
      const base = i * depth;
      let maxInRow = -128;
      for (let c = 0; c < depth; c++) if (x[base + c]! > maxInRow) maxInRow = x[base + c]!;
      let sumOfExps = 0; // FixedPoint<int32, 12>
      const expByDiff = d.expByDiff!;
      for (let c = 0; c < depth; c++) {
        const diff = x[base + c]! - maxInRow;
        if (diff >= d.diffMin) {
          const e = expByDiff[-diff]!;
          sumOfExps = (sumOfExps + rescaleFixedPoint(e, 0, ACCUMULATION_INTEGER_BITS)) | 0;
        }
      }
      const { reciprocal, numBitsOverUnit } = getReciprocal(sumOfExps, ACCUMULATION_INTEGER_BITS);
      for (let c = 0; c < depth; c++) {
        const diff = x[base + c]! - maxInRow;
        if (diff >= d.diffMin) {
          const e = expByDiff[-diff]!;
          const unsat = roundingDivideByPOT(saturatingRoundingDoublingHighMul(reciprocal, e), numBitsOverUnit + 31 - outBits);
          const shifted = unsat + outMin;
          y[base + c] = shifted < outMin ? outMin : shifted > outMax ? outMax : shifted;
        } else {
          y[base + c] = outMin;
        }
      }
    }
  },
});
