/**
 * DEPTHWISE_CONV_2D (TFLM depthwise_conv.cc + reference_integer_ops::DepthwiseConvPerChannel),
 * NHWC input, [1, H, W, in_channels * depth_multiplier] filter. Output channel
 * oc = ic * depth_multiplier + m. Same requantization as CONV_2D.
 * int8 with a constant filter runs a WebAssembly SIMD fast path (`depthwiseInt8FastPath`), tested
 * byte-equal against `depthwiseConvPerChannelInt8Reference`, which is the specification and the fallback.
 */
import { multiplyByQuantizedMultiplier } from '../fixed-point.js';
import { defineKernel, type OpContext } from '../kernel.js';
import { activationRangeFloat, activationRangeQuantized, perChannelMultipliers, prepareConvSpatial, type ChannelRequantizer } from '../kernel-util.js';
import { DepthwiseInt8Simd } from '../fast/depthwise-int8-simd.js';
import { DepthwiseInt8Lanes } from '../fast/depthwise-int8-lanes.js';
import { ConvInt8Simd } from '../fast/conv-int8-simd.js';

/** Geometry and quantization of a DEPTHWISE_CONV_2D, as `depthwiseConvPerChannelInt8Reference` reads them. */
export interface DepthwiseParams {
  batches: number; inH: number; inW: number; inC: number;
  outH: number; outW: number; outC: number; fH: number; fW: number; depthMultiplier: number;
  strideH: number; strideW: number; dilH: number; dilW: number; padH: number; padW: number;
  inputOffset: number; outputOffset: number;
  multiplier: Int32Array; shift: Int32Array; actMin: number; actMax: number;
  /**
   * Replaces TFLM's double-rounding requantization when set (tflite-arithmetic/: the TFLite
   * runtime's fp32 rescale); the reference loops are then the only path.
   */
  requantize?: ChannelRequantizer;
}

/** A prepared fast path: the whole int8 op over all batches. */
interface Int8Runner {
  invoke(x: Int8Array, bias: Int32Array | null, y: Int8Array, batches: number): void;
}

interface DepthwiseData extends DepthwiseParams {
  /** WebAssembly SIMD path (int8 with a constant filter), null when unavailable. */
  simd: Int8Runner | null;
}

/**
 * Picks the fast path for an int8 depthwise convolution with constant weights `w` ([1, fH, fW, outC]):
 * one input channel is an ordinary convolution with outC filters (dilation 1: conv-int8-simd.ts,
 * the filter transposed to OHWI); multiplier 1 uses depthwise-int8-lanes.ts; other multipliers
 * depthwise-int8-simd.ts. Null when WebAssembly SIMD is unavailable.
 */
export function depthwiseInt8FastPath(p: DepthwiseParams, w: Int8Array): Int8Runner | null {
  const q = { inputZeroPoint: -p.inputOffset, outputZeroPoint: p.outputOffset, multiplier: p.multiplier, shift: p.shift, actMin: p.actMin, actMax: p.actMax };
  if (p.inC === 1 && p.dilH === 1 && p.dilW === 1) {
    const taps = p.fH * p.fW;
    const ohwi = new Int8Array(p.outC * taps);
    for (let oc = 0; oc < p.outC; oc++) for (let t = 0; t < taps; t++) ohwi[oc * taps + t] = w[t * p.outC + oc]!;
    return ConvInt8Simd.create({ inH: p.inH, inW: p.inW, inC: 1, outH: p.outH, outW: p.outW, outC: p.outC, fH: p.fH, fW: p.fW, strideH: p.strideH, strideW: p.strideW, padH: p.padH, padW: p.padW }, ohwi, q);
  }
  if (p.depthMultiplier === 1) {
    return DepthwiseInt8Lanes.create({ inH: p.inH, inW: p.inW, channels: p.inC, outH: p.outH, outW: p.outW, fH: p.fH, fW: p.fW, strideH: p.strideH, strideW: p.strideW, dilH: p.dilH, dilW: p.dilW, padH: p.padH, padW: p.padW }, w, q);
  }
  return DepthwiseInt8Simd.create(p, w, q);
}

