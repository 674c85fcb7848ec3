/**
 * int8 MAX_POOL_2D with WebAssembly SIMD (i8x16.max_s over 16 channels at a time).
 *
 * Why it is exact: the input is copied into an image whose border holds -128, the smallest int8,
 * so border taps never change a window max that has at least one real tap (`create` refuses
 * geometries with an empty window; the caller then uses the reference). The image and the output
 * keep the tensor's own channel stride: a 16-channel block that runs past the last channel reads
 * the next pixel's bytes and writes junk there, but pixels are produced in increasing order, so
 * the junk is overwritten by the correct values of the next pixel (32 bytes of slack at the end).
 */
import { encodeModule, op, I32, V128, type WasmFunction } from './wasm-encoder.js';
import type { PoolGeometry } from '../kernel-util.js';

const P = { xBase: 0, yBase: 1, outH: 2, outW: 3, cBlocks: 4, fH: 5, fW: 6, tapB: 7, rowB: 8, sxB: 9, syB: 10, actMin: 11, actMax: 12 };
const L = { oy: 13, ox: 14, cb: 15, fy: 16, fx: 17, rowOrigin: 18, pixPtr: 19, cPtr: 20, rowPtr: 21, xp: 22, yp: 23, ycb: 24, v: 25 };

function maxPoolFunction(): WasmFunction {
  const { localGet: get, localSet: set, i32Const: c } = op;
  const inc = (local: number, by: number[]): number[] => [...get(local), ...by, ...op.i32Add, ...set(local)];
  const lessThan = (local: number, limit: number): number[] => [...get(local), ...get(limit), ...op.i32LtS];
  const fxLoop = op.loop([
    ...get(L.v), ...get(L.xp), ...op.v128Load(0), ...op.i8x16MaxS, ...set(L.v),
    ...inc(L.xp, get(P.tapB)), ...inc(L.fx, c(1)), ...lessThan(L.fx, P.fW), ...op.brIf(0),
  ]);
  const fyLoop = op.loop([
    ...get(L.rowPtr), ...set(L.xp), ...c(0), ...set(L.fx),
    ...fxLoop,
    ...inc(L.rowPtr, get(P.rowB)), ...inc(L.fy, c(1)), ...lessThan(L.fy, P.fH), ...op.brIf(0),
  ]);
  const cbLoop = op.loop([
    ...c(-128), ...op.i8x16Splat, ...set(L.v), ...get(L.cPtr), ...set(L.rowPtr), ...c(0), ...set(L.fy),
    ...fyLoop,
    ...get(L.ycb),
    ...get(L.v), ...get(P.actMin), ...op.i8x16Splat, ...op.i8x16MaxS, ...get(P.actMax), ...op.i8x16Splat, ...op.i8x16MinS,
    ...op.v128Store(0),
    ...inc(L.ycb, c(16)), ...inc(L.cPtr, c(16)), ...inc(L.cb, c(1)), ...lessThan(L.cb, P.cBlocks), ...op.brIf(0),
  ]);
  const oxLoop = op.loop([
    ...get(L.pixPtr), ...set(L.cPtr), ...get(L.yp), ...set(L.ycb), ...c(0), ...set(L.cb),
    ...cbLoop,
    ...inc(L.yp, get(P.tapB)), ...inc(L.pixPtr, get(P.sxB)), ...inc(L.ox, c(1)), ...lessThan(L.ox, P.outW), ...op.brIf(0),
  ]);
  const oyLoop = op.loop([
    ...get(L.rowOrigin), ...set(L.pixPtr), ...c(0), ...set(L.ox),
    ...oxLoop,
    ...inc(L.rowOrigin, get(P.syB)), ...inc(L.oy, c(1)), ...lessThan(L.oy, P.outH), ...op.brIf(0),
  ]);
  return {
    exportName: 'maxPool',
    params: 13,
    locals: [[12, I32], [1, V128]],
    body: [...get(P.yBase), ...set(L.yp), ...get(P.xBase), ...set(L.rowOrigin), ...c(0), ...set(L.oy), ...oyLoop],
  };
}

let compiled: WebAssembly.Module | null | undefined;

function maxPoolModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = encodeModule([maxPoolFunction()], 1);
    compiled = typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** One prepared int8 max pool with its own WebAssembly memory (bordered image and output). */
export class MaxPoolInt8Simd {
  private readonly image: Int8Array;
  private readonly out: Int8Array;
  private readonly padWidth: number;
  private readonly run: (...args: number[]) => void;
  private readonly args: number[];

  private constructor(readonly g: PoolGeometry, module: WebAssembly.Module) {
    const { inH, inW, channels: C, outH, outW, fH, fW, strideH, strideW, padH, padW } = g;
    const padHeight = Math.max((outH - 1) * strideH + fH, padH + inH);
    const PW = (this.padWidth = Math.max((outW - 1) * strideW + fW, padW + inW));
    const xBytes = padHeight * PW * C + 32, yBytes = outH * outW * C + 32;
    const xBase = 0, yBase = (xBytes + 15) & ~15, total = yBase + yBytes;
    const instance = new WebAssembly.Instance(module, {});
    const mem = instance.exports['mem'] as WebAssembly.Memory;
    if (total > mem.buffer.byteLength) mem.grow(Math.ceil((total - mem.buffer.byteLength) / 65536));
    this.image = new Int8Array(mem.buffer, xBase, xBytes).fill(-128);
    this.out = new Int8Array(mem.buffer, yBase, outH * outW * C);
    this.run = instance.exports['maxPool'] as unknown as (...args: number[]) => void;
    this.args = [xBase, yBase, outH, outW, Math.ceil(C / 16), fH, fW, C, PW * C, strideW * C, strideH * PW * C, g.actMin, g.actMax];
  }

  /** Null without WebAssembly SIMD or when some window has no tap inside the image. */
  static create(g: PoolGeometry): MaxPoolInt8Simd | null {
    if (g.outH <= 0 || g.outW <= 0 || g.channels <= 0) return null;
    for (let oy = 0; oy < g.outH; oy++) {
      const o = oy * g.strideH - g.padH;
      if (Math.min(g.fH, g.inH - o) <= Math.max(0, -o)) return null;
    }
    for (let ox = 0; ox < g.outW; ox++) {
      const o = ox * g.strideW - g.padW;
      if (Math.min(g.fW, g.inW - o) <= Math.max(0, -o)) return null;
    }
    const module = maxPoolModule();
    return module === null ? null : new MaxPoolInt8Simd(g, module);
  }

  invoke(x: Int8Array, y: Int8Array): void {
    const { batches, inH, inW, channels: C, outH, outW, padH, padW } = this.g;
    const rowLen = inW * C, PW = this.padWidth, a = this.args, outLen = outH * outW * C;
    for (let n = 0; n < batches; n++) {
      for (let iy = 0; iy < inH; iy++) {
        const src = (n * inH + iy) * rowLen;
        this.image.set(x.subarray(src, src + rowLen), ((iy + padH) * PW + padW) * C);
      }
      this.run(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, a[12]!);
      y.set(this.out, n * outLen);
    }
  }
}
