/**
 * CONV_2D (TFLM conv.cc + reference_integer_ops::ConvPerChannel), NHWC input, OHWI filter.
 * int8: per-channel symmetric weights (the filter zero point is not applied, as in TFLM), int32
 * accumulator, bias, per-channel double-rounding requantization, output zero point, activation
 * clamp. Points outside the image contribute nothing (implicit padding with the input zero point).
 * float32 follows reference_ops::Conv.
 * Paths: `convPerChannelInt8Reference` is the specification; int8 with a constant filter, dilation 1
 * and no groups runs fast/conv-int8-simd.ts (WebAssembly SIMD, byte-equal, see
 * test/interpreter/perf-kernels.test.ts); the JS pointwise / zero-point-padded loops below are the
 * fallback when WebAssembly SIMD is unavailable.
 */
import { multiplyByQuantizedMultiplier } from '../fixed-point.js';
import { defineKernel, type OpContext } from '../kernel.js';
import { activationRangeFloat, activationRangeQuantized, perChannelMultipliers, prepareConvSpatial, type ChannelRequantizer } from '../kernel-util.js';
import { ConvInt8Simd } from '../fast/conv-int8-simd.js';

/** Geometry and quantization of an int8 CONV_2D, as `convPerChannelInt8Reference` reads them. */
export interface ConvInt8Params {
  batches: number; inH: number; inW: number; inC: number;
  outH: number; outW: number; outC: number;
  fH: number; fW: number; filterInC: number;
  strideH: number; strideW: number; dilH: number; dilW: number; padH: number; padW: number;
  /** -input zero point. */
  inputOffset: number; outputOffset: number;
  multiplier: Int32Array; shift: Int32Array; actMin: number; actMax: number;
  /**
   * Replaces TFLM's double-rounding requantization when set (tflite-arithmetic/: the TFLite
   * runtime's fp32 rescale); the reference loops are then the only path.
   */
  requantize?: ChannelRequantizer;
}

interface ConvData {
  batches: number; inH: number; inW: number; inC: number;
  outH: number; outW: number; outC: number;
  fH: number; fW: number; filterInC: number;
  strideH: number; strideW: number; dilH: number; dilW: number; padH: number; padW: number;
  inputOffset: number; outputOffset: number;
  multiplier: Int32Array; shift: Int32Array; actMin: number; actMax: number;
  /**
   * int8, dilation 1: the input copied into a zero-point-filled border (allocated once), so the
   * inner loop needs no bounds checks; padded pixels then contribute w * (zp - zp) = 0, exactly
   * TFLM's "skip outside the image". Row sums of the filter let the loop drop the offset add.
   */
  padded: Int8Array | null; padHeight: number; padWidth: number; filterSums: Float64Array | null;
  /** WebAssembly SIMD accumulation (dilation 1, ungrouped), null when unavailable. */
  simd: ConvInt8Simd | null;
}

