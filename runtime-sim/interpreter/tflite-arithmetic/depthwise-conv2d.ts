/**
 * DEPTHWISE_CONV_2D as the TFLite runtime computes it (XNNPACK, per-channel int8): TFLM's int32
 * sums (kernels/depthwise-conv2d.ts reference loop), the fp32 rescale, XNNPACK's activation bounds.
 */
import { defineKernel, type OpContext } from '../kernel.js';
import { depthwiseConv2d, depthwiseConvPerChannelInt8Reference, type DepthwiseParams } from '../kernels/depthwise-conv2d.js';
import { activationRangeInt8Xnnpack } from './activation-range.js';
import { fp32Requantizer } from './fp32-requantize.js';

interface Data { base: unknown; int8: DepthwiseParams | null }

export const depthwiseConv2dTflite = defineKernel<Data>({
  prepare(ctx: OpContext): Data {
    const base = depthwiseConv2d.prepare(ctx);
    const input = ctx.input(0), filter = ctx.input(1), output = ctx.output(0);
    if (input.type !== 'int8') return { base, int8: null };
    const p = base as DepthwiseParams;
    const o = ctx.op.options;
    const [actMin, actMax] = activationRangeInt8Xnnpack(ctx, o.kind === 'DepthwiseConv2DOptions' ? o.activation : 'NONE', output);
    return { base, int8: { ...p, actMin, actMax, requantize: fp32Requantizer(input.scale, filter.quantization!.scale, output.scale, p.outC) } };
  },
  eval(ctx: OpContext, d: Data): void {
    if (d.int8 === null) return depthwiseConv2d.eval(ctx, d.base);
    const bias = ctx.optionalInput(2);
    depthwiseConvPerChannelInt8Reference(ctx.input(0).data as Int8Array, ctx.input(1).data as Int8Array, bias ? (bias.data as Int32Array) : null, ctx.output(0).data as Int8Array, d.int8);
  },
});
