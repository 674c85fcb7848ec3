/**
 * int8 AVERAGE_POOL_2D window sums with WebAssembly SIMD; the rounding division and the clamp stay
 * in JS (one per output value, exactly fast/pool-int8.ts's arithmetic).
 *
 * Why it is exact: the window of each output pixel is cut at the image border as TFLM does (the
 * pixel table holds its first input pixel, rows, columns and count); every tap's eight channels are
 * sign-extended to int32 lanes and added, so each lane holds the exact integer sum (|sum| <=
 * 128 * count, far below 2^31). Channel blocks of 8 that run past the last channel read the next
 * pixel's bytes (16 bytes of slack at the end) into lanes that are never used.
 */
import type { PoolGeometry } from '../kernel-util.js';
import { encodeModule, op, I32, V128, type WasmFunction } from './wasm-encoder.js';

function align16(n: number): number {
  return (n + 15) & ~15;
}

/**
 * sums(): for each channel block, for each output pixel (table: input byte offset, rows, cols),
 * sum the window into two i32x4 and store them at sums + (pixel * blocks + block) * 32.
 */
function sumsFunction(table: number, pixels: number, blocks: number, rowStrideB: number, pixelB: number, sums: number): WasmFunction {
  const { localGet: get, localSet: set, i32Const: c } = op;
  const inc = (local: number, by: number[]): number[] => [...get(local), ...by, ...op.i32Add, ...set(local)];
  const L = { cb: 0, p: 1, tp: 2, row: 3, col: 4, rp: 5, xp: 6, rows: 7, cols: 8, sp: 9, lo: 10, hi: 11, v: 12 };
  const colLoop = op.loop([
    ...get(L.xp), ...op.v128Load8x8S(0), ...set(L.v),
    ...get(L.lo), ...get(L.v), ...op.i32x4ExtendLowI16x8S, ...op.i32x4Add, ...set(L.lo),
    ...get(L.hi), ...get(L.v), ...op.i32x4ExtendHighI16x8S, ...op.i32x4Add, ...set(L.hi),
    ...inc(L.xp, c(pixelB)), ...inc(L.col, c(1)), ...get(L.col), ...get(L.cols), ...op.i32LtS, ...op.brIf(0),
  ]);
  const rowLoop = op.loop([
    ...get(L.rp), ...set(L.xp), ...c(0), ...set(L.col),
    ...colLoop,
    ...inc(L.rp, c(rowStrideB)), ...inc(L.row, c(1)), ...get(L.row), ...get(L.rows), ...op.i32LtS, ...op.brIf(0),
  ]);
  const pixelLoop = op.loop([
    ...op.v128Zero, ...set(L.lo), ...op.v128Zero, ...set(L.hi),
    ...get(L.tp), ...op.i32Load(0), ...get(L.cb), ...c(8), ...op.i32Mul, ...op.i32Add, ...set(L.rp),
    ...get(L.tp), ...op.i32Load(4), ...set(L.rows), ...get(L.tp), ...op.i32Load(8), ...set(L.cols), ...c(0), ...set(L.row),
    ...rowLoop,
    ...get(L.sp), ...get(L.lo), ...op.v128Store(0), ...get(L.sp), ...get(L.hi), ...op.v128Store(16),
    ...inc(L.sp, c(32 * blocks)), ...inc(L.tp, c(12)), ...inc(L.p, c(1)), ...get(L.p), ...c(pixels), ...op.i32LtS, ...op.brIf(0),
  ]);
  const blockLoop = op.loop([
    ...c(table), ...set(L.tp), ...c(0), ...set(L.p), ...get(L.cb), ...c(32), ...op.i32Mul, ...c(sums), ...op.i32Add, ...set(L.sp),
    ...pixelLoop,
    ...inc(L.cb, c(1)), ...get(L.cb), ...c(blocks), ...op.i32LtS, ...op.brIf(0),
  ]);
  return { exportName: 'sums', params: 0, locals: [[10, I32], [3, V128]], body: [...c(0), ...set(L.cb), ...blockLoop] };
}

