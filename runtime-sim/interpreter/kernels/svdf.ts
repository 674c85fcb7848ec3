/**
 * SVDF (TFLM svdf.cc / svdf_common.cc, EvalIntegerSvdfReference and the float reference).
 * Inputs: 0 input [batch, input_size], 1 weights_feature [filters, input_size], 2 weights_time
 * [filters, memory], 3 bias [units] (optional), 4 activation_state (variable) [batch, memory*filters].
 * Each invoke shifts the state left by one element, writes the feature matmul into the newest
 * column, then applies the time weights, reduces over rank, adds bias and requantizes.
 *
 * TFLM quirks matched on purpose: the two effective scales are computed in float32 and only then
 * widened to double; the integer path ignores the fused activation (only the int8 clamp applies);
 * the state zero point is added AFTER the state clamp and the sum wraps when narrowed to the state
 * type (int8 state with a nonzero zero point): the goldens show TFLM 90b983c2 does exactly that.
 */
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../fixed-point.js';
import { defineKernel, type OpContext } from '../kernel.js';
import { activationRangeFloat, typeRange } from '../kernel-util.js';

interface SvdfData {
  rank: number; batch: number; inputSize: number; filters: number; units: number; memory: number;
  scale1: { multiplier: number; shift: number }; scale2: { multiplier: number; shift: number };
  inputZp: number; outputZp: number; stateZp: number; stateMin: number; stateMax: number;
  actMin: number; actMax: number;
  scratch: Float64Array; scratchOut: Float64Array;
}

