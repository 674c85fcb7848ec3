/**
 * LEAKY_RELU as the TFLite runtime computes it (XNNPACK qs8 leaky ReLU): two multipliers with 8
 * fractional bits, lrintf(256 * s_in / s_out) and lrintf(256 * alpha * s_in / s_out) in float32;
 * (x - z_in) times the one for its sign, plus (z_out << 8) + 128, shifted right by 8 (round half
 * up), clamped to int8. TFLM uses two Q31 multipliers with double rounding (kernels/leaky-relu.ts),
 * so the two differ on a few percent of values. int16 and float32 are TFLM's kernel.
 */
import type { OpContext } from '../kernel.js';
import { leakyRelu } from '../kernels/leaky-relu.js';
import { roundHalfToEven } from './fp32-requantize.js';
import { tfliteOverride } from './override.js';

const f32 = Math.fround;

interface Int8LeakyRelu { zi: number; positive: number; negative: number; bias: number }

export const leakyReluTflite = tfliteOverride<Int8LeakyRelu>(leakyRelu, {
  int8(ctx: OpContext): Int8LeakyRelu | null {
    const input = ctx.input(0), out = ctx.output(0);
    if (input.type !== 'int8') return null;
    const alpha = ctx.op.options.kind === 'LeakyReluOptions' ? ctx.op.options.alpha : 0.2;
    const positiveScale = f32(f32(input.scale) / f32(out.scale));
    const negativeScale = f32(positiveScale * f32(alpha));
    const positive = roundHalfToEven(f32(256 * positiveScale));
    const negative = roundHalfToEven(f32(256 * negativeScale));
    return { zi: input.zeroPoint, positive, negative, bias: out.zeroPoint * 256 + 128 };
  },
  run(ctx: OpContext, m: Int8LeakyRelu): void {
    const x = ctx.input(0).data as Int8Array, y = ctx.output(0).data as Int8Array;
    for (let i = 0; i < y.length; i++) {
      const v = x[i]! - m.zi;
      const r = (m.bias + v * (v >= 0 ? m.positive : m.negative)) >> 8;
      y[i] = r < -128 ? -128 : r > 127 ? 127 : r;
    }
  },
});
