/**
 * RELU and RELU6 (TFLM activations.cc). int8 RELU requantizes (x - in_zp) by in_scale/out_scale,
 * adds the output zero point and clamps below at quantize(0); RELU6 (like TFLM) only clamps the
 * raw values to [quantize(0), quantize(6)] of the input. float32: max(0, x) / min(6, max(0, x)).
 */
import { multiplyByQuantizedMultiplier, quantizeMultiplier, roundFloat32HalfAway } from '../fixed-point.js';
import { defineKernel, type Kernel, type OpContext } from '../kernel.js';

interface ReluData { multiplier: number; shift: number; min: number; max: number }

function makeRelu(six: boolean): Kernel<unknown> {
  return defineKernel<ReluData>({
    prepare(ctx: OpContext): ReluData {
      const input = ctx.input(0), out = ctx.output(0);
      ctx.check(input.size === out.size && input.type === out.type, 'input and output must match in size and type');
      if (input.type === 'float32') return { multiplier: 0, shift: 0, min: 0, max: six ? 6 : Infinity };
      if (input.type !== 'int8') ctx.unsupported(`type ${input.type}`);
      const quantize = (t: typeof out, f: number): number => t.zeroPoint + roundFloat32HalfAway(Math.fround(f / Math.fround(t.scale)));
      if (six) return { multiplier: 0, shift: 0, min: Math.max(-128, quantize(input, 0)), max: Math.min(127, quantize(input, 6)) };
      const q = quantizeMultiplier(input.scale / out.scale);
      return { multiplier: q.multiplier, shift: q.shift, min: Math.max(-128, quantize(out, 0)), max: 127 };
    },
    eval(ctx: OpContext, d: ReluData): void {
      const input = ctx.input(0), out = ctx.output(0);
      const n = input.size;
      if (input.type === 'float32') {
        const x = input.data as Float32Array, y = out.data as Float32Array;
        for (let i = 0; i < n; i++) y[i] = Math.min(d.max, Math.max(0, x[i]!));
        return;
      }
      const x = input.data as Int8Array, y = out.data as Int8Array;
      for (let i = 0; i < n; i++) {
        let v = six ? x[i]! : out.zeroPoint + multiplyByQuantizedMultiplier(x[i]! - input.zeroPoint, d.multiplier, d.shift);
        v = v < d.min ? d.min : v > d.max ? d.max : v;
        y[i] = v;
      }
    },
  });
}

export const relu = makeRelu(false);
export const relu6 = makeRelu(true);
