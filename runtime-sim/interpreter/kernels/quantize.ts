/**
 * QUANTIZE (TFLM quantize.cc / quantize_common.cc).
 * float32 -> int8/int16: round(x / scale) + zero_point in float (AffineQuantize), clamped.
 * int8/int16 -> int8/int16/int32: Requantize with the double-rounding multiplier of
 * input_scale / output_scale: MBQM(x - in_zp) + out_zp, clamped to the output type.
 */
import { multiplyByQuantizedMultiplier, quantizeMultiplier, roundFloat32HalfAway } from '../fixed-point.js';
import { defineKernel, type OpContext } from '../kernel.js';
import { typeRange } from '../kernel-util.js';

interface QuantizeData {
  multiplier: number;
  shift: number;
  min: number;
  max: number;
}

export const quantize = defineKernel<QuantizeData>({
  prepare(ctx: OpContext): QuantizeData {
    const input = ctx.input(0), output = ctx.output(0);
    ctx.check(input.size === output.size, 'input and output sizes differ');
    ctx.check(!!output.quantization, 'output is not quantized');
    if (output.quantization.scale.length !== 1) ctx.unsupported('per-channel QUANTIZE output');
    const [min, max] = typeRange(output.type);
    const okOut = output.type === 'int8' || output.type === 'int16' || output.type === 'int32' || output.type === 'uint8';
    if (input.type === 'float32' && (output.type === 'int8' || output.type === 'int16' || output.type === 'uint8')) {
      return { multiplier: 0, shift: 0, min, max };
    }
    if ((input.type === 'int8' || input.type === 'int16' || input.type === 'uint8') && okOut) {
      const q = quantizeMultiplier(input.scale / output.scale);
      return { multiplier: q.multiplier, shift: q.shift, min, max };
    }
    return ctx.unsupported(`input ${input.type} -> output ${output.type}`);
  },
  eval(ctx: OpContext, d: QuantizeData): void {
    const input = ctx.input(0), output = ctx.output(0);
    const y = output.data as Int8Array | Int16Array | Int32Array | Uint8Array;
    const zp = output.zeroPoint;
    if (input.type === 'float32') {
      const x = input.data as Float32Array;
      const scale = Math.fround(output.scale);
      for (let i = 0; i < input.size; i++) {
        const v = roundFloat32HalfAway(Math.fround(x[i]! / scale)) + zp;
        y[i] = v < d.min ? d.min : v > d.max ? d.max : v;
      }
      return;
    }
    const x = input.data as Int8Array | Int16Array | Uint8Array;
    const inZp = input.zeroPoint;
    for (let i = 0; i < input.size; i++) {
      const v = multiplyByQuantizedMultiplier(x[i]! - inZp, d.multiplier, d.shift) + zp;
      y[i] = v < d.min ? d.min : v > d.max ? d.max : v;
    }
  },
});