export const conv2d = defineKernel<ConvData>({
  prepare(ctx: OpContext): ConvData {
    const o = ctx.op.options;
    if (o.kind !== 'Conv2DOptions') ctx.invalid('missing Conv2DOptions');
    const input = ctx.input(0), filter = ctx.input(1), bias = ctx.optionalInput(2), output = ctx.output(0);
    ctx.check(input.shape.length === 4 && filter.shape.length === 4 && output.shape.length === 4, 'conv tensors must be 4-D');
    const [batches, inH, inW, inC] = input.shape as [number, number, number, number];
    const [outC, fH, fW, filterInC] = filter.shape as [number, number, number, number];
    ctx.check(filterInC > 0 && inC % filterInC === 0, `input channels ${inC} not a multiple of filter channels ${filterInC}`);
    const groups = inC / filterInC;
    ctx.check(outC % groups === 0, `output channels ${outC} not divisible into ${groups} groups`);
    const { outH, outW, padH, padW } = prepareConvSpatial(ctx, o, input, fH, fW, outC, output, bias);
    const geom = { batches, inH, inW, inC, outH, outW, outC, fH, fW, filterInC, strideH: o.strideH, strideW: o.strideW, dilH: o.dilationH, dilW: o.dilationW, padH, padW };
    if (input.type === 'float32') {
      ctx.check(filter.type === 'float32' && output.type === 'float32', 'float32 conv needs float32 filter and output');
      const [actMin, actMax] = activationRangeFloat(ctx, o.activation);
      return { ...geom, inputOffset: 0, outputOffset: 0, multiplier: new Int32Array(0), shift: new Int32Array(0), actMin, actMax, padded: null, padHeight: 0, padWidth: 0, filterSums: null, simd: null };
    }
    if (!(input.type === 'int8' && filter.type === 'int8' && output.type === 'int8')) ctx.unsupported(`input ${input.type}, filter ${filter.type}, output ${output.type}`);
    if (bias) ctx.check(bias.type === 'int32', `bias type ${bias.type} (int32 expected)`);
    const { multiplier, shift } = perChannelMultipliers(ctx, input, filter, output, outC);
    const [actMin, actMax] = activationRangeQuantized(ctx, o.activation, output);
    const simd = o.dilationH === 1 && o.dilationW === 1 && filterInC === inC && filter.isConstant
      ? ConvInt8Simd.create({ inH, inW, inC, outH, outW, outC, fH, fW, strideH: o.strideH, strideW: o.strideW, padH, padW }, filter.data as Int8Array,
        { inputZeroPoint: input.zeroPoint, outputZeroPoint: output.zeroPoint, multiplier, shift, actMin, actMax })
      : null;
    let padded: Int8Array | null = null, padHeight = 0, padWidth = 0, filterSums: Float64Array | null = null;
    if (simd === null && o.dilationH === 1 && o.dilationW === 1 && outH > 0 && outW > 0) { // JS fallback's buffers
      padHeight = Math.max((outH - 1) * o.strideH + fH, padH + inH);
      padWidth = Math.max((outW - 1) * o.strideW + fW, padW + inW);
      padded = new Int8Array(batches * padHeight * padWidth * inC).fill(input.zeroPoint);
      const w = filter.data as Int8Array;
      const k = fH * fW * filterInC;
      filterSums = new Float64Array(outC);
      for (let oc = 0; oc < outC; oc++) for (let i = 0; i < k; i++) filterSums[oc] += w[oc * k + i]!;
    }
    return { ...geom, inputOffset: -input.zeroPoint, outputOffset: output.zeroPoint, multiplier, shift, actMin, actMax, padded, padHeight, padWidth, filterSums, simd };
  },

  eval(ctx: OpContext, d: ConvData): void {
    const input = ctx.input(0), filter = ctx.input(1), bias = ctx.optionalInput(2), output = ctx.output(0);
    if (input.type === 'float32') {
      convFloat32(input.data as Float32Array, filter.data as Float32Array, bias ? (bias.data as Float32Array) : null, output.data as Float32Array, d);
    } else {
      convInt8(input.data as Int8Array, filter.data as Int8Array, bias ? (bias.data as Int32Array) : null, output.data as Int8Array, d);
    }
  },
});

/** int8 path, kept monomorphic (one element type per function) so the JIT keeps it tight. */
function convInt8(x: Int8Array, w: Int8Array, b: Int32Array | null, y: Int8Array, d: ConvData): void {
  const { batches, inH, inW, inC, outH, outW, fH, fW, filterInC, strideH, strideW, padH, padW } = d;
  if (d.simd !== null) {
    d.simd.invoke(x, b, y, batches);
    return;
  }
  if (fH === 1 && fW === 1 && strideH === 1 && strideW === 1 && padH === 0 && padW === 0 && filterInC === inC && inH === outH && inW === outW) {
    pointwiseInt8(x, w, b, y, d, batches * inH * inW);
    return;
  }
  if (d.padded !== null && d.filterSums !== null) {
    paddedConvInt8(x, w, b, y, d, d.padded, d.filterSums);
    return;
  }
  convPerChannelInt8Reference(x, w, b, y, d);
}

/**
 * The straightforward transcription of TFLM reference_integer_ops::ConvPerChannel (any stride,
 * dilation, padding, groups): the specification the fast paths are tested against, byte for byte.
 */
