/**
 * MEAN (TFLM reduce_common.cc EvalIntegerMean / EvalMeanHelper).
 * int8/int16 with the same scale and zero point in and out: reference_ops::Mean, i.e. the int32
 * sum of the raw values divided by N with C's truncating division (no rounding, no zero-point
 * correction: it cancels). Otherwise reference_ops::QuantizedMeanOrSum: the 1/N factor is folded
 * into the Prepare-time multiplier of in_scale/out_scale (multiplier << shift / N with
 * shift = min(floor(log2 N), 32, 31 + out_shift)), then MBQM(sum - in_zp * N) + out_zp, clamped.
 * float32: float sums divided by N.
 */
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../fixed-point.js';
import { defineKernel, type OpContext } from '../kernel.js';
import { typeRange } from '../kernel-util.js';

interface MeanData {
  /** Same quantization in and out: truncating integer mean of the raw values. */
  plainDivide: boolean;
  /** For each input element, its output element. */
  outIndex: Int32Array;
  count: number;
  multiplier: number;
  shift: number;
  min: number;
  max: number;
  sums: Float64Array;
}

export const mean = defineKernel<MeanData>({
  prepare(ctx: OpContext): MeanData {
    const input = ctx.input(0), axisT = ctx.input(1), out = ctx.output(0);
    ctx.check(axisT.isConstant && axisT.type === 'int32', 'axis must be a constant int32 tensor');
    const rank = input.shape.length;
    const axes = new Set<number>();
    for (const a of Array.from(axisT.data as Int32Array)) {
      const r = a < 0 ? a + rank : a;
      ctx.check(r >= 0 && r < rank, `axis ${a} out of range for rank ${rank}`);
      axes.add(r);
    }
    let count = 1;
    for (const a of axes) count *= input.shape[a]!;
    ctx.check(out.size * count === input.size, `output has ${out.size} elements, expected ${input.size / Math.max(count, 1)}`);
    ctx.check(input.type === out.type, 'input and output types differ');
    // Map each input element to its output element (reduced axes dropped, order kept).
    const outIndex = new Int32Array(input.size);
    const idx = new Array<number>(rank).fill(0);
    for (let i = 0; i < input.size; i++) {
      let o = 0;
      for (let k = 0; k < rank; k++) if (!axes.has(k)) o = o * input.shape[k]! + idx[k]!;
      outIndex[i] = o;
      for (let k = rank - 1; k >= 0; k--) {
        if (++idx[k]! < input.shape[k]!) break;
        idx[k] = 0;
      }
    }
    const sums = new Float64Array(out.size);
    if (input.type === 'float32') return { plainDivide: false, outIndex, count, multiplier: 0, shift: 0, min: 0, max: 0, sums };
    if (input.type !== 'int8' && input.type !== 'int16') ctx.unsupported(`type ${input.type}`);
    const q = quantizeMultiplier(input.scale / out.scale);
    let multiplier = q.multiplier;
    let shift = q.shift;
    if (count > 0) {
      let s = 63 - clz64(count);
      s = Math.min(s, 32, 31 + shift);
      multiplier = Number((BigInt(multiplier) << BigInt(s)) / BigInt(count));
      shift -= s;
    }
    const [min, max] = typeRange(input.type);
    const plainDivide = input.zeroPoint === out.zeroPoint && input.scale === out.scale;
    return { plainDivide, outIndex, count, multiplier, shift, min, max, sums };
  },
  eval(ctx: OpContext, d: MeanData): void {
    const input = ctx.input(0), out = ctx.output(0);
    const sums = d.sums;
    sums.fill(0);
    if (input.type === 'float32') {
      const x = input.data as Float32Array, y = out.data as Float32Array;
      for (let i = 0; i < input.size; i++) sums[d.outIndex[i]!] = Math.fround(sums[d.outIndex[i]!]! + x[i]!);
      for (let o = 0; o < out.size; o++) y[o] = Math.fround(sums[o]! / d.count);
      return;
    }
    const x = input.data as Int8Array | Int16Array, y = out.data as Int8Array | Int16Array;
    for (let i = 0; i < input.size; i++) sums[d.outIndex[i]!] += x[i]!;
    if (d.plainDivide) {
      if (d.count > 0) for (let o = 0; o < out.size; o++) y[o] = Math.trunc((sums[o]! | 0) / d.count);
      return;
    }
    const zpTimesCount = input.zeroPoint * d.count;
    for (let o = 0; o < out.size; o++) {
      let v = multiplyByQuantizedMultiplier((sums[o]! - zpTimesCount) | 0, d.multiplier, d.shift) + out.zeroPoint;
      v = v < d.min ? d.min : v > d.max ? d.max : v;
      y[o] = v;
    }
  },
});

/** Leading zeros of a positive integer taken as uint64. */
function clz64(n: number): number {
  return n >= 2 ** 32 ? Math.clz32(Math.floor(n / 2 ** 32)) : 32 + Math.clz32(n);
}
