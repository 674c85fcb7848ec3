/**
 * FULLY_CONNECTED as the TFLite runtime computes it (XNNPACK, int8 weights per tensor or per
 * channel): TFLM's int32 sums (kernels/fully-connected.ts reference loop), the fp32 rescale,
 * XNNPACK's activation bounds. int16 and float32 are TFLM's kernel unchanged.
 */
import { defineKernel, type OpContext } from '../kernel.js';
import { fullyConnected, fullyConnectedInt8Reference, type FullyConnectedParams } from '../kernels/fully-connected.js';
import { activationRangeInt8Xnnpack } from './activation-range.js';
import { fp32Requantizer } from './fp32-requantize.js';

interface Data { base: unknown; int8: FullyConnectedParams | null }

export const fullyConnectedTflite = defineKernel<Data>({
  prepare(ctx: OpContext): Data {
    const base = fullyConnected.prepare(ctx);
    const input = ctx.input(0), filter = ctx.input(1), output = ctx.output(0);
    if (input.type !== 'int8') return { base, int8: null };
    const p = base as FullyConnectedParams;
    const o = ctx.op.options;
    const [actMin, actMax] = activationRangeInt8Xnnpack(ctx, o.kind === 'FullyConnectedOptions' ? o.activation : 'NONE', output);
    return { base, int8: { ...p, actMin, actMax, requantize: fp32Requantizer(input.scale, filter.quantization!.scale, output.scale, p.outputDepth) } };
  },
  eval(ctx: OpContext, d: Data): void {
    if (d.int8 === null) return fullyConnected.eval(ctx, d.base);
    const bias = ctx.optionalInput(2);
    fullyConnectedInt8Reference(ctx.input(0).data as Int8Array, ctx.input(1).data as Int8Array, bias ? (bias.data as Int32Array) : null, ctx.output(0).data as Int8Array, d.int8);
  },
});
