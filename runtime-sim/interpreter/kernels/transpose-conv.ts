/**
 * TRANSPOSE_CONV (TFLM transpose_conv.cc + reference_integer_ops::TransposeConv), NHWC input,
 * filter [OUT, KH, KW, IN]. Operands: 0 output_shape (int32 [4]; TFLM ignores it and takes the
 * output tensor's shape, we check they agree when it is constant), 1 filter, 2 input, 3 optional bias.
 *
 * int8: every input pixel scatters (x + input_offset) * w into an int32 scratch map of the output
 * size (TFLM's RequestScratchBufferInArena(output elements * 4)); taps that land outside the output
 * are dropped; then per element: + bias, per-channel double-rounding requantisation, + output zero
 * point, clamp. The clamp is the full int8 range: TFLM's Prepare passes kTfLiteActNone to
 * PopulateConvolutionQuantizationParams, so a fused activation in the options is ignored for int8
 * (matched on purpose; the tinyser compiler never fuses one into TRANSPOSE_CONV).
 * Padding: ComputePaddingHeightWidth on the *output* size (dilation 1), leading part only.
 * float32 follows reference_ops::TransposeConv (scatter in the same loop order, then bias and the
 * fused activation, which TFLM applies for float).
 */
import { multiplyByQuantizedMultiplier } from '../fixed-point.js';
import { defineKernel, type OpContext } from '../kernel.js';
import { activationRangeFloat, computeOutSize, computePadding, perChannelMultipliers, type ChannelRequantizer } from '../kernel-util.js';

/** Geometry and quantisation of an int8 TRANSPOSE_CONV, as `transposeConvPerChannelInt8Reference` reads them. */
export interface TransposeConvInt8Params {
  batches: number; inH: number; inW: number; inC: number;
  outH: number; outW: number; outC: number;
  fH: number; fW: number;
  strideH: number; strideW: number; padH: number; padW: number;
  /** -input zero point. */
  inputOffset: number; outputOffset: number;
  multiplier: Int32Array; shift: Int32Array; actMin: number; actMax: number;
  /**
   * Replaces TFLM's double-rounding requantization when set (tflite-arithmetic/: the TFLite
   * runtime's fp32 rescale); the reference loops are then the only path.
   */
  requantize?: ChannelRequantizer;
}

interface TransposeConvData extends TransposeConvInt8Params {
  /** int32 accumulators, one per output element (TFLM's scratch buffer). */
  scratchInt32: Int32Array;
}

export const transposeConv = defineKernel<TransposeConvData>({
  prepare(ctx: OpContext): TransposeConvData {
    const o = ctx.op.options;
    if (o.kind !== 'TransposeConvOptions') ctx.invalid('missing TransposeConvOptions');
    ctx.check(ctx.inputCount === 3 || ctx.inputCount === 4, `TRANSPOSE_CONV takes 3 or 4 inputs, got ${ctx.inputCount}`);
    const outputShape = ctx.input(0), filter = ctx.input(1), input = ctx.input(2), bias = ctx.optionalInput(3), output = ctx.output(0);
    ctx.check(input.shape.length === 4 && filter.shape.length === 4 && output.shape.length === 4, 'transpose conv tensors must be 4-D');
    const [batches, inH, inW, inC] = input.shape as [number, number, number, number];
    const [outC, fH, fW, filterInC] = filter.shape as [number, number, number, number];
    const [outN, outH, outW, outDepth] = output.shape as [number, number, number, number];
    ctx.check(filterInC === inC, `filter input depth ${filterInC} != input depth ${inC}`);
    ctx.check(outDepth === outC && outN === batches, `output shape [${output.shape.join(',')}] does not match batches ${batches} / filter outputs ${outC}`);
    ctx.check(o.strideH > 0 && o.strideW > 0, 'strides must be positive');
    if (outputShape.isConstant) {
      const want = Array.from(outputShape.data as Int32Array);
      ctx.check(want.length === 4 && want.every((d, i) => d === output.shape[i]), `output_shape operand [${want.join(',')}] != output tensor [${output.shape.join(',')}]`);
    }
    if (bias) ctx.check(bias.size === outC, `bias has ${bias.size} elements for ${outC} channels`);
    // ComputePaddingHeightWidth(stride, dilation 1, in = output size, filter, padding)
    const padH = computePadding(o.strideH, 1, outH, fH, computeOutSize(o.padding, outH, fH, o.strideH));
    const padW = computePadding(o.strideW, 1, outW, fW, computeOutSize(o.padding, outW, fW, o.strideW));
    const geom = { batches, inH, inW, inC, outH, outW, outC, fH, fW, strideH: o.strideH, strideW: o.strideW, padH, padW };
    if (input.type === 'float32') {
      ctx.check(filter.type === 'float32' && output.type === 'float32', 'float32 transpose conv needs float32 filter and output');
      const [actMin, actMax] = activationRangeFloat(ctx, o.activation);
      return { ...geom, inputOffset: 0, outputOffset: 0, multiplier: new Int32Array(0), shift: new Int32Array(0), actMin, actMax, scratchInt32: new Int32Array(0) };
    }
    if (!(input.type === 'int8' && filter.type === 'int8' && output.type === 'int8')) ctx.unsupported(`input ${input.type}, filter ${filter.type}, output ${output.type}`);
    if (bias) ctx.check(bias.type === 'int32', `bias type ${bias.type} (int32 expected)`);
    const { multiplier, shift } = perChannelMultipliers(ctx, input, filter, output, outC);
    return {
      ...geom, inputOffset: -input.zeroPoint, outputOffset: output.zeroPoint, multiplier, shift, actMin: -128, actMax: 127,
      scratchInt32: new Int32Array(batches * outH * outW * outC),
    };
  },

  eval(ctx: OpContext, d: TransposeConvData): void {
    const filter = ctx.input(1), input = ctx.input(2), bias = ctx.optionalInput(3), output = ctx.output(0);
    if (input.type === 'float32') {
      transposeConvFloat32(input.data as Float32Array, filter.data as Float32Array, bias ? (bias.data as Float32Array) : null, output.data as Float32Array, d);
    } else {
      transposeConvPerChannelInt8Reference(input.data as Int8Array, filter.data as Int8Array, bias ? (bias.data as Int32Array) : null, output.data as Int8Array, d, d.scratchInt32);
    }
  },
});

