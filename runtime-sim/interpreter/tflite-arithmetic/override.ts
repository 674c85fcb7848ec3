/**
 * How every kernel of this folder is built: TFLM's kernel prepares the op as for the device (shape
 * checks, its own data); `int8` returns the TFLite runtime's parameters for the cases whose
 * arithmetic differs, or null, and then TFLM's kernel runs unchanged; `run` computes those cases.
 */
import { defineKernel, type Kernel, type OpContext } from '../kernel.js';

export interface TfliteOverrideSpec<P> {
  /** The TFLite runtime's parameters, or null where its bytes equal TFLM's. `tflmData` is TFLM's prepare() result. */
  int8(ctx: OpContext, tflmData: unknown): P | null;
  run(ctx: OpContext, p: P): void;
}

interface Data<P> { tflm: unknown; int8: P | null }

export function tfliteOverride<P>(tflm: Kernel<unknown>, spec: TfliteOverrideSpec<P>): Kernel<unknown> {
  return defineKernel<Data<P>>({
    prepare(ctx: OpContext): Data<P> {
      const data = tflm.prepare(ctx);
      return { tflm: data, int8: spec.int8(ctx, data) };
    },
    eval(ctx: OpContext, d: Data<P>): void {
      if (d.int8 === null) tflm.eval(ctx, d.tflm);
      else spec.run(ctx, d.int8);
    },
  });
}

/**
 * An op whose TFLite arithmetic differs from TFLM's and is not reproduced: refused at prepare (an
 * UnsupportedOpError naming the op, its version and index) rather than run with TFLM's numbers.
 */
export function notModelled(why: string): Kernel<unknown> {
  return defineKernel<never>({
    prepare(ctx: OpContext): never {
      return ctx.unsupported(`its arithmetic in the TFLite runtime differs from TFLM's and is not modelled (${why}); run it with arithmetic 'tflm'`);
    },
    eval(): void {},
  });
}