export const svdf = defineKernel<SvdfData>({
  prepare(ctx: OpContext): SvdfData {
    const o = ctx.op.options;
    if (o.kind !== 'SVDFOptions') ctx.invalid('missing SVDFOptions');
    ctx.check(ctx.inputCount === 5, `SVDF needs 5 inputs, has ${ctx.inputCount}`);
    const input = ctx.input(0), wf = ctx.input(1), wt = ctx.input(2), bias = ctx.optionalInput(3), state = ctx.input(4), output = ctx.output(0);
    ctx.check(input.shape.length === 2 && wf.shape.length === 2 && wt.shape.length === 2 && state.shape.length === 2 && output.shape.length === 2, 'SVDF tensors must be 2-D');
    const rank = o.rank;
    const [batch, inputSize] = input.shape as [number, number];
    const filters = wf.shape[0]!;
    ctx.check(rank > 0 && filters % rank === 0, `filters ${filters} not a multiple of rank ${rank}`);
    const units = filters / rank;
    const memory = wt.shape[1]!;
    ctx.check(wf.shape[1] === inputSize && wt.shape[0] === filters, 'weights shapes do not match input / filters');
    ctx.check(output.shape[0] === batch && output.shape[1] === units, `output shape [${output.shape.join(',')}] != [${batch},${units}]`);
    ctx.check(state.shape[0] === batch && state.shape[1] === memory * filters, 'activation state shape mismatch');
    ctx.check(state.isVariable, `activation state tensor ${state.index} is not variable`);
    if (bias) ctx.check(bias.size === units, `bias has ${bias.size} elements for ${units} units`);
    const base = {
      rank, batch, inputSize, filters, units, memory,
      scratch: new Float64Array(batch * filters), scratchOut: new Float64Array(batch * units),
    };
    if (input.type === 'float32') {
      ctx.check(wf.type === 'float32' && wt.type === 'float32' && state.type === 'float32' && output.type === 'float32', 'float SVDF needs float32 tensors');
      const [actMin, actMax] = activationRangeFloat(ctx, o.activation);
      const zero = { multiplier: 0, shift: 0 };
      return { ...base, scale1: zero, scale2: zero, inputZp: 0, outputZp: 0, stateZp: 0, stateMin: -Infinity, stateMax: Infinity, actMin, actMax };
    }
    if (!(input.type === 'int8' && wf.type === 'int8' && (wt.type === 'int16' || wt.type === 'int8') && (state.type === 'int16' || state.type === 'int8') && output.type === 'int8')) {
      ctx.unsupported(`input ${input.type}, weights ${wf.type}/${wt.type}, state ${state.type}, output ${output.type}`);
    }
    if (bias) ctx.check(bias.type === 'int32', `bias type ${bias.type}`);
    const f = Math.fround;
    const s1 = f(f(f(input.scale) * f(wf.scale)) / f(state.scale));
    const s2 = f(f(f(state.scale) * f(wt.scale)) / f(output.scale));
    const [stateMin, stateMax] = typeRange(state.type);
    return {
      ...base, scale1: quantizeMultiplier(s1), scale2: quantizeMultiplier(s2),
      inputZp: input.zeroPoint, outputZp: output.zeroPoint, stateZp: state.zeroPoint, stateMin, stateMax,
      actMin: -128, actMax: 127,
    };
  },

  eval(ctx: OpContext, d: SvdfData): void {
    const input = ctx.input(0), wf = ctx.input(1), wt = ctx.input(2), bias = ctx.optionalInput(3), state = ctx.input(4), output = ctx.output(0);
    const { batch, inputSize, filters, units, memory, rank, scratch, scratchOut } = d;
    const isFloat = input.type === 'float32';
    const s = state.data as Int8Array | Int16Array | Float32Array;
    const x = input.data as Int8Array | Float32Array;
    const w = wf.data as Int8Array | Float32Array;
    const t = wt.data as Int8Array | Int16Array | Float32Array;
    // Shift the whole state buffer left by one element (the newest column is overwritten below).
    s.copyWithin(0, 1, batch * filters * memory);
    for (let b = 0; b < batch; b++) {
      for (let r = 0; r < filters; r++) {
        let dot = 0;
        if (isFloat) {
          for (let c = 0; c < inputSize; c++) dot = Math.fround(dot + Math.fround(w[r * inputSize + c]! * x[b * inputSize + c]!));
          s[(b * filters + r) * memory + memory - 1] = dot;
        } else {
          for (let c = 0; c < inputSize; c++) dot += w[r * inputSize + c]! * (x[b * inputSize + c]! - d.inputZp);
          let v = multiplyByQuantizedMultiplier(dot | 0, d.scale1.multiplier, d.scale1.shift);
          v = v < d.stateMin ? d.stateMin : v > d.stateMax ? d.stateMax : v;
          // TFLM at the golden commit clamps first and adds the zero point after, so the sum is
          // narrowed into the state type with wrap-around (the typed-array store wraps the same way).
          s[(b * filters + r) * memory + memory - 1] = v + d.stateZp;
        }
      }
    }
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < filters; i++) {
        let acc = 0;
        const sb = (b * filters + i) * memory;
        if (isFloat) for (let j = 0; j < memory; j++) acc = Math.fround(acc + Math.fround(t[i * memory + j]! * s[sb + j]!));
        else {
          for (let j = 0; j < memory; j++) acc += t[i * memory + j]! * (s[sb + j]! - d.stateZp);
          acc |= 0;
        }
        scratch[b * filters + i] = acc;
      }
    }
    const bd = bias ? (bias.data as Int32Array | Float32Array) : null;
    const y = output.data as Int8Array | Float32Array;
    for (let b = 0; b < batch; b++) {
      for (let u = 0; u < units; u++) {
        let acc = bd ? bd[u]! : 0;
        for (let r = 0; r < rank; r++) {
          const v = scratch[b * filters + u * rank + r]!;
          acc = isFloat ? Math.fround(acc + v) : (acc + v) | 0;
        }
        scratchOut[b * units + u] = acc;
      }
    }
    for (let i = 0; i < batch * units; i++) {
      const acc = scratchOut[i]!;
      if (isFloat) {
        y[i] = Math.min(d.actMax, Math.max(d.actMin, acc));
      } else {
        let v = multiplyByQuantizedMultiplier(acc, d.scale2.multiplier, d.scale2.shift) + d.outputZp;
        v = v < -128 ? -128 : v > 127 ? 127 : v;
        y[i] = v;
      }
    }
  },
});