/**
 * reference_integer_ops::TransposeConv: scatter into the int32 scratch, then requantise. Integer
 * sums are exact in any order; `| 0` keeps int32 wrap-around like the C twin.
 */
export function transposeConvPerChannelInt8Reference(x: Int8Array, w: Int8Array, b: Int32Array | null, y: Int8Array, d: TransposeConvInt8Params, scratch: Int32Array): void {
  const { batches, inH, inW, inC, outH, outW, outC, fH, fW, strideH, strideW, padH, padW, actMin, actMax } = d;
  const inOff = d.inputOffset, outOff = d.outputOffset, mult = d.multiplier, shift = d.shift, rq = d.requantize;
  scratch.fill(0);
  for (let n = 0; n < batches; n++) {
    for (let iy = 0; iy < inH; iy++) {
      const oyOrigin = iy * strideH - padH;
      for (let ix = 0; ix < inW; ix++) {
        const oxOrigin = ix * strideW - padW;
        const xBase = ((n * inH + iy) * inW + ix) * inC;
        for (let fy = 0; fy < fH; fy++) {
          const oy = oyOrigin + fy;
          if (oy < 0 || oy >= outH) continue;
          for (let fx = 0; fx < fW; fx++) {
            const ox = oxOrigin + fx;
            if (ox < 0 || ox >= outW) continue;
            const sBase = ((n * outH + oy) * outW + ox) * outC;
            for (let oc = 0; oc < outC; oc++) {
              const wBase = ((oc * fH + fy) * fW + fx) * inC;
              let acc = 0;
              for (let ic = 0; ic < inC; ic++) acc += (x[xBase + ic]! + inOff) * w[wBase + ic]!;
              scratch[sBase + oc] = (scratch[sBase + oc]! + acc) | 0;
            }
          }
        }
      }
    }
  }
  const total = batches * outH * outW * outC;
  for (let i = 0, oc = 0; i < total; i++) {
    let acc = scratch[i]!;
    if (b !== null) acc = (acc + b[oc]!) | 0;
    let v = (rq ? rq(acc, oc) : multiplyByQuantizedMultiplier(acc, mult[oc]!, shift[oc]!)) + outOff;
    v = v < actMin ? actMin : v > actMax ? actMax : v;
    y[i] = v;
    if (++oc === outC) oc = 0;
  }
}

/** float32 path (reference_ops::TransposeConv): float scatter in TFLite's loop order, bias, clamp. */
function transposeConvFloat32(x: Float32Array, w: Float32Array, b: Float32Array | null, y: Float32Array, d: TransposeConvData): void {
  const { batches, inH, inW, inC, outH, outW, outC, fH, fW, strideH, strideW, padH, padW, actMin, actMax } = d;
  const f = Math.fround;
  y.fill(0);
  for (let n = 0; n < batches; n++)
    for (let iy = 0; iy < inH; iy++)
      for (let ix = 0; ix < inW; ix++)
        for (let ic = 0; ic < inC; ic++) {
          const xv = x[((n * inH + iy) * inW + ix) * inC + ic]!;
          for (let fy = 0; fy < fH; fy++)
            for (let fx = 0; fx < fW; fx++)
              for (let oc = 0; oc < outC; oc++) {
                const oy = iy * strideH - padH + fy;
                const ox = ix * strideW - padW + fx;
                if (oy < 0 || oy >= outH || ox < 0 || ox >= outW) continue;
                const o = ((n * outH + oy) * outW + ox) * outC + oc;
                y[o] = f(y[o]! + f(xv * w[((oc * fH + fy) * fW + fx) * inC + ic]!));
              }
        }
  const total = batches * outH * outW * outC;
  for (let i = 0; i < total; i++) {
    const v = b !== null ? f(y[i]! + b[i % outC]!) : y[i]!;
    y[i] = Math.min(actMax, Math.max(actMin, v));
  }
}
