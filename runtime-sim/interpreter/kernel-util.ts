/**
 * Shared Prepare-time helpers of TFLM kernels (kernel_util.cc, padding.h): activation ranges,
 * padding, per-channel multipliers. Kept apart from fixed-point.ts, which is the invoke-time math.
 */
import { quantizeMultiplier, roundFloat32HalfAway } from './fixed-point.js';
import type { OpContext } from './kernel.js';
import type { RuntimeTensor } from './tensor.js';
import type { FusedActivation, Padding } from './tflite/schema.js';

export function typeRange(type: string): [number, number] {
  switch (type) {
    case 'int8': return [-128, 127];
    case 'uint8': return [0, 255];
    case 'int16': return [-32768, 32767];
    case 'int32': return [-2147483648, 2147483647];
    default: return [-Infinity, Infinity];
  }
}

/**
 * An int32 accumulator of output channel `channel` rescaled to the output's units (before its zero
 * point and the clamp). TFLM's is MultiplyByQuantizedMultiplier; tflite-arithmetic/ supplies the
 * TFLite runtime's.
 */
export type ChannelRequantizer = (acc: number, channel: number) => number;

/** CalculateActivationRangeQuantized: the fused activation's bounds in the output's quantized domain. */
export function activationRangeQuantized(ctx: OpContext, activation: FusedActivation, output: RuntimeTensor): [number, number] {
  const [qmin, qmax] = typeRange(output.type);
  const scale = Math.fround(output.scale);
  const zp = output.zeroPoint;
  // TFLM: zero_point + static_cast<int32_t>(TfLiteRound(f / scale)) with float arithmetic.
  const quantize = (f: number): number => zp + roundFloat32HalfAway(Math.fround(f / scale));
  switch (activation) {
    case 'NONE': return [qmin, qmax];
    case 'RELU': return [Math.max(qmin, quantize(0)), qmax];
    case 'RELU6': return [Math.max(qmin, quantize(0)), Math.min(qmax, quantize(6))];
    case 'RELU_N1_TO_1': return [Math.max(qmin, quantize(-1)), Math.min(qmax, quantize(1))];
    default: return ctx.unsupported(`fused activation ${activation} on a quantized output`);
  }
}

/** CalculateActivationRange for float outputs. */
export function activationRangeFloat(ctx: OpContext, activation: FusedActivation): [number, number] {
  switch (activation) {
    case 'NONE': return [-Infinity, Infinity];
    case 'RELU': return [0, Infinity];
    case 'RELU6': return [0, 6];
    case 'RELU_N1_TO_1': return [-1, 1];
    default: return ctx.unsupported(`fused activation ${activation} on a float output`);
  }
}

export function computeOutSize(padding: Padding, imageSize: number, filterSize: number, stride: number, dilation = 1): number {
  const effectiveFilter = (filterSize - 1) * dilation + 1;
  if (stride === 0) return 0;
  return padding === 'SAME' ? Math.floor((imageSize + stride - 1) / stride) : Math.floor((imageSize + stride - effectiveFilter) / stride);
}

/** Stride, dilation and padding options shared by CONV_2D and DEPTHWISE_CONV_2D. */
export interface ConvSpatialOptions {
  padding: Padding;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
}

export interface ConvSpatial {
  outH: number;
  outW: number;
  padH: number;
  padW: number;
}

/**
 * The spatial part of Conv/DepthwiseConv Prepare: output size from the padding mode, the output
 * tensor's shape and the bias length checked against it, and TFLM's leading padding.
 */
export function prepareConvSpatial(
  ctx: OpContext,
  o: ConvSpatialOptions,
  input: RuntimeTensor,
  fH: number,
  fW: number,
  outC: number,
  output: RuntimeTensor,
  bias: RuntimeTensor | null,
): ConvSpatial {
  const [batches, inH, inW] = input.shape as [number, number, number, number];
  ctx.check(o.strideH > 0 && o.strideW > 0 && o.dilationH > 0 && o.dilationW > 0, 'strides and dilations must be positive');
  const outH = computeOutSize(o.padding, inH, fH, o.strideH, o.dilationH);
  const outW = computeOutSize(o.padding, inW, fW, o.strideW, o.dilationW);
  ctx.check(output.shape[0] === batches && output.shape[1] === outH && output.shape[2] === outW && output.shape[3] === outC,
    `output shape [${output.shape.join(',')}] != computed [${batches},${outH},${outW},${outC}]`);
  if (bias) ctx.check(bias.size === outC, `bias has ${bias.size} elements for ${outC} channels`);
  return { outH, outW, padH: computePadding(o.strideH, o.dilationH, inH, fH, outH), padW: computePadding(o.strideW, o.dilationW, inW, fW, outW) };
}

/** ComputePaddingWithOffset: the leading padding (the extra odd pixel goes to the end). */
export function computePadding(stride: number, dilation: number, inSize: number, filterSize: number, outSize: number): number {
  const effectiveFilter = (filterSize - 1) * dilation + 1;
  let total = (outSize - 1) * stride + effectiveFilter - inSize;
  total = total > 0 ? total : 0;
  return Math.trunc(total / 2);
}

