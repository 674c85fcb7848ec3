/**
 * SOFTMAX int8 -> int8 as the TFLite runtime computes it (XNNPACK does not take it; TFLite's
 * optimized builtin kernel runs): a 256-entry float32 table exp(-s_in * beta * d) for d = max - x,
 * filled once at Prepare with expf; per row the float32 sum of the table entries, the reciprocal of
 * sum * s_out, each entry times that reciprocal rounded half away from zero, plus the output zero
 * point, clamped. TFLM computes the same softmax in fixed point (gemmlowp exp), so the two differ
 * by 1 LSB on a small share of values. Other types are TFLM's kernel unchanged.
 *
 * Every float step is a float32 operation in C; Math.fround reproduces each. expf is taken as the
 * correctly rounded exp (Math.exp then float32), which WebAssembly's expf matches except, at most,
 * in rare last-bit cases.
 */
import type { OpContext } from '../kernel.js';
import { softmax } from '../kernels/softmax.js';
import { tfliteOverride } from './override.js';

const f32 = Math.fround;

interface Int8Softmax { table: Float32Array; outScale: number; zo: number; depth: number }

export const softmaxTflite = tfliteOverride<Int8Softmax>(softmax, {
  int8(ctx: OpContext): Int8Softmax | null {
    const input = ctx.input(0), output = ctx.output(0);
    if (input.type !== 'int8' || output.type !== 'int8') return null;
    const beta = ctx.op.options.kind === 'SoftmaxOptions' ? ctx.op.options.beta : 1;
    const scale = f32(-f32(input.scale) * f32(beta));
    // table[255 - d] = expf(scale * d): indexed below by 255 - (max - x)
    const table = new Float32Array(256);
    for (let d = 0; d <= 255; d++) table[255 - d] = f32(Math.exp(f32(scale * d)));
    return { table, outScale: f32(output.scale), zo: output.zeroPoint, depth: input.shape[input.shape.length - 1]! };
  },
  run(ctx: OpContext, m: Int8Softmax): void {
    const x = ctx.input(0).data as Int8Array, y = ctx.output(0).data as Int8Array;
    const { table, depth } = m;
    for (let row = 0; row < x.length; row += depth) {
      let max = -128;
      for (let j = 0; j < depth; j++) if (x[row + j]! > max) max = x[row + j]!;
      const base = 255 - max;
      let sum = 0;
      for (let j = 0; j < depth; j++) sum = f32(sum + table[base + x[row + j]!]!);
      const inv = f32(1 / f32(sum * m.outScale));
      for (let j = 0; j < depth; j++) {
        const prob = f32(table[base + x[row + j]!]! * inv);
        const q = Math.round(prob) + m.zo; // prob >= 0: half away from zero = half up
        y[row + j] = q < -128 ? -128 : q > 127 ? 127 : q;
      }
    }
  },
});
