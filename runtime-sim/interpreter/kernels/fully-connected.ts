/**
 * FULLY_CONNECTED (TFLM fully_connected.cc + reference_integer_ops::FullyConnected).
 * int8: acc = sum((w + w_offset) * (x + x_offset)) + bias, requantized per tensor or per channel
 * with double rounding, plus the output zero point, clamped to the fused activation range.
 * int16 activations (int8 weights, int64 bias) and float32 are also supported.
 * Paths (int8): `fullyConnectedInt8Reference` is the specification; with a constant filter and zero
 * filter offset the op runs as a 1x1 convolution on fast/conv-int8-simd.ts; otherwise the JS
 * `fullyConnectedInt8` (byte-equal, test/interpreter/perf-kernels.test.ts).
 */
import { multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplierInt64, quantizeMultiplier } from '../fixed-point.js';
import { defineKernel, type OpContext } from '../kernel.js';
import { activationRangeFloat, activationRangeQuantized, type ChannelRequantizer } from '../kernel-util.js';
import type { FullyConnectedOptions } from '../tflite/schema.js';
import { ConvInt8Simd } from '../fast/conv-int8-simd.js';

/** Shapes and quantization of a FULLY_CONNECTED, as `fullyConnectedInt8Reference` reads them. */
export interface FullyConnectedParams {
  batches: number;
  accumDepth: number;
  outputDepth: number;
  inputOffset: number;
  filterOffset: number;
  outputOffset: number;
  multiplier: Int32Array;
  shift: Int32Array;
  actMin: number;
  actMax: number;
  /**
   * Replaces TFLM's double-rounding requantization when set (tflite-arithmetic/: the TFLite
   * runtime's fp32 rescale); the reference loops are then the only path.
   */
  requantize?: ChannelRequantizer;
}

interface FullyConnectedData extends FullyConnectedParams {
  /** int8 with a constant filter: sum of each filter row (with the filter offset), else null. */
  rowSums: Float64Array | null;
  /** int8, constant filter, filter zero point 0: the product as a 1x1 convolution (WebAssembly SIMD), else null. */
  simd: ConvInt8Simd | null;
}

/**
 * int8 FULLY_CONNECTED as a 1x1 convolution over `batches` pixels of `accumDepth` channels (the
 * [outputs][depth] filter is already OHWI for 1x1): the same int32 sums, bias and per-channel or
 * per-tensor requantization. Needs a zero filter offset (TFLM's int8 FC requires it too).
 */
export function fullyConnectedInt8FastPath(p: FullyConnectedParams, w: Int8Array): ConvInt8Simd | null {
  if (p.filterOffset !== 0) return null;
  const n = p.outputDepth;
  const multiplier = p.multiplier.length === n ? p.multiplier : new Int32Array(n).fill(p.multiplier[0]!);
  const shift = p.shift.length === n ? p.shift : new Int32Array(n).fill(p.shift[0]!);
  return ConvInt8Simd.create(
    { inH: 1, inW: p.batches, inC: p.accumDepth, outH: 1, outW: p.batches, outC: n, fH: 1, fW: 1, strideH: 1, strideW: 1, padH: 0, padW: 0 }, w,
    { inputZeroPoint: -p.inputOffset, outputZeroPoint: p.outputOffset, multiplier, shift, actMin: p.actMin, actMax: p.actMax },
  );
}

