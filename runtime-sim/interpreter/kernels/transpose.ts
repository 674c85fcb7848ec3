/**
 * TRANSPOSE (TFLM transpose.cc): a pure permutation of elements, any element type, up to 6 dims.
 * The permutation comes from the constant int32 input 1; negative entries count from the back.
 */
import { defineKernel, type OpContext } from '../kernel.js';
import { int32Data } from '../kernel-util.js';

const MAX_DIMS = 6;

interface TransposeData {
  /** For every output element, the index of the input element it copies. */
  sourceIndex: Int32Array;
}

export const transpose = defineKernel<TransposeData>({
  prepare(ctx: OpContext): TransposeData {
    const input = ctx.input(0), out = ctx.output(0);
    const permT = ctx.input(1);
    ctx.check(input.type === out.type && input.size === out.size, 'input and output must match in type and size');
    const permRaw = int32Data(permT);
    ctx.check(permRaw !== null, 'permutation must be an int32 tensor');
    const rank = input.shape.length;
    ctx.check(rank <= MAX_DIMS, `rank ${rank} exceeds ${MAX_DIMS}`);
    ctx.check(permRaw.length === rank, `permutation has ${permRaw.length} entries for rank ${rank}`);
    const perm = Array.from(permRaw, (p) => (p < 0 ? p + rank : p));
    const seen = new Set(perm);
    ctx.check(seen.size === rank && perm.every((p) => p >= 0 && p < rank), `permutation [${perm.join(',')}] is not a permutation of 0..${rank - 1}`);
    const outShape = perm.map((p) => input.shape[p]!);
    ctx.check(outShape.every((d, i) => d === out.shape[i]), `output shape [${out.shape.join(',')}] != permuted input shape [${outShape.join(',')}]`);
    const inStrides = new Array<number>(rank).fill(1);
    for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1]! * input.shape[i + 1]!;
    const sourceIndex = new Int32Array(out.size);
    const coord = new Array<number>(rank).fill(0);
    for (let o = 0; o < out.size; o++) {
      let src = 0;
      for (let k = 0; k < rank; k++) src += coord[k]! * inStrides[perm[k]!]!;
      sourceIndex[o] = src;
      for (let k = rank - 1; k >= 0; k--) {
        if (++coord[k]! < outShape[k]!) break;
        coord[k] = 0;
      }
    }
    return { sourceIndex };
  },
  eval(ctx: OpContext, d: TransposeData): void {
    const x = ctx.input(0).data, y = ctx.output(0).data;
    const src = d.sourceIndex;
    if (x instanceof BigInt64Array) {
      const yy = y as BigInt64Array;
      for (let o = 0; o < src.length; o++) yy[o] = x[src[o]!]!;
      return;
    }
    const yy = y as Exclude<typeof y, BigInt64Array>;
    for (let o = 0; o < src.length; o++) yy[o] = x[src[o]!]!;
  },
});
