/**
 * CONCATENATION (TFLM concatenation.cc): copies the inputs along `axis`. Like TFLM, quantized
 * inputs must share the output's scale and zero point (no requantization happens).
 */
import { defineKernel, type OpContext } from '../kernel.js';

interface ConcatData { outer: number; innerBytes: number[] }

export const concatenation = defineKernel<ConcatData>({
  prepare(ctx: OpContext): ConcatData {
    const o = ctx.op.options;
    if (o.kind !== 'ConcatenationOptions') ctx.invalid('missing ConcatenationOptions');
    if (o.activation !== 'NONE') ctx.unsupported(`fused activation ${o.activation}`);
    const out = ctx.output(0);
    const rank = out.shape.length;
    const axis = o.axis < 0 ? o.axis + rank : o.axis;
    ctx.check(axis >= 0 && axis < rank, `axis ${o.axis} out of range for rank ${rank}`);
    let outer = 1;
    for (let d = 0; d < axis; d++) outer *= out.shape[d]!;
    const innerBytes: number[] = [];
    let axisSum = 0;
    for (let i = 0; i < ctx.inputCount; i++) {
      const t = ctx.input(i);
      ctx.check(t.type === out.type, `input ${i} type ${t.type} != output ${out.type}`);
      ctx.check(t.shape.length === rank && t.shape.every((dim, k) => k === axis || dim === out.shape[k]), `input ${i} shape [${t.shape.join(',')}] does not fit output [${out.shape.join(',')}] on axis ${axis}`);
      if (t.type !== 'float32' && t.type !== 'int32' && t.type !== 'int64' && t.type !== 'bool') {
        if (t.scale !== out.scale || t.zeroPoint !== out.zeroPoint) ctx.unsupported(`input ${i} quantization differs from the output (requantizing concatenation)`);
      }
      axisSum += t.shape[axis]!;
      innerBytes.push(outer === 0 ? 0 : t.bytes.length / outer);
    }
    ctx.check(axisSum === out.shape[axis], `inputs sum to ${axisSum} on axis ${axis}, output has ${out.shape[axis]}`);
    return { outer, innerBytes };
  },
  eval(ctx: OpContext, d: ConcatData): void {
    const out = ctx.output(0).bytes;
    let pos = 0;
    for (let o = 0; o < d.outer; o++) {
      for (let i = 0; i < d.innerBytes.length; i++) {
        const n = d.innerBytes[i]!;
        out.set(ctx.input(i).bytes.subarray(o * n, (o + 1) * n), pos);
        pos += n;
      }
    }
  },
});
