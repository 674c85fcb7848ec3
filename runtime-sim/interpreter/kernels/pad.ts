/**
 * PAD / PADV2 (TFLM pad.cc): pads with the output zero point for quantized tensors (PAD) or the
 * given constant (PADV2), 0 for float. Paddings are an int32 [rank, 2] constant.
 */
import { defineKernel, type OpContext } from '../kernel.js';

interface PadData { before: number[]; padValue: number; elemBytes: number }

export const pad = defineKernel<PadData>({
  prepare(ctx: OpContext): PadData {
    const input = ctx.input(0), paddings = ctx.input(1), out = ctx.output(0);
    ctx.check(paddings.isConstant && (paddings.type === 'int32' || paddings.type === 'int64'), 'paddings must be a constant int32/int64 tensor');
    const rank = input.shape.length;
    ctx.check(paddings.size === 2 * rank && out.shape.length === rank, `paddings must be [${rank},2]`);
    const p = paddings.data instanceof BigInt64Array ? Array.from(paddings.data, Number) : Array.from(paddings.data as Int32Array);
    const before: number[] = [];
    for (let d = 0; d < rank; d++) {
      ctx.check(p[2 * d]! >= 0 && p[2 * d + 1]! >= 0, 'negative padding');
      ctx.check(out.shape[d] === input.shape[d]! + p[2 * d]! + p[2 * d + 1]!, `output dim ${d} does not match the padding`);
      before.push(p[2 * d]!);
    }
    ctx.check(input.type === out.type, 'input and output types differ');
    let padValue = input.type === 'float32' ? 0 : out.zeroPoint;
    const cv = ctx.optionalInput(2);
    if (cv) padValue = Number((cv.data as ArrayLike<number>)[0] ?? 0);
    if (input.type !== 'float32' && input.type !== 'int32') {
      if (input.scale !== out.scale || input.zeroPoint !== out.zeroPoint) ctx.unsupported('input and output quantization differ');
    }
    return { before, padValue, elemBytes: input.bytes.length / Math.max(input.size, 1) };
  },
  eval(ctx: OpContext, d: PadData): void {
    const input = ctx.input(0), out = ctx.output(0);
    (out.data as Int8Array).fill(d.padValue);
    const rank = input.shape.length;
    const outStrides = new Array<number>(rank).fill(1);
    for (let k = rank - 2; k >= 0; k--) outStrides[k] = outStrides[k + 1]! * out.shape[k + 1]!;
    const idx = new Array<number>(rank).fill(0);
    const x = input.data as Int8Array, y = out.data as Int8Array;
    for (let i = 0; i < input.size; i++) {
      let o = 0;
      for (let k = 0; k < rank; k++) o += (idx[k]! + d.before[k]!) * outStrides[k]!;
      y[o] = x[i]!;
      for (let k = rank - 1; k >= 0; k--) {
        if (++idx[k]! < input.shape[k]!) break;
        idx[k] = 0;
      }
    }
  },
});
