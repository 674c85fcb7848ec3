/** MAX_POOL_2D (TFLM pooling.cc + reference_integer_ops::MaxPool): window max, then the activation clamp. */
import { defineKernel, type OpContext } from '../kernel.js';
import { preparePool, type PoolGeometry } from '../kernel-util.js';
import { maxPoolInt8 } from '../fast/pool-int8.js';
import { MaxPoolInt8Simd } from '../fast/max-pool-int8-simd.js';

interface MaxPoolData { g: PoolGeometry; simd: MaxPoolInt8Simd | null }

export const maxPool2d = defineKernel<MaxPoolData>({
  prepare(ctx: OpContext): MaxPoolData {
    const g = preparePool(ctx);
    return { g, simd: ctx.input(0).type === 'int8' ? MaxPoolInt8Simd.create(g) : null };
  },
  eval(ctx: OpContext, d: MaxPoolData): void {
    const input = ctx.input(0), output = ctx.output(0), g = d.g;
    if (d.simd !== null) d.simd.invoke(input.data as Int8Array, output.data as Int8Array);
    else if (input.type === 'int8') maxPoolInt8(input.data as Int8Array, output.data as Int8Array, g);
    else maxPool2dReference(input.data as Int16Array | Float32Array, output.data as Int16Array | Float32Array, g);
  },
});

/** The straightforward reference loop (any element type); fast/pool-int8.ts must equal it on int8. */
export function maxPool2dReference(x: Int8Array | Int16Array | Float32Array, y: Int8Array | Int16Array | Float32Array, g: PoolGeometry): void {
  for (let n = 0; n < g.batches; n++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        const inYOrigin = oy * g.strideH - g.padH;
        const inXOrigin = ox * g.strideW - g.padW;
        const fyStart = Math.max(0, -inYOrigin), fyEnd = Math.min(g.fH, g.inH - inYOrigin);
        const fxStart = Math.max(0, -inXOrigin), fxEnd = Math.min(g.fW, g.inW - inXOrigin);
        for (let c = 0; c < g.channels; c++) {
          let max = -Infinity;
          for (let fy = fyStart; fy < fyEnd; fy++) {
            for (let fx = fxStart; fx < fxEnd; fx++) {
              const v = x[((n * g.inH + inYOrigin + fy) * g.inW + inXOrigin + fx) * g.channels + c]!;
              if (v > max) max = v;
            }
          }
          const o = ((n * g.outH + oy) * g.outW + ox) * g.channels + c;
          y[o] = max < g.actMin ? g.actMin : max > g.actMax ? g.actMax : max;
        }
      }
    }
  }
}