/** Per-channel (or per-tensor, broadcast) output multipliers as TFLM's PopulateConvolutionQuantizationParams. */
export function perChannelMultipliers(ctx: OpContext, input: RuntimeTensor, filter: RuntimeTensor, output: RuntimeTensor, channels: number): { multiplier: Int32Array; shift: Int32Array } {
  const scales = filter.quantization?.scale;
  ctx.check(!!scales && scales.length > 0, `filter tensor ${filter.index} is not quantized`);
  ctx.check(scales.length === 1 || scales.length === channels, `filter has ${scales.length} scales for ${channels} output channels`);
  const multiplier = new Int32Array(channels);
  const shift = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const filterScale = scales.length === 1 ? scales[0]! : scales[c]!;
    const effective = (input.scale * filterScale) / output.scale;
    const q = quantizeMultiplier(effective);
    multiplier[c] = q.multiplier;
    shift[c] = q.shift;
  }
  return { multiplier, shift };
}

/** Reads an int32 constant tensor (bias) or returns null. */
export function int32Data(t: RuntimeTensor | null): Int32Array | null {
  return t ? (t.data as Int32Array) : null;
}

export interface PoolGeometry {
  batches: number; inH: number; inW: number; channels: number; outH: number; outW: number;
  fH: number; fW: number; strideH: number; strideW: number; padH: number; padW: number;
  actMin: number; actMax: number;
}

/** Shared Prepare of AVERAGE_POOL_2D / MAX_POOL_2D (TFLM pooling_common.cc). */
export function preparePool(ctx: OpContext): PoolGeometry {
  const o = ctx.op.options;
  if (o.kind !== 'Pool2DOptions') ctx.invalid('missing Pool2DOptions');
  const input = ctx.input(0), output = ctx.output(0);
  ctx.check(input.shape.length === 4 && output.shape.length === 4, 'pooling tensors must be 4-D');
  ctx.check(input.type === output.type, `input type ${input.type} != output type ${output.type}`);
  ctx.check(o.strideH > 0 && o.strideW > 0 && o.filterHeight > 0 && o.filterWidth > 0, 'strides and filter sizes must be positive');
  const [batches, inH, inW, channels] = input.shape as [number, number, number, number];
  const outH = computeOutSize(o.padding, inH, o.filterHeight, o.strideH);
  const outW = computeOutSize(o.padding, inW, o.filterWidth, o.strideW);
  ctx.check(output.shape[0] === batches && output.shape[1] === outH && output.shape[2] === outW && output.shape[3] === channels,
    `output shape [${output.shape.join(',')}] != computed [${batches},${outH},${outW},${channels}]`);
  let act: [number, number];
  if (input.type === 'float32') act = activationRangeFloat(ctx, o.activation);
  else if (input.type === 'int8' || input.type === 'int16') {
    ctx.check(input.scale === output.scale && input.zeroPoint === output.zeroPoint, 'pooling input and output quantization differ');
    act = activationRangeQuantized(ctx, o.activation, output);
  } else ctx.unsupported(`type ${input.type}`);
  return {
    batches, inH, inW, channels, outH, outW, fH: o.filterHeight, fW: o.filterWidth, strideH: o.strideH, strideW: o.strideW,
    padH: computePadding(o.strideH, 1, inH, o.filterHeight, outH), padW: computePadding(o.strideW, 1, inW, o.filterWidth, outW),
    actMin: act[0], actMax: act[1],
  };
}

/**
 * NumPy/TFLite broadcasting of two inputs to an output shape: for every output element, the flat
 * index into each input (shapes are right-aligned; size-1 dimensions repeat).
 */
export function broadcastIndices(ctx: OpContext, a: readonly number[], b: readonly number[], out: readonly number[]): { ia: Int32Array; ib: Int32Array } | null {
  const same = (x: readonly number[], y: readonly number[]): boolean => x.length === y.length && x.every((d, i) => d === y[i]);
  const size = out.reduce((n, d) => n * d, 1);
  if (same(a, out) && same(b, out)) return null; // elementwise fast path
  const rank = out.length;
  ctx.check(a.length <= rank && b.length <= rank, `input ranks ${a.length}/${b.length} exceed output rank ${rank}`);
  const pad = (s: readonly number[]): number[] => [...new Array<number>(rank - s.length).fill(1), ...s];
  const pa = pad(a), pb = pad(b);
  const strides = (s: number[]): number[] => {
    const st = new Array<number>(rank).fill(0);
    let acc = 1;
    for (let d = rank - 1; d >= 0; d--) {
      st[d] = s[d] === 1 ? 0 : acc;
      acc *= s[d]!;
    }
    return st;
  };
  for (let d = 0; d < rank; d++) {
    for (const p of [pa, pb]) ctx.check(p[d] === out[d] || p[d] === 1, `shapes [${a.join(',')}] and [${b.join(',')}] do not broadcast to [${out.join(',')}]`);
  }
  const sa = strides(pa), sb = strides(pb);
  const ia = new Int32Array(size), ib = new Int32Array(size);
  const idx = new Array<number>(rank).fill(0);
  for (let i = 0; i < size; i++) {
    let oa = 0, ob = 0;
    for (let d = 0; d < rank; d++) {
      oa += idx[d]! * sa[d]!;
      ob += idx[d]! * sb[d]!;
    }
    ia[i] = oa;
    ib[i] = ob;
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < out[d]!) break;
      idx[d] = 0;
    }
  }
  return { ia, ib };
}
