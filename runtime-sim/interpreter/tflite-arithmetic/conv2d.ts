/**
 * CONV_2D as the TFLite runtime computes it (XNNPACK, per-channel int8): TFLM's geometry and int32
 * sums (kernels/conv2d.ts reference loop), the fp32 rescale and XNNPACK's activation bounds.
 * float32 is TFLM's kernel unchanged.
 */
import { defineKernel, type OpContext } from '../kernel.js';
import { conv2d, convPerChannelInt8Reference, type ConvInt8Params } from '../kernels/conv2d.js';
import { activationRangeInt8Xnnpack } from './activation-range.js';
import { fp32Requantizer } from './fp32-requantize.js';

interface Data { base: unknown; int8: ConvInt8Params | null }

export const conv2dTflite = defineKernel<Data>({
  prepare(ctx: OpContext): Data {
    const base = conv2d.prepare(ctx);
    const input = ctx.input(0), filter = ctx.input(1), output = ctx.output(0);
    if (input.type !== 'int8') return { base, int8: null };
    const p = base as ConvInt8Params;
    const o = ctx.op.options;
    const [actMin, actMax] = activationRangeInt8Xnnpack(ctx, o.kind === 'Conv2DOptions' ? o.activation : 'NONE', output);
    return { base, int8: { ...p, actMin, actMax, requantize: fp32Requantizer(input.scale, filter.quantization!.scale, output.scale, p.outC) } };
  },
  eval(ctx: OpContext, d: Data): void {
    if (d.int8 === null) return conv2d.eval(ctx, d.base);
    const bias = ctx.optionalInput(2);
    convPerChannelInt8Reference(ctx.input(0).data as Int8Array, ctx.input(1).data as Int8Array, bias ? (bias.data as Int32Array) : null, ctx.output(0).data as Int8Array, d.int8);
  },
});