/** One prepared int8 average pool: its own module and memory (input stage, pixel table, sums). */
export class AveragePoolInt8Simd {
  private readonly stage: Int8Array;
  private readonly sums: Int32Array;
  private readonly counts: Int32Array;
  private readonly run: () => void;
  private readonly blocks: number;

  private constructor(readonly g: PoolGeometry, windows: { offset: number; rows: number; cols: number }[]) {
    const { inH, inW, channels: C, outH, outW } = g;
    const pixels = outH * outW, blocks = (this.blocks = Math.ceil(C / 8));
    const table = 0, stage = align16(pixels * 12), sums = align16(stage + inH * inW * C + 16);
    const total = sums + pixels * blocks * 32;
    const fn = sumsFunction(table, pixels, blocks, inW * C, C, sums);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(encodeModule([fn], Math.ceil(total / 65536))), {});
    const buf = (instance.exports['mem'] as WebAssembly.Memory).buffer;
    const t = new Int32Array(buf, table, pixels * 3);
    this.counts = new Int32Array(pixels);
    windows.forEach((w, p) => {
      t[3 * p] = stage + w.offset;
      t[3 * p + 1] = w.rows;
      t[3 * p + 2] = w.cols;
      this.counts[p] = w.rows * w.cols;
    });
    this.stage = new Int8Array(buf, stage, inH * inW * C);
    this.sums = new Int32Array(buf, sums, pixels * blocks * 8);
    this.run = instance.exports['sums'] as unknown as () => void;
  }

  /** Null without WebAssembly SIMD, or when some window has no tap inside the image (the caller reports it). */
  static create(g: PoolGeometry): AveragePoolInt8Simd | null {
    if (typeof WebAssembly === 'undefined' || g.outH <= 0 || g.outW <= 0 || g.channels <= 0) return null;
    const windows: { offset: number; rows: number; cols: number }[] = [];
    for (let oy = 0; oy < g.outH; oy++) {
      const y0 = oy * g.strideH - g.padH, fy0 = Math.max(0, -y0), fy1 = Math.min(g.fH, g.inH - y0);
      for (let ox = 0; ox < g.outW; ox++) {
        const x0 = ox * g.strideW - g.padW, fx0 = Math.max(0, -x0), fx1 = Math.min(g.fW, g.inW - x0);
        if (fy1 <= fy0 || fx1 <= fx0) return null;
        windows.push({ offset: ((y0 + fy0) * g.inW + x0 + fx0) * g.channels, rows: fy1 - fy0, cols: fx1 - fx0 });
      }
    }
    try {
      return new AveragePoolInt8Simd(g, windows);
    } catch {
      return null; // no SIMD support: the JS path runs instead
    }
  }

  /** TFLM's rounding ((sum +- count/2) / count, C truncation) and the clamp, all batches. */
  invoke(x: Int8Array, y: Int8Array): void {
    const { batches, channels: C, actMin, actMax } = this.g;
    const inSize = this.stage.length, pixels = this.counts.length, B8 = this.blocks * 8, sums = this.sums, counts = this.counts;
    for (let n = 0; n < batches; n++) {
      this.stage.set(batches === 1 ? x : x.subarray(n * inSize, (n + 1) * inSize));
      this.run();
      for (let p = 0; p < pixels; p++) {
        const count = counts[p]!, half = (count / 2) | 0, yb = (n * pixels + p) * C;
        for (let c = 0; c < C; c++) {
          const s = sums[p * B8 + c]!;
          const v = s > 0 ? Math.trunc((s + half) / count) : Math.trunc((s - half) / count);
          y[yb + c] = v < actMin ? actMin : v > actMax ? actMax : v;
        }
      }
    }
  }
}
