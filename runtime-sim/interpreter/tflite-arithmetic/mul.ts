/**
 * MUL as the TFLite runtime computes it (XNNPACK qs8 multiply): the int32 product
 * (a - za) * (b - zb) rescaled in float32 by (sa * sb) / s_out, rounded once (ties to even), plus
 * the output zero point, clamped to XNNPACK's activation bounds. float32 is TFLM's kernel.
 */
import type { OpContext } from '../kernel.js';
import { broadcastIndices } from '../kernel-util.js';
import { mul } from '../kernels/mul.js';
import { activationRangeInt8Xnnpack } from './activation-range.js';
import { roundHalfToEven } from './fp32-requantize.js';
import { tfliteOverride } from './override.js';

const f32 = Math.fround;

interface Int8Mul { za: number; zb: number; zo: number; scale: number; actMin: number; actMax: number; ia: Int32Array | null; ib: Int32Array | null }

export const mulTflite = tfliteOverride<Int8Mul>(mul, {
  int8(ctx: OpContext): Int8Mul | null {
    const a = ctx.input(0), b = ctx.input(1), out = ctx.output(0);
    if (a.type !== 'int8') return null;
    const bc = broadcastIndices(ctx, a.shape, b.shape, out.shape);
    const activation = ctx.op.options.kind === 'MulOptions' ? ctx.op.options.activation : 'NONE';
    const [actMin, actMax] = activationRangeInt8Xnnpack(ctx, activation, out);
    const scale = f32(f32(f32(a.scale) * f32(b.scale)) / f32(out.scale));
    return { za: a.zeroPoint, zb: b.zeroPoint, zo: out.zeroPoint, scale, actMin, actMax, ia: bc?.ia ?? null, ib: bc?.ib ?? null };
  },
  run(ctx: OpContext, m: Int8Mul): void {
    const x = ctx.input(0).data as Int8Array, y = ctx.input(1).data as Int8Array, z = ctx.output(0).data as Int8Array;
    const { ia, ib, actMin, actMax } = m;
    for (let i = 0; i < z.length; i++) {
      const p = (x[ia ? ia[i]! : i]! - m.za) * (y[ib ? ib[i]! : i]! - m.zb);
      const v = roundHalfToEven(f32(f32(p) * m.scale)) + m.zo;
      z[i] = v < actMin ? actMin : v > actMax ? actMax : v;
    }
  },
});
