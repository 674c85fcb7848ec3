/**
 * TANH (TFLM tanh.cc). int8: like LOGISTIC (Q4.27 input via a frexp multiplier, radius
 * saturation, gemmlowp::tanh), output Q0.7 with zero point 0 (scale 1/128). int16: TFLM's LUT
 * tanh for a Q3.12 input (the LSTM cell-gate case). float32: tanh in float.
 */
import { calculateInputRadius } from './softmax.js';
import { frexp, multiplyByQuantizedMultiplier, roundHalfAwayFromZero, roundingDivideByPOT, tanhFixedPoint, tanhInt16 } from '../fixed-point.js';
import { defineKernel, type OpContext } from '../kernel.js';

const INPUT_INTEGER_BITS = 4;

interface TanhData { multiplier: number; shift: number; radius: number }

export const tanh = defineKernel<TanhData>({
  prepare(ctx: OpContext): TanhData {
    const input = ctx.input(0), out = ctx.output(0);
    ctx.check(input.size === out.size && input.type === out.type, 'input and output must match in size and type');
    if (input.type === 'float32') return { multiplier: 0, shift: 0, radius: 0 };
    if (input.type === 'int8') {
      ctx.check(out.zeroPoint === 0 && Math.fround(out.scale) === 1 / 128, 'int8 TANH output must have scale 1/128 and zero point 0');
      const { q, e } = frexp(input.scale * 2 ** (31 - INPUT_INTEGER_BITS));
      return { multiplier: roundHalfAwayFromZero(q * 2 ** 31), shift: e, radius: calculateInputRadius(INPUT_INTEGER_BITS, e, 31) };
    }
    if (input.type === 'int16') {
      ctx.check(input.zeroPoint === 0 && out.zeroPoint === 0, 'int16 TANH needs zero points 0');
      if (input.scale !== 2 ** -12 || out.scale !== 2 ** -15) ctx.unsupported('int16 TANH with scales other than 2^-12 -> 2^-15');
      return { multiplier: 0, shift: 0, radius: 0 };
    }
    return ctx.unsupported(`type ${input.type}`);
  },
  eval(ctx: OpContext, d: TanhData): void {
    const input = ctx.input(0), out = ctx.output(0);
    const n = input.size;
    if (input.type === 'float32') {
      const x = input.data as Float32Array, y = out.data as Float32Array;
      for (let i = 0; i < n; i++) y[i] = Math.fround(Math.tanh(x[i]!));
      return;
    }
    if (input.type === 'int16') {
      tanhInt16(input.data as Int16Array, out.data as Int16Array, n, 0, 0);
      return;
    }
    const x = input.data as Int8Array, y = out.data as Int8Array;
    const zp = input.zeroPoint;
    for (let i = 0; i < n; i++) {
      const v = x[i]! - zp;
      if (v <= -d.radius) y[i] = -128;
      else if (v >= d.radius) y[i] = 127;
      else {
        const q4 = multiplyByQuantizedMultiplier(v, d.multiplier, d.shift);
        let o = roundingDivideByPOT(tanhFixedPoint(q4, INPUT_INTEGER_BITS), 24);
        o = o < -128 ? -128 : o > 127 ? 127 : o;
        y[i] = o;
      }
    }
  },
});
