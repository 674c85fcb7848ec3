/** RESHAPE (and the same byte copy for SQUEEZE / EXPAND_DIMS): output bytes = input bytes. */
import { defineKernel, type OpContext } from '../kernel.js';

export const reshape = defineKernel<null>({
  prepare(ctx: OpContext): null {
    const input = ctx.input(0);
    const output = ctx.output(0);
    ctx.check(input.bytes.length === output.bytes.length, `input has ${input.size} elements but output shape [${output.shape.join(',')}] has ${output.size}`);
    ctx.check(input.type === output.type, `input type ${input.type} != output type ${output.type}`);
    return null;
  },
  eval(ctx: OpContext): void {
    const input = ctx.input(0);
    const output = ctx.output(0);
    if (input !== output) output.bytes.set(input.bytes);
  },
});