export const depthwiseConv2d = defineKernel<DepthwiseData>({
  prepare(ctx: OpContext): DepthwiseData {
    const o = ctx.op.options;
    if (o.kind !== 'DepthwiseConv2DOptions') ctx.invalid('missing DepthwiseConv2DOptions');
    const input = ctx.input(0), filter = ctx.input(1), bias = ctx.optionalInput(2), output = ctx.output(0);
    ctx.check(input.shape.length === 4 && filter.shape.length === 4 && output.shape.length === 4, 'depthwise conv tensors must be 4-D');
    const [batches, inH, inW, inC] = input.shape as [number, number, number, number];
    const [, fH, fW, outC] = filter.shape as [number, number, number, number];
    ctx.check(inC > 0 && outC % inC === 0, `filter channels ${outC} not a multiple of input channels ${inC}`);
    // Like TFLM, the multiplier is derived from the shapes (the option is redundant and sometimes 0).
    const depthMultiplier = outC / inC;
    const { outH, outW, padH, padW } = prepareConvSpatial(ctx, o, input, fH, fW, outC, output, bias);
    const geom = { batches, inH, inW, inC, outH, outW, outC, fH, fW, depthMultiplier, strideH: o.strideH, strideW: o.strideW, dilH: o.dilationH, dilW: o.dilationW, padH, padW };
    if (input.type === 'float32') {
      ctx.check(filter.type === 'float32' && output.type === 'float32', 'float32 depthwise conv needs float32 filter and output');
      const [actMin, actMax] = activationRangeFloat(ctx, o.activation);
      return { ...geom, inputOffset: 0, outputOffset: 0, multiplier: new Int32Array(0), shift: new Int32Array(0), actMin, actMax, simd: null };
    }
    if (!(input.type === 'int8' && filter.type === 'int8' && output.type === 'int8')) ctx.unsupported(`input ${input.type}, filter ${filter.type}, output ${output.type}`);
    if (bias) ctx.check(bias.type === 'int32', `bias type ${bias.type} (int32 expected)`);
    const { multiplier, shift } = perChannelMultipliers(ctx, input, filter, output, outC);
    const [actMin, actMax] = activationRangeQuantized(ctx, o.activation, output);
    const params: DepthwiseParams = { ...geom, inputOffset: -input.zeroPoint, outputOffset: output.zeroPoint, multiplier, shift, actMin, actMax };
    return { ...params, simd: filter.isConstant ? depthwiseInt8FastPath(params, filter.data as Int8Array) : null };
  },

  eval(ctx: OpContext, d: DepthwiseData): void {
    const input = ctx.input(0), filter = ctx.input(1), bias = ctx.optionalInput(2), output = ctx.output(0);
    if (input.type === 'float32') {
      depthwiseFloat32(input.data as Float32Array, filter.data as Float32Array, bias ? (bias.data as Float32Array) : null, output.data as Float32Array, d);
    } else if (d.simd !== null) {
      d.simd.invoke(input.data as Int8Array, bias ? (bias.data as Int32Array) : null, output.data as Int8Array, d.batches);
    } else {
      depthwiseConvPerChannelInt8Reference(input.data as Int8Array, filter.data as Int8Array, bias ? (bias.data as Int32Array) : null, output.data as Int8Array, d);
    }
  },
});

/**
 * reference_integer_ops::DepthwiseConvPerChannel (channels of one pixel accumulated together):
 * the specification fast/depthwise-int8-simd.ts is tested against, byte for byte.
 */
export function depthwiseConvPerChannelInt8Reference(x: Int8Array, w: Int8Array, b: Int32Array | null, y: Int8Array, d: DepthwiseParams): void {
  const { batches, inH, inW, inC, outH, outW, outC, fH, fW, depthMultiplier, strideH, strideW, dilH, dilW, padH, padW, actMin, actMax } = d;
  const inOff = d.inputOffset, outOff = d.outputOffset, mult = d.multiplier, shift = d.shift, rq = d.requantize;
  // Accumulate all output channels of one pixel at once so the inner loop walks contiguous memory.
  // Int32Array accumulators wrap exactly like TFLM's int32 sums.
  const acc = new Int32Array(outC);
  for (let n = 0; n < batches; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const inYOrigin = oy * strideH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const inXOrigin = ox * strideW - padW;
        const yBase = ((n * outH + oy) * outW + ox) * outC;
        if (b !== null) acc.set(b);
        else acc.fill(0);
        for (let fy = 0; fy < fH; fy++) {
          const iy = inYOrigin + dilH * fy;
          if (iy < 0 || iy >= inH) continue;
          for (let fx = 0; fx < fW; fx++) {
            const ix = inXOrigin + dilW * fx;
            if (ix < 0 || ix >= inW) continue;
            const xBase = ((n * inH + iy) * inW + ix) * inC;
            const wBase = (fy * fW + fx) * outC;
            if (depthMultiplier === 1) {
              for (let c = 0; c < inC; c++) acc[c] += w[wBase + c]! * (x[xBase + c]! + inOff);
            } else {
              for (let ic = 0; ic < inC; ic++) {
                const xv = x[xBase + ic]! + inOff;
                const ob = ic * depthMultiplier;
                for (let m = 0; m < depthMultiplier; m++) acc[ob + m] += w[wBase + ob + m]! * xv;
              }
            }
          }
        }
        for (let oc = 0; oc < outC; oc++) {
          let v = (rq ? rq(acc[oc]!, oc) : multiplyByQuantizedMultiplier(acc[oc]!, mult[oc]!, shift[oc]!)) + outOff;
          v = v < actMin ? actMin : v > actMax ? actMax : v;
          y[yBase + oc] = v;
        }
      }
    }
  }
}

function depthwiseFloat32(x: Float32Array, w: Float32Array, b: Float32Array | null, y: Float32Array, d: DepthwiseData): void {
  const { batches, inH, inW, inC, outH, outW, outC, fH, fW, depthMultiplier, strideH, strideW, dilH, dilW, padH, padW, actMin, actMax } = d;
  const f = Math.fround;
  for (let n = 0; n < batches; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const inYOrigin = oy * strideH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const inXOrigin = ox * strideW - padW;
        const yBase = ((n * outH + oy) * outW + ox) * outC;
        for (let ic = 0; ic < inC; ic++) {
          for (let m = 0; m < depthMultiplier; m++) {
            const oc = ic * depthMultiplier + m;
            let acc = 0;
            for (let fy = 0; fy < fH; fy++) {
              const iy = inYOrigin + dilH * fy;
              if (iy < 0 || iy >= inH) continue;
              for (let fx = 0; fx < fW; fx++) {
                const ix = inXOrigin + dilW * fx;
                if (ix < 0 || ix >= inW) continue;
                acc = f(acc + f(x[((n * inH + iy) * inW + ix) * inC + ic]! * w[(fy * fW + fx) * outC + oc]!));
              }
            }
            if (b !== null) acc = f(acc + b[oc]!);
            y[yBase + oc] = Math.min(actMax, Math.max(actMin, acc));
          }
        }
      }
    }
  }
}
