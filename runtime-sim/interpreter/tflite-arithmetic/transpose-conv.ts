/**
 * TRANSPOSE_CONV as the TFLite runtime computes it. Its XNNPACK delegate takes an int8 transposed
 * convolution only when the filter has a single scale (per tensor; measured: per-channel filters
 * with more than one output channel stay on TFLite's builtin kernel, whose bytes equal TFLM's).
 * Delegated: TFLM's scatter of int32 sums (kernels/transpose-conv.ts reference loop), the fp32
 * rescale and XNNPACK's activation bounds; otherwise TFLM's kernel unchanged.
 */
import { defineKernel, type OpContext } from '../kernel.js';
import { transposeConv, transposeConvPerChannelInt8Reference, type TransposeConvInt8Params } from '../kernels/transpose-conv.js';
import { activationRangeInt8Xnnpack } from './activation-range.js';
import { fp32Requantizer } from './fp32-requantize.js';

interface Data { base: unknown; int8: TransposeConvInt8Params | null; scratch: Int32Array }

export const transposeConvTflite = defineKernel<Data>({
  prepare(ctx: OpContext): Data {
    const base = transposeConv.prepare(ctx);
    const filter = ctx.input(1), input = ctx.input(2), output = ctx.output(0);
    const scales = filter.quantization?.scale;
    if (input.type !== 'int8' || !scales || scales.length !== 1) return { base, int8: null, scratch: new Int32Array(0) };
    const p = base as TransposeConvInt8Params;
    const o = ctx.op.options;
    // XNNPACK applies a fused activation to int8 too (TFLM ignores it for int8)
    const [actMin, actMax] = activationRangeInt8Xnnpack(ctx, o.kind === 'TransposeConvOptions' ? o.activation : 'NONE', output);
    const int8 = { ...p, actMin, actMax, requantize: fp32Requantizer(input.scale, scales, output.scale, p.outC) };
    return { base, int8, scratch: new Int32Array(p.batches * p.outH * p.outW * p.outC) };
  },
  eval(ctx: OpContext, d: Data): void {
    if (d.int8 === null) return transposeConv.eval(ctx, d.base);
    const bias = ctx.optionalInput(3);
    transposeConvPerChannelInt8Reference(ctx.input(2).data as Int8Array, ctx.input(1).data as Int8Array, bias ? (bias.data as Int32Array) : null, ctx.output(0).data as Int8Array, d.int8, d.scratch);
  },
});
