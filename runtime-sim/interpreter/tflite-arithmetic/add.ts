/**
 * ADD as the TFLite runtime computes it (XNNPACK qs8 add): each input's scale relative to the
 * output, sa / s_out and sb / s_out in float32, becomes an integer multiplier with about 20
 * significant bits (shift = 20 - exponent of the larger ratio); the sum
 * bias + a * ma + b * mb, with the zero points and a rounding half folded into the bias, is shifted
 * right arithmetically (round half up), plus the output zero point, clamped. float32 is TFLM's.
 */
import type { OpContext } from '../kernel.js';
import { broadcastIndices } from '../kernel-util.js';
import { add } from '../kernels/add.js';
import { activationRangeInt8Xnnpack } from './activation-range.js';
import { roundHalfToEven } from './fp32-requantize.js';
import { tfliteOverride } from './override.js';

const f32 = Math.fround;

/** The unbiased binary exponent of a positive float32 (its bits >> 23, minus 127). */
function float32Exponent(x: number): number {
  const bits = new Uint32Array(new Float32Array([x]).buffer)[0]!;
  return (bits >>> 23) - 127;
}

interface Int8Add { ma: number; mb: number; bias: number; shift: number; zo: number; actMin: number; actMax: number; ia: Int32Array | null; ib: Int32Array | null }

export const addTflite = tfliteOverride<Int8Add>(add, {
  int8(ctx: OpContext): Int8Add | null {
    const a = ctx.input(0), b = ctx.input(1), out = ctx.output(0);
    if (a.type !== 'int8') return null;
    const bc = broadcastIndices(ctx, a.shape, b.shape, out.shape);
    const activation = ctx.op.options.kind === 'AddOptions' ? ctx.op.options.activation : 'NONE';
    const [actMin, actMax] = activationRangeInt8Xnnpack(ctx, activation, out);
    const ra = f32(f32(a.scale) / f32(out.scale)), rb = f32(f32(b.scale) / f32(out.scale));
    const shift = 20 - float32Exponent(Math.max(ra, rb));
    if (shift < 12 || shift > 30) ctx.unsupported(`input/output scale ratios ${ra} and ${rb} outside XNNPACK's range`);
    const ma = roundHalfToEven(f32(ra * 2 ** shift)), mb = roundHalfToEven(f32(rb * 2 ** shift));
    const bias = 2 ** (shift - 1) - ma * a.zeroPoint - mb * b.zeroPoint;
    return { ma, mb, bias, shift, zo: out.zeroPoint, actMin, actMax, ia: bc?.ia ?? null, ib: bc?.ib ?? null };
  },
  run(ctx: OpContext, m: Int8Add): void {
    const x = ctx.input(0).data as Int8Array, y = ctx.input(1).data as Int8Array, z = ctx.output(0).data as Int8Array;
    const { ia, ib, actMin, actMax, shift } = m;
    for (let i = 0; i < z.length; i++) {
      const acc = (m.bias + x[ia ? ia[i]! : i]! * m.ma + y[ib ? ib[i]! : i]! * m.mb) | 0;
      const v = (acc >> shift) + m.zo;
      z[i] = v < actMin ? actMin : v > actMax ? actMax : v;
    }
  },
});
