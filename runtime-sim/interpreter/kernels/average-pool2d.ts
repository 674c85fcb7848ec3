/**
 * AVERAGE_POOL_2D (TFLM pooling.cc + reference_integer_ops::AveragePool). The window is cut at the
 * image border and the divisor is the number of pixels actually inside (padding is not counted);
 * integer averages round half away from zero: (sum +- count/2) / count with C truncation.
 * int8 runs fast/average-pool-int8-simd.ts (window sums in WebAssembly SIMD), or fast/pool-int8.ts
 * without SIMD; both are tested byte-equal with `averagePool2dReference`.
 */
import { defineKernel, type OpContext } from '../kernel.js';
import { preparePool, type PoolGeometry } from '../kernel-util.js';
import { averagePoolInt8 } from '../fast/pool-int8.js';
import { AveragePoolInt8Simd } from '../fast/average-pool-int8-simd.js';

interface AveragePoolData { g: PoolGeometry; scratch: Int32Array; simd: AveragePoolInt8Simd | null }

export const averagePool2d = defineKernel<AveragePoolData>({
  prepare: (ctx: OpContext): AveragePoolData => {
    const g = preparePool(ctx);
    return { g, scratch: new Int32Array(g.channels), simd: ctx.input(0).type === 'int8' ? AveragePoolInt8Simd.create(g) : null };
  },
  eval(ctx: OpContext, d: AveragePoolData): void {
    const input = ctx.input(0), output = ctx.output(0);
    if (d.simd !== null) {
      d.simd.invoke(input.data as Int8Array, output.data as Int8Array);
      return;
    }
    if (input.type === 'int8' && averagePoolInt8(input.data as Int8Array, output.data as Int8Array, d.g, d.scratch)) return;
    averagePool2dReference(input.data as Int8Array | Int16Array | Float32Array, output.data as Int8Array | Int16Array | Float32Array, d.g, input.type === 'float32',
      () => ctx.invalid('pooling window entirely outside the input'));
  },
});

/** The straightforward reference loop (any element type); fast/pool-int8.ts must equal it on int8. */
export function averagePool2dReference(x: Int8Array | Int16Array | Float32Array, y: Int8Array | Int16Array | Float32Array, g: PoolGeometry, isFloat: boolean, emptyWindow: () => never): void {
  for (let n = 0; n < g.batches; n++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        const inYOrigin = oy * g.strideH - g.padH;
        const inXOrigin = ox * g.strideW - g.padW;
        const fyStart = Math.max(0, -inYOrigin), fyEnd = Math.min(g.fH, g.inH - inYOrigin);
        const fxStart = Math.max(0, -inXOrigin), fxEnd = Math.min(g.fW, g.inW - inXOrigin);
        for (let c = 0; c < g.channels; c++) {
          let acc = 0;
          let count = 0;
          for (let fy = fyStart; fy < fyEnd; fy++) {
            for (let fx = fxStart; fx < fxEnd; fx++) {
              const v = x[((n * g.inH + inYOrigin + fy) * g.inW + inXOrigin + fx) * g.channels + c]!;
              acc = isFloat ? Math.fround(acc + v) : acc + v;
              count++;
            }
          }
          const o = ((n * g.outH + oy) * g.outW + ox) * g.channels + c;
          if (count === 0) emptyWindow();
          let v: number;
          if (isFloat) v = Math.fround(acc / count);
          else v = acc > 0 ? Math.trunc((acc + Math.trunc(count / 2)) / count) : Math.trunc((acc - Math.trunc(count / 2)) / count);
          y[o] = v < g.actMin ? g.actMin : v > g.actMax ? g.actMax : v;
        }
      }
    }
  }
}
