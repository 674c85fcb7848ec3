/**
 * The fused activation's bounds as the TFLite runtime's XNNPACK path computes them: the float
 * bounds (0 for RELU, 6 for RELU6, ...) are quantized as lrintf(bound / scale + zero_point) in
 * float32 (ties to even), then clamped to the int8 range. TFLM rounds bound / scale half away from
 * zero before adding the zero point (kernel-util.ts activationRangeQuantized).
 */
import type { OpContext } from '../kernel.js';
import type { RuntimeTensor } from '../tensor.js';
import type { FusedActivation } from '../tflite/schema.js';
import { roundHalfToEven } from './fp32-requantize.js';

const f32 = Math.fround;

function quantizeBound(bound: number, scale: number, zeroPoint: number): number {
  const v = f32(f32(f32(bound) / f32(scale)) + f32(zeroPoint));
  return roundHalfToEven(Math.min(127, Math.max(-128, v)));
}

export function activationRangeInt8Xnnpack(ctx: OpContext, activation: FusedActivation, output: RuntimeTensor): [number, number] {
  const q = (b: number): number => quantizeBound(b, output.scale, output.zeroPoint);
  switch (activation) {
    case 'NONE': return [-128, 127];
    case 'RELU': return [q(0), 127];
    case 'RELU6': return [q(0), q(6)];
    case 'RELU_N1_TO_1': return [q(-1), q(1)];
    default: return ctx.unsupported(`fused activation ${activation} on a quantized output`);
  }
}
