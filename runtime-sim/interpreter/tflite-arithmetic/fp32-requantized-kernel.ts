/**
 * The shape every XNNPACK-style accumulate-then-rescale kernel here shares (CONV_2D,
 * DEPTHWISE_CONV_2D, FULLY_CONNECTED, TRANSPOSE_CONV): TFLM's kernel prepares the geometry and the
 * int32 sums exactly as for the device; for int8 the TFLM reference loop then runs with the fp32
 * rescale and XNNPACK's activation bounds instead of TFLM's. Anything else (float32, int16, or a
 * case the delegate does not take) is TFLM's kernel unchanged.
 */
import type { Kernel, OpContext } from '../kernel.js';
import type { ChannelRequantizer } from '../kernel-util.js';
import type { TfliteOperator } from '../tflite/model.js';
import type { FusedActivation } from '../tflite/schema.js';
import { activationRangeInt8Xnnpack } from './activation-range.js';
import { fp32Requantizer } from './fp32-requantize.js';
import { tfliteOverride } from './override.js';

/** What the TFLM reference loops read besides geometry. */
export interface RequantizedParams { actMin: number; actMax: number; requantize?: ChannelRequantizer }

export interface Fp32RequantizedKernelSpec<P extends RequantizedParams> {
  /** TFLM's kernel for the op (its prepare() gives P for int8). */
  tflm: Kernel<unknown>;
  /** Operand positions of the activation input, the filter and the (optional) bias. */
  operands: { input: number; filter: number; bias: number };
  outputChannels(p: P): number;
  activation(options: TfliteOperator['options']): FusedActivation;
  /** The TFLM reference loop over int32 sums, which honours `requantize`. */
  run(x: Int8Array, w: Int8Array, b: Int32Array | null, y: Int8Array, p: P): void;
  /** False when the TFLite runtime keeps the op on its builtin kernel (TFLM's bytes). */
  delegated?(ctx: OpContext): boolean;
}

export function fp32RequantizedKernel<P extends RequantizedParams>(spec: Fp32RequantizedKernelSpec<P>): Kernel<unknown> {
  const { input: xi, filter: wi, bias: bi } = spec.operands;
  return tfliteOverride<P>(spec.tflm, {
    int8(ctx: OpContext, tflmData: unknown): P | null {
      const input = ctx.input(xi), filter = ctx.input(wi), output = ctx.output(0);
      if (input.type !== 'int8' || !filter.quantization || (spec.delegated && !spec.delegated(ctx))) return null;
      const p = tflmData as P;
      const [actMin, actMax] = activationRangeInt8Xnnpack(ctx, spec.activation(ctx.op.options), output);
      return { ...p, actMin, actMax, requantize: fp32Requantizer(input.scale, filter.quantization.scale, output.scale, spec.outputChannels(p)) };
    },
    run(ctx: OpContext, p: P): void {
      const bias = ctx.optionalInput(bi);
      spec.run(ctx.input(xi).data as Int8Array, ctx.input(wi).data as Int8Array, bias ? (bias.data as Int32Array) : null, ctx.output(0).data as Int8Array, p);
    },
  });
}