export function convPerChannelInt8Reference(x: Int8Array, w: Int8Array, b: Int32Array | null, y: Int8Array, d: ConvInt8Params): void {
  const { batches, inH, inW, inC, outH, outW, outC, fH, fW, filterInC, strideH, strideW, dilH, dilW, padH, padW, actMin, actMax } = d;
  const filtersPerGroup = outC / (inC / filterInC);
  const inOff = d.inputOffset, outOff = d.outputOffset, mult = d.multiplier, shift = d.shift, rq = d.requantize;
  for (let n = 0; n < batches; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const inYOrigin = oy * strideH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const inXOrigin = ox * strideW - padW;
        const yBase = ((n * outH + oy) * outW + ox) * outC;
        for (let oc = 0; oc < outC; oc++) {
          const icBase = ((oc / filtersPerGroup) | 0) * filterInC;
          let acc = 0;
          for (let fy = 0; fy < fH; fy++) {
            const iy = inYOrigin + dilH * fy;
            if (iy < 0 || iy >= inH) continue;
            for (let fx = 0; fx < fW; fx++) {
              const ix = inXOrigin + dilW * fx;
              if (ix < 0 || ix >= inW) continue;
              const xBase = ((n * inH + iy) * inW + ix) * inC + icBase;
              const wBase = ((oc * fH + fy) * fW + fx) * filterInC;
              for (let ic = 0; ic < filterInC; ic++) acc += w[wBase + ic]! * (x[xBase + ic]! + inOff);
            }
          }
          if (b !== null) acc += b[oc]!;
          let v = (rq ? rq(acc | 0, oc) : multiplyByQuantizedMultiplier(acc | 0, mult[oc]!, shift[oc]!)) + outOff;
          v = v < actMin ? actMin : v > actMax ? actMax : v;
          y[yBase + oc] = v;
        }
      }
    }
  }
}

/** Dilation-1 convolution over the zero-point-padded input copy: no bounds checks in the loops. */
function paddedConvInt8(x: Int8Array, w: Int8Array, b: Int32Array | null, y: Int8Array, d: ConvData, xp: Int8Array, filterSums: Float64Array): void {
  const { batches, inH, inW, inC, outH, outW, outC, fH, fW, filterInC, strideH, strideW, padH, padW, actMin, actMax, padHeight: PH, padWidth: PW } = d;
  const inOff = d.inputOffset, outOff = d.outputOffset, mult = d.multiplier, shift = d.shift;
  const rowLen = inW * inC;
  for (let n = 0; n < batches; n++) {
    for (let iy = 0; iy < inH; iy++) xp.set(x.subarray((n * inH + iy) * rowLen, (n * inH + iy + 1) * rowLen), ((n * PH + iy + padH) * PW + padW) * inC);
  }
  const filtersPerGroup = outC / (inC / filterInC);
  const base = new Float64Array(outC);
  for (let oc = 0; oc < outC; oc++) base[oc] = inOff * filterSums[oc]! + (b !== null ? b[oc]! : 0);
  const grouped = filterInC !== inC;
  const span = fW * filterInC; // contiguous run per filter row when not grouped
  const span4 = span & ~3;
  for (let n = 0; n < batches; n++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const yBase = ((n * outH + oy) * outW + ox) * outC;
        const pixBase = ((n * PH + oy * strideH) * PW + ox * strideW) * inC;
        for (let oc = 0; oc < outC; oc++) {
          let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
          if (!grouped) {
            for (let fy = 0; fy < fH; fy++) {
              const xb = pixBase + fy * PW * inC;
              const wb = (oc * fH + fy) * span;
              let i = 0;
              for (; i < span4; i += 4) {
                a0 += w[wb + i]! * xp[xb + i]!;
                a1 += w[wb + i + 1]! * xp[xb + i + 1]!;
                a2 += w[wb + i + 2]! * xp[xb + i + 2]!;
                a3 += w[wb + i + 3]! * xp[xb + i + 3]!;
              }
              for (; i < span; i++) a0 += w[wb + i]! * xp[xb + i]!;
            }
          } else {
            const icBase = ((oc / filtersPerGroup) | 0) * filterInC;
            for (let fy = 0; fy < fH; fy++) {
              for (let fx = 0; fx < fW; fx++) {
                const xb = pixBase + (fy * PW + fx) * inC + icBase;
                const wb = ((oc * fH + fy) * fW + fx) * filterInC;
                for (let ic = 0; ic < filterInC; ic++) a0 += w[wb + ic]! * xp[xb + ic]!;
              }
            }
          }
          const acc = (a0 + a1 + a2 + a3 + base[oc]!) | 0;
          let v = multiplyByQuantizedMultiplier(acc, mult[oc]!, shift[oc]!) + outOff;
          v = v < actMin ? actMin : v > actMax ? actMax : v;
          y[yBase + oc] = v;
        }
      }
    }
  }
}

