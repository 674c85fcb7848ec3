/** DEQUANTIZE (TFLM dequantize.cc): float32 = scale * (q - zero_point), computed in float32. */
import { defineKernel, type OpContext } from '../kernel.js';

export const dequantize = defineKernel<null>({
  prepare(ctx: OpContext): null {
    const input = ctx.input(0), output = ctx.output(0);
    ctx.check(input.size === output.size, 'input and output sizes differ');
    if (!['int8', 'int16', 'uint8'].includes(input.type) || output.type !== 'float32') ctx.unsupported(`input ${input.type} -> output ${output.type}`);
    ctx.check(!!input.quantization, 'input is not quantized');
    return null;
  },
  eval(ctx: OpContext): void {
    const input = ctx.input(0), output = ctx.output(0);
    const x = input.data as Int8Array | Int16Array | Uint8Array;
    const y = output.data as Float32Array;
    const scale = Math.fround(input.scale);
    const zp = input.zeroPoint;
    for (let i = 0; i < input.size; i++) y[i] = Math.fround(scale * (x[i]! - zp));
  },
});
