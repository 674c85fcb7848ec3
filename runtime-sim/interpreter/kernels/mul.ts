/**
 * MUL (TFLM mul.cc, reference_integer_ops::MulElementwise), with broadcasting.
 * int8: (x1 - zp1) * (x2 - zp2) requantized by s1 * s2 / s_out (double rounding), plus the output
 * zero point, clamped to the fused activation. float32: float product and clamp.
 */
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../fixed-point.js';
import { defineKernel, type OpContext } from '../kernel.js';
import { activationRangeFloat, activationRangeQuantized, broadcastIndices } from '../kernel-util.js';

interface MulData {
  in1Offset: number; in2Offset: number; outOffset: number; multiplier: number; shift: number;
  actMin: number; actMax: number; ia: Int32Array | null; ib: Int32Array | null;
}

export const mul = defineKernel<MulData>({
  prepare(ctx: OpContext): MulData {
    const activation = ctx.op.options.kind === 'MulOptions' ? ctx.op.options.activation : 'NONE';
    const a = ctx.input(0), b = ctx.input(1), out = ctx.output(0);
    ctx.check(a.type === b.type && a.type === out.type, `input types ${a.type}/${b.type} and output ${out.type} differ`);
    const bc = broadcastIndices(ctx, a.shape, b.shape, out.shape);
    const base = { ia: bc?.ia ?? null, ib: bc?.ib ?? null };
    if (a.type === 'float32') {
      const [actMin, actMax] = activationRangeFloat(ctx, activation);
      return { ...base, in1Offset: 0, in2Offset: 0, outOffset: 0, multiplier: 0, shift: 0, actMin, actMax };
    }
    if (a.type !== 'int8') ctx.unsupported(`type ${a.type} (supported: int8, float32)`);
    const q = quantizeMultiplier((a.scale * b.scale) / out.scale);
    const [actMin, actMax] = activationRangeQuantized(ctx, activation, out);
    return { ...base, in1Offset: -a.zeroPoint, in2Offset: -b.zeroPoint, outOffset: out.zeroPoint, multiplier: q.multiplier, shift: q.shift, actMin, actMax };
  },
  eval(ctx: OpContext, d: MulData): void {
    const a = ctx.input(0), b = ctx.input(1), out = ctx.output(0);
    const n = out.size;
    const { ia, ib, actMin, actMax } = d;
    if (a.type === 'float32') {
      const x = a.data as Float32Array, y = b.data as Float32Array, z = out.data as Float32Array;
      for (let i = 0; i < n; i++) z[i] = Math.min(actMax, Math.max(actMin, Math.fround(x[ia ? ia[i]! : i]! * y[ib ? ib[i]! : i]!)));
      return;
    }
    const x = a.data as Int8Array, y = b.data as Int8Array, z = out.data as Int8Array;
    for (let i = 0; i < n; i++) {
      const p = (d.in1Offset + x[ia ? ia[i]! : i]!) * (d.in2Offset + y[ib ? ib[i]! : i]!);
      let r = d.outOffset + multiplyByQuantizedMultiplier(p, d.multiplier, d.shift);
      r = r < actMin ? actMin : r > actMax ? actMax : r;
      z[i] = r;
    }
  },
});
