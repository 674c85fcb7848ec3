/**
 * int8 fast paths of MAX_POOL_2D and AVERAGE_POOL_2D: the same arithmetic as the reference loops in
 * kernels/max-pool2d.ts and kernels/average-pool2d.ts (TFLM reference_integer_ops::MaxPool /
 * AveragePool), with the channel loop innermost so every window pixel is one contiguous run, and
 * monomorphic Int8Array / Int32Array access. Integer max and integer sums are order-independent,
 * so the results are the same bytes.
 */
import type { PoolGeometry } from '../kernel-util.js';

/** Window max over all channels of each output pixel, then the activation clamp. */
export function maxPoolInt8(x: Int8Array, y: Int8Array, g: PoolGeometry): void {
  const { batches, inH, inW, channels: C, outH, outW, fH, fW, strideH, strideW, padH, padW, actMin, actMax } = g;
  for (let n = 0; n < batches; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const inYOrigin = oy * strideH - padH;
      const fyStart = Math.max(0, -inYOrigin), fyEnd = Math.min(fH, inH - inYOrigin);
      for (let ox = 0; ox < outW; ox++) {
        const inXOrigin = ox * strideW - padW;
        const fxStart = Math.max(0, -inXOrigin), fxEnd = Math.min(fW, inW - inXOrigin);
        const yb = ((n * outH + oy) * outW + ox) * C;
        if (fyStart >= fyEnd || fxStart >= fxEnd) {
          y.fill(actMin, yb, yb + C); // empty window: the reference's max stays -inf, clamped to actMin
          continue;
        }
        let first = true;
        for (let fy = fyStart; fy < fyEnd; fy++) {
          for (let fx = fxStart; fx < fxEnd; fx++) {
            const xb = ((n * inH + inYOrigin + fy) * inW + inXOrigin + fx) * C;
            if (first) {
              for (let c = 0; c < C; c++) y[yb + c] = x[xb + c]!;
              first = false;
            } else {
              for (let c = 0; c < C; c++) {
                const v = x[xb + c]!;
                if (v > y[yb + c]!) y[yb + c] = v;
              }
            }
          }
        }
        for (let c = 0; c < C; c++) {
          const v = y[yb + c]!;
          y[yb + c] = v < actMin ? actMin : v > actMax ? actMax : v;
        }
      }
    }
  }
}

/**
 * Window average with TFLM's rounding ((sum +- count/2) / count, C truncation) and the activation
 * clamp. Returns false (writing nothing further) on a window entirely outside the input, which the
 * caller reports as the reference does.
 */
export function averagePoolInt8(x: Int8Array, y: Int8Array, g: PoolGeometry, scratch: Int32Array): boolean {
  const { batches, inH, inW, channels: C, outH, outW, fH, fW, strideH, strideW, padH, padW, actMin, actMax } = g;
  const acc = scratch;
  for (let n = 0; n < batches; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const inYOrigin = oy * strideH - padH;
      const fyStart = Math.max(0, -inYOrigin), fyEnd = Math.min(fH, inH - inYOrigin);
      for (let ox = 0; ox < outW; ox++) {
        const inXOrigin = ox * strideW - padW;
        const fxStart = Math.max(0, -inXOrigin), fxEnd = Math.min(fW, inW - inXOrigin);
        if (fyStart >= fyEnd || fxStart >= fxEnd) return false;
        const count = (fyEnd - fyStart) * (fxEnd - fxStart);
        const half = Math.trunc(count / 2);
        acc.fill(0, 0, C);
        for (let fy = fyStart; fy < fyEnd; fy++) {
          for (let fx = fxStart; fx < fxEnd; fx++) {
            const xb = ((n * inH + inYOrigin + fy) * inW + inXOrigin + fx) * C;
            for (let c = 0; c < C; c++) acc[c] += x[xb + c]!;
          }
        }
        const yb = ((n * outH + oy) * outW + ox) * C;
        for (let c = 0; c < C; c++) {
          const s = acc[c]!;
          const v = s > 0 ? Math.trunc((s + half) / count) : Math.trunc((s - half) / count);
          y[yb + c] = v < actMin ? actMin : v > actMax ? actMax : v;
        }
      }
    }
  }
  return true;
}