/**
 * 1x1, stride 1, unpadded convolution as a matrix product. sum(w * (x + off)) is computed as
 * sum(w * x) + off * sum(w): the same integer (all terms are exact), with one add less per MAC.
 */
function pointwiseInt8(x: Int8Array, w: Int8Array, b: Int32Array | null, y: Int8Array, d: ConvData, pixels: number): void {
  const C = d.inC, K = d.outC, { actMin, actMax } = d;
  const inOff = d.inputOffset, outOff = d.outputOffset, mult = d.multiplier, shift = d.shift;
  const base = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let ws = 0;
    for (let c = 0; c < C; c++) ws += w[k * C + c]!;
    base[k] = ws * inOff + (b !== null ? b[k]! : 0);
  }
  const C4 = C & ~3;
  for (let p = 0; p < pixels; p++) {
    const xb = p * C, yb = p * K;
    for (let k = 0; k < K; k++) {
      const wb = k * C;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      let c = 0;
      for (; c < C4; c += 4) {
        a0 += w[wb + c]! * x[xb + c]!;
        a1 += w[wb + c + 1]! * x[xb + c + 1]!;
        a2 += w[wb + c + 2]! * x[xb + c + 2]!;
        a3 += w[wb + c + 3]! * x[xb + c + 3]!;
      }
      for (; c < C; c++) a0 += w[wb + c]! * x[xb + c]!;
      const acc = (a0 + a1 + a2 + a3 + base[k]!) | 0;
      let v = multiplyByQuantizedMultiplier(acc, mult[k]!, shift[k]!) + outOff;
      v = v < actMin ? actMin : v > actMax ? actMax : v;
      y[yb + k] = v;
    }
  }
}

/** float32 path (reference_ops::Conv): float accumulation in filter order. */
function convFloat32(x: Float32Array, w: Float32Array, b: Float32Array | null, y: Float32Array, d: ConvData): void {
  const { batches, inH, inW, inC, outH, outW, outC, fH, fW, filterInC, strideH, strideW, dilH, dilW, padH, padW, actMin, actMax } = d;
  const filtersPerGroup = outC / (inC / filterInC);
  const f = Math.fround;
  for (let n = 0; n < batches; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const inYOrigin = oy * strideH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const inXOrigin = ox * strideW - padW;
        const yBase = ((n * outH + oy) * outW + ox) * outC;
        for (let oc = 0; oc < outC; oc++) {
          const icBase = ((oc / filtersPerGroup) | 0) * filterInC;
          let acc = 0;
          for (let fy = 0; fy < fH; fy++) {
            const iy = inYOrigin + dilH * fy;
            if (iy < 0 || iy >= inH) continue;
            for (let fx = 0; fx < fW; fx++) {
              const ix = inXOrigin + dilW * fx;
              if (ix < 0 || ix >= inW) continue;
              const xBase = ((n * inH + iy) * inW + ix) * inC + icBase;
              const wBase = ((oc * fH + fy) * fW + fx) * filterInC;
              for (let ic = 0; ic < filterInC; ic++) acc = f(acc + f(x[xBase + ic]! * w[wBase + ic]!));
            }
          }
          if (b !== null) acc = f(acc + b[oc]!);
          y[yBase + oc] = Math.min(actMax, Math.max(actMin, acc));
        }
      }
    }
  }
}
