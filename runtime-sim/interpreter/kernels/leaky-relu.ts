/**
 * LEAKY_RELU (TFLM leaky_relu_common.cc). int8/int16 use two requantization multipliers computed
 * in double precision like TFLM's Prepare: identity = in_scale / out_scale for x >= in_zp and
 * alpha = in_scale * alpha / out_scale below it; both go through the default double rounding.
 */
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../fixed-point.js';
import { defineKernel, type OpContext } from '../kernel.js';
import { typeRange } from '../kernel-util.js';

interface LeakyReluData {
  alpha: number;
  identityMultiplier: number;
  identityShift: number;
  alphaMultiplier: number;
  alphaShift: number;
  min: number;
  max: number;
}

export const leakyRelu = defineKernel<LeakyReluData>({
  prepare(ctx: OpContext): LeakyReluData {
    const input = ctx.input(0), out = ctx.output(0);
    ctx.check(input.size === out.size && input.type === out.type, 'input and output must match in size and type');
    const opts = ctx.op.options;
    const alpha = opts.kind === 'LeakyReluOptions' ? opts.alpha : 0.2;
    if (input.type === 'float32') {
      return { alpha, identityMultiplier: 0, identityShift: 0, alphaMultiplier: 0, alphaShift: 0, min: -Infinity, max: Infinity };
    }
    if (input.type !== 'int8' && input.type !== 'int16') ctx.unsupported(`type ${input.type}`);
    const identity = quantizeMultiplier(input.scale / out.scale);
    const a = quantizeMultiplier((input.scale * alpha) / out.scale);
    const [min, max] = typeRange(out.type);
    return { alpha, identityMultiplier: identity.multiplier, identityShift: identity.shift, alphaMultiplier: a.multiplier, alphaShift: a.shift, min, max };
  },
  eval(ctx: OpContext, d: LeakyReluData): void {
    const input = ctx.input(0), out = ctx.output(0);
    const n = input.size;
    if (input.type === 'float32') {
      const x = input.data as Float32Array, y = out.data as Float32Array;
      for (let i = 0; i < n; i++) y[i] = x[i]! >= 0 ? x[i]! : Math.fround(x[i]! * d.alpha);
      return;
    }
    const x = input.data as Int8Array | Int16Array, y = out.data as Int8Array | Int16Array;
    const inZp = input.zeroPoint, outZp = out.zeroPoint;
    for (let i = 0; i < n; i++) {
      const v = x[i]! - inZp;
      let r = outZp + (v >= 0
        ? multiplyByQuantizedMultiplier(v, d.identityMultiplier, d.identityShift)
        : multiplyByQuantizedMultiplier(v, d.alphaMultiplier, d.alphaShift));
      r = r < d.min ? d.min : r > d.max ? d.max : r;
      y[i] = r;
    }
  },
});
