/**
 * ADD (TFLM add.cc, reference_integer_ops::AddElementwise), with
 * broadcasting. int8: both inputs are shifted left by 20 bits, rescaled to a common scale of
 * 2 * max(s1, s2) with MultiplyByQuantizedMultiplierSmallerThanOneExp, added,
 * rescaled to the output and offset by its zero point, then clamped to the fused activation.
 * float32: plain float arithmetic and the activation clamp.
 */
import { multiplyByQuantizedMultiplierSmallerThanOneExp, quantizeMultiplierSmallerThanOneExp } from '../fixed-point.js';
import { defineKernel, type Kernel, type OpContext } from '../kernel.js';
import { activationRangeFloat, activationRangeQuantized, broadcastIndices } from '../kernel-util.js';

interface AddData {
  subtract: boolean;
  leftShift: number;
  in1Offset: number; in2Offset: number; outOffset: number;
  m1: number; s1: number; m2: number; s2: number; mOut: number; sOut: number;
  actMin: number; actMax: number;
  ia: Int32Array | null; ib: Int32Array | null;
}

/** Shared by ADD and SUB (sub.ts): TFLM's SUB is the same pipeline with the scaled terms subtracted. */
export function makeAddSub(subtract: boolean): Kernel<unknown> {
  return defineKernel<AddData>({
    prepare(ctx: OpContext): AddData {
      const o = ctx.op.options;
      const activation = o.kind === 'AddOptions' || o.kind === 'SubOptions' ? o.activation : 'NONE';
      const a = ctx.input(0), b = ctx.input(1), out = ctx.output(0);
      ctx.check(a.type === b.type && a.type === out.type, `input types ${a.type}/${b.type} and output ${out.type} differ`);
      const bc = broadcastIndices(ctx, a.shape, b.shape, out.shape);
      const base = { subtract, ia: bc?.ia ?? null, ib: bc?.ib ?? null };
      const zero = { leftShift: 0, in1Offset: 0, in2Offset: 0, outOffset: 0, m1: 0, s1: 0, m2: 0, s2: 0, mOut: 0, sOut: 0 };
      if (a.type === 'float32') {
        const [actMin, actMax] = activationRangeFloat(ctx, activation);
        return { ...base, ...zero, actMin, actMax };
      }
      if (a.type !== 'int8') ctx.unsupported(`type ${a.type} (supported: int8, float32)`);
      const leftShift = 20;
      const twiceMax = 2 * Math.max(a.scale, b.scale);
      const q1 = quantizeMultiplierSmallerThanOneExp(a.scale / twiceMax);
      const q2 = quantizeMultiplierSmallerThanOneExp(b.scale / twiceMax);
      const qo = quantizeMultiplierSmallerThanOneExp(twiceMax / (2 ** leftShift * out.scale));
      const [actMin, actMax] = activationRangeQuantized(ctx, activation, out);
      return {
        ...base, leftShift, in1Offset: -a.zeroPoint, in2Offset: -b.zeroPoint, outOffset: out.zeroPoint,
        m1: q1.multiplier, s1: q1.shift, m2: q2.multiplier, s2: q2.shift, mOut: qo.multiplier, sOut: qo.shift, actMin, actMax,
      };
    },
    eval(ctx: OpContext, d: AddData): void {
      const a = ctx.input(0), b = ctx.input(1), out = ctx.output(0);
      const n = out.size;
      const { ia, ib, actMin, actMax } = d;
      if (a.type === 'float32') {
        const x = a.data as Float32Array, y = b.data as Float32Array, z = out.data as Float32Array;
        for (let i = 0; i < n; i++) {
          const u = x[ia ? ia[i]! : i]!, v = y[ib ? ib[i]! : i]!;
          const r = Math.fround(d.subtract ? u - v : u + v);
          z[i] = Math.min(actMax, Math.max(actMin, r));
        }
        return;
      }
      const x = a.data as Int8Array, y = b.data as Int8Array, z = out.data as Int8Array;
      const scale = 1 << d.leftShift;
      for (let i = 0; i < n; i++) {
        const v1 = multiplyByQuantizedMultiplierSmallerThanOneExp((d.in1Offset + x[ia ? ia[i]! : i]!) * scale, d.m1, d.s1);
        const v2 = multiplyByQuantizedMultiplierSmallerThanOneExp((d.in2Offset + y[ib ? ib[i]! : i]!) * scale, d.m2, d.s2);
        const raw = d.subtract ? v1 - v2 : v1 + v2;
        let r = multiplyByQuantizedMultiplierSmallerThanOneExp(raw | 0, d.mOut, d.sOut) + d.outOffset;
        r = r < actMin ? actMin : r > actMax ? actMax : r;
        z[i] = r;
      }
    },
  });
}

export const add = makeAddSub(false);
