/**
 * LOGISTIC (TFLM logistic.cc / logistic_common.cc).
 * int8: x - zp is rescaled into Q4.27 with a frexp-derived multiplier (positive shift allowed),
 * inputs beyond the radius saturate, otherwise gemmlowp::logistic, then Q0.31 -> Q0.8 with
 * rounding and the fixed output zero point -128 (output scale 1/256).
 * int16: TFLM's LUT logistic (the LSTM gate function) when the input scale is a power of two
 * times 2^-12 (multiplier 0 case); float32: 1 / (1 + exp(-x)).
 */
import { calculateInputRadius } from './softmax.js';
import { logisticFixedPoint, logisticInt16, multiplyByQuantizedMultiplier, roundHalfAwayFromZero, roundingDivideByPOT, frexp } from '../fixed-point.js';
import { defineKernel, type OpContext } from '../kernel.js';

const INPUT_INTEGER_BITS = 4;

interface LogisticData { multiplier: number; shift: number; radius: number }

export const logistic = defineKernel<LogisticData>({
  prepare(ctx: OpContext): LogisticData {
    const input = ctx.input(0), out = ctx.output(0);
    ctx.check(input.size === out.size && input.type === out.type, 'input and output must match in size and type');
    if (input.type === 'float32') return { multiplier: 0, shift: 0, radius: 0 };
    if (input.type === 'int8') {
      ctx.check(out.zeroPoint === -128 && Math.fround(out.scale) === 1 / 256, 'int8 LOGISTIC output must have scale 1/256 and zero point -128');
      const { q, e } = frexp(input.scale * 2 ** (31 - INPUT_INTEGER_BITS));
      return { multiplier: roundHalfAwayFromZero(q * 2 ** 31), shift: e, radius: calculateInputRadius(INPUT_INTEGER_BITS, e, 31) };
    }
    if (input.type === 'int16') {
      // Only the power-of-two case TFLM's LSTM uses: input Q3.12, output Q0.15, zero points 0.
      ctx.check(input.zeroPoint === 0 && out.zeroPoint === 0, 'int16 LOGISTIC needs zero points 0');
      if (input.scale !== 2 ** -12 || out.scale !== 2 ** -15) ctx.unsupported('int16 LOGISTIC with scales other than 2^-12 -> 2^-15');
      return { multiplier: 0, shift: 0, radius: 0 };
    }
    return ctx.unsupported(`type ${input.type}`);
  },
  eval(ctx: OpContext, d: LogisticData): void {
    const input = ctx.input(0), out = ctx.output(0);
    const n = input.size;
    if (input.type === 'float32') {
      const x = input.data as Float32Array, y = out.data as Float32Array;
      for (let i = 0; i < n; i++) y[i] = Math.fround(1 / (1 + Math.exp(-x[i]!)));
      return;
    }
    if (input.type === 'int16') {
      logisticInt16(input.data as Int16Array, out.data as Int16Array, n, 0, 0);
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
        let o = roundingDivideByPOT(logisticFixedPoint(q4, INPUT_INTEGER_BITS), 23) - 128;
        o = o < -128 ? -128 : o > 127 ? 127 : o;
        y[i] = o;
      }
    }
  },
});