export const fullyConnected = defineKernel<FullyConnectedData>({
  prepare(ctx: OpContext): FullyConnectedData {
    const opts = ctx.op.options.kind === 'FullyConnectedOptions' ? ctx.op.options : null;
    const o: FullyConnectedOptions = opts ?? { kind: 'FullyConnectedOptions', activation: 'NONE', weightsFormat: 0, keepNumDims: false, asymmetricQuantizeInputs: false };
    if (o.weightsFormat !== 0) ctx.unsupported(`weights_format ${o.weightsFormat} (only DEFAULT)`);
    const input = ctx.input(0);
    const filter = ctx.input(1);
    const bias = ctx.optionalInput(2);
    const output = ctx.output(0);
    ctx.check(filter.shape.length === 2, `filter must be 2-D, got [${filter.shape.join(',')}]`);
    const outputDepth = filter.shape[0]!;
    const accumDepth = filter.shape[1]!;
    ctx.check(accumDepth > 0 && input.size % accumDepth === 0, `input of ${input.size} elements is not a multiple of accum depth ${accumDepth}`);
    const batches = input.size / accumDepth;
    ctx.check(output.size === batches * outputDepth, `output has ${output.size} elements, expected ${batches * outputDepth}`);
    if (bias) ctx.check(bias.size === outputDepth, `bias has ${bias.size} elements, expected ${outputDepth}`);
    const base = { batches, accumDepth, outputDepth };
    if (input.type === 'float32') {
      ctx.check(filter.type === 'float32' && output.type === 'float32', `float32 input needs float32 filter and output`);
      const [actMin, actMax] = activationRangeFloat(ctx, o.activation);
      return { ...base, inputOffset: 0, filterOffset: 0, outputOffset: 0, multiplier: new Int32Array(0), shift: new Int32Array(0), actMin, actMax, rowSums: null, simd: null };
    }
    if (!((input.type === 'int8' || input.type === 'int16') && filter.type === 'int8' && output.type === input.type)) {
      ctx.unsupported(`input ${input.type}, filter ${filter.type}, output ${output.type}`);
    }
    if (bias) ctx.check(bias.type === (input.type === 'int8' ? 'int32' : 'int64'), `bias type ${bias.type} for ${input.type} input`);
    const scales = filter.quantization?.scale;
    ctx.check(!!scales, 'filter is not quantized');
    const perChannel = scales.length > 1;
    ctx.check(!perChannel || scales.length === outputDepth, `filter has ${scales.length} scales for ${outputDepth} outputs`);
    const n = perChannel ? outputDepth : 1;
    const multiplier = new Int32Array(n);
    const shift = new Int32Array(n);
    for (let c = 0; c < n; c++) {
      const q = quantizeMultiplier((input.scale * scales[c]!) / output.scale);
      multiplier[c] = q.multiplier;
      shift[c] = q.shift;
    }
    const [actMin, actMax] = activationRangeQuantized(ctx, o.activation, output);
    let rowSums: Float64Array | null = null;
    if (input.type === 'int8' && filter.isConstant) {
      const w = filter.data as Int8Array;
      rowSums = new Float64Array(outputDepth);
      for (let c = 0; c < outputDepth; c++) for (let k = 0; k < accumDepth; k++) rowSums[c] += w[c * accumDepth + k]! - filter.zeroPoint;
    }
    const params: FullyConnectedParams = { ...base, inputOffset: -input.zeroPoint, filterOffset: -filter.zeroPoint, outputOffset: output.zeroPoint, multiplier, shift, actMin, actMax };
    const simd = input.type === 'int8' && filter.isConstant ? fullyConnectedInt8FastPath(params, filter.data as Int8Array) : null;
    return { ...params, rowSums, simd };
  },

  eval(ctx: OpContext, d: FullyConnectedData): void {
    const input = ctx.input(0);
    const filter = ctx.input(1);
    const bias = ctx.optionalInput(2);
    const output = ctx.output(0);
    const { batches, accumDepth, outputDepth, actMin, actMax } = d;
    if (input.type === 'float32') {
      const x = input.data as Float32Array, w = filter.data as Float32Array, y = output.data as Float32Array;
      const b = bias ? (bias.data as Float32Array) : null;
      for (let n = 0; n < batches; n++) {
        for (let c = 0; c < outputDepth; c++) {
          let acc = 0;
          for (let k = 0; k < accumDepth; k++) acc = Math.fround(acc + Math.fround(w[c * accumDepth + k]! * x[n * accumDepth + k]!));
          if (b) acc = Math.fround(acc + b[c]!);
          y[n * outputDepth + c] = Math.min(actMax, Math.max(actMin, acc));
        }
      }
      return;
    }
    const x = input.data as Int8Array | Int16Array;
    const w = filter.data as Int8Array;
    const y = output.data as Int8Array | Int16Array;
    const perChannel = d.multiplier.length > 1;
    if (input.type === 'int16') {
      const b = bias ? (bias.data as BigInt64Array) : null;
      for (let n = 0; n < batches; n++) {
        for (let c = 0; c < outputDepth; c++) {
          let acc = 0; // |acc| < 2^53 for any realistic depth: exact
          for (let k = 0; k < accumDepth; k++) acc += (w[c * accumDepth + k]! + d.filterOffset) * x[n * accumDepth + k]!;
          let acc64 = BigInt(acc);
          if (b) acc64 += b[c]!;
          const ch = perChannel ? c : 0;
          let v = multiplyByQuantizedMultiplierInt64(acc64, d.multiplier[ch]!, d.shift[ch]!) + d.outputOffset;
          v = v < actMin ? actMin : v > actMax ? actMax : v;
          y[n * outputDepth + c] = v;
        }
      }
      return;
    }
    const b = bias ? (bias.data as Int32Array) : null;
    if (d.simd !== null) d.simd.invoke(x as Int8Array, b, y as Int8Array, 1);
    else if (d.rowSums !== null) fullyConnectedInt8(x as Int8Array, w, b, y as Int8Array, d, d.rowSums);
    else fullyConnectedInt8Reference(x as Int8Array, w, b, y as Int8Array, d);
  },
});

