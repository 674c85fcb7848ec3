/**
 * The TFLite runtime's int32 -> int8 rescale (XNNPACK's "fp32" requantization, which TFLite's
 * default CPU path uses for CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, TRANSPOSE_CONV and MUL):
 * the accumulator is converted to float32, multiplied by a float32 scale, and rounded once to the
 * nearest integer with ties to even. TFLM instead multiplies by a Q31 multiplier and rounds twice
 * (runtime-sim/interpreter/fixed-point.ts); the two disagree by 1 LSB near ties.
 *
 * Every step is a float32 operation in C (FLT_EVAL_METHOD 0 on WebAssembly), so each is
 * reproduced here with Math.fround.
 */
import type { ChannelRequantizer } from '../kernel-util.js';

const f32 = Math.fround;

/** Round to the nearest integer, ties to even (lrintf / the magic-bias trick in the default mode). */
export function roundHalfToEven(x: number): number {
  const r = Math.round(x); // ties towards +infinity
  return r - x === 0.5 && (r & 1) !== 0 ? r - 1 : r;
}

/** XNNPACK's requantization scale: input_scale * filter_scale / output_scale, in float32, in that order. */
export function fp32RequantizationScale(inputScale: number, filterScale: number, outputScale: number): number {
  return f32(f32(f32(inputScale) * f32(filterScale)) / f32(outputScale));
}

/**
 * A requantizer per output channel: round(float32(float32(acc) * scale[channel])), ties to even.
 * `filterScales` has one entry (per tensor) or one per channel.
 */
export function fp32Requantizer(inputScale: number, filterScales: ArrayLike<number>, outputScale: number, channels: number): ChannelRequantizer {
  const scale = new Float32Array(channels);
  for (let c = 0; c < channels; c++) scale[c] = fp32RequantizationScale(inputScale, filterScales.length === 1 ? filterScales[0]! : filterScales[c]!, outputScale);
  return (acc, channel) => roundHalfToEven(f32(f32(acc) * scale[channel]!));
}