/** reference_integer_ops::FullyConnected for int8, transcribed directly: the specification. */
export function fullyConnectedInt8Reference(x: Int8Array, w: Int8Array, b: Int32Array | null, y: Int8Array, d: FullyConnectedParams): void {
  const { batches, accumDepth, outputDepth, actMin, actMax } = d;
  const perChannel = d.multiplier.length > 1;
  const inOff = d.inputOffset, wOff = d.filterOffset, outOff = d.outputOffset, rq = d.requantize;
  for (let n = 0; n < batches; n++) {
    const xb = n * accumDepth;
    for (let c = 0; c < outputDepth; c++) {
      const wb = c * accumDepth;
      let acc = 0;
      for (let k = 0; k < accumDepth; k++) acc += (w[wb + k]! + wOff) * (x[xb + k]! + inOff);
      if (b) acc += b[c]!;
      acc |= 0; // int32 accumulator semantics
      const ch = perChannel ? c : 0;
      let v = (rq ? rq(acc, c) : multiplyByQuantizedMultiplier(acc, d.multiplier[ch]!, d.shift[ch]!)) + outOff;
      v = v < actMin ? actMin : v > actMax ? actMax : v;
      y[n * outputDepth + c] = v;
    }
  }
}

/**
 * Fast int8 path: sum((w + wOff) * (x + inOff)) = sum((w + wOff) * x) + inOff * rowSum, all terms
 * exact integers in doubles (|sum| < 2^53), reduced to int32 once as TFLM's wrapping accumulator;
 * four independent partial sums per row so the loop is not one serial dependency chain.
 */
export function fullyConnectedInt8(x: Int8Array, w: Int8Array, b: Int32Array | null, y: Int8Array, d: FullyConnectedParams, rowSums: Float64Array): void {
  const { batches, accumDepth: K, outputDepth, actMin, actMax } = d;
  const perChannel = d.multiplier.length > 1;
  const inOff = d.inputOffset, wOff = d.filterOffset, outOff = d.outputOffset;
  const K4 = K & ~3;
  for (let n = 0; n < batches; n++) {
    const xb = n * K;
    for (let c = 0; c < outputDepth; c++) {
      const wb = c * K;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, k = 0;
      for (; k < K4; k += 4) {
        a0 += (w[wb + k]! + wOff) * x[xb + k]!;
        a1 += (w[wb + k + 1]! + wOff) * x[xb + k + 1]!;
        a2 += (w[wb + k + 2]! + wOff) * x[xb + k + 2]!;
        a3 += (w[wb + k + 3]! + wOff) * x[xb + k + 3]!;
      }
      for (; k < K; k++) a0 += (w[wb + k]! + wOff) * x[xb + k]!;
      const acc = (a0 + a1 + a2 + a3 + inOff * rowSums[c]! + (b !== null ? b[c]! : 0)) | 0;
      const ch = perChannel ? c : 0;
      let v = multiplyByQuantizedMultiplier(acc, d.multiplier[ch]!, d.shift[ch]!) + outOff;
      v = v < actMin ? actMin : v > actMax ? actMax : v;
      y[n * outputDepth + c] = v;
    }
  }
}
