/**
 * Fast path of int8 DEPTHWISE_CONV_2D as a WebAssembly SIMD kernel (any stride, dilation, padding
 * and depth multiplier). kernels/depthwise-conv2d.ts uses it for depth multipliers > 1 with several
 * input channels (or one dilated input channel); multiplier 1 runs depthwise-int8-lanes.ts and one
 * undilated input channel runs as a convolution (conv-int8-simd.ts), both faster.
 *
 * Why it is exact: like conv-int8-simd.ts, the input is copied per invoke into an int16 image with
 * the zero point subtracted and a zero border (padded taps then add w * 0, as TFLM skips them).
 * With a depth multiplier m the image holds each input channel m times, so output channel oc reads
 * image channel oc (= input channel oc / m) and the loop is the multiplier-1 case. Four channels
 * are accumulated per i32x4 (products and sums are int32 as in TFLM; the order of integer additions
 * does not change an int32 sum). Requantization: requantize-wasm.ts, the same rounding as
 * fixed-point.ts.
 */
import { fillChannelTable, requantizeFunction } from './requantize-wasm.js';
import { encodeModule, op, V128, I32, type WasmFunction } from './wasm-encoder.js';
import type { ConvSimdQuantization } from './conv-int8-simd.js';

/** Geometry of one DEPTHWISE_CONV_2D (NHWC input, [1, fH, fW, outC] filter). */
export interface DepthwiseSimdGeometry {
  inH: number; inW: number; inC: number;
  outH: number; outW: number; outC: number; depthMultiplier: number;
  fH: number; fW: number;
  strideH: number; strideW: number; dilH: number; dilW: number; padH: number; padW: number;
}

const P = { xBase: 0, wBase: 1, accBase: 2, outH: 3, outW: 4, cBlocks: 5, fH: 6, fW: 7, tapB: 8, dxB: 9, dyB: 10, sxB: 11, syB: 12 };
const L = { oy: 13, ox: 14, cb: 15, fy: 16, fx: 17, rowOrigin: 18, pixPtr: 19, cPtr: 20, rowPtr: 21, xp: 22, wp: 23, accPtr: 24, wcb: 25, acc: 26 };

function depthwiseAccumulateFunction(): WasmFunction {
  const { localGet: get, localSet: set, i32Const: c } = op;
  const inc = (local: number, by: number[]): number[] => [...get(local), ...by, ...op.i32Add, ...set(local)];
  const lessThan = (local: number, limit: number): number[] => [...get(local), ...get(limit), ...op.i32LtS];
  const fxLoop = op.loop([
    ...get(L.acc), ...get(L.xp), ...op.v128Load16x4S(0), ...get(L.wp), ...op.v128Load16x4S(0), ...op.i32x4Mul, ...op.i32x4Add, ...set(L.acc),
    ...inc(L.xp, get(P.dxB)), ...inc(L.wp, get(P.tapB)), ...inc(L.fx, c(1)),
    ...lessThan(L.fx, P.fW), ...op.brIf(0),
  ]);
  const fyLoop = op.loop([
    ...get(L.rowPtr), ...set(L.xp), ...c(0), ...set(L.fx),
    ...fxLoop,
    ...inc(L.rowPtr, get(P.dyB)), ...inc(L.fy, c(1)),
    ...lessThan(L.fy, P.fH), ...op.brIf(0),
  ]);
  const cbLoop = op.loop([
    ...op.v128Zero, ...set(L.acc), ...get(L.cPtr), ...set(L.rowPtr), ...get(L.wcb), ...set(L.wp), ...c(0), ...set(L.fy),
    ...fyLoop,
    ...get(L.accPtr), ...get(L.acc), ...op.v128Store(0),
    ...inc(L.accPtr, c(16)), ...inc(L.cPtr, c(8)), ...inc(L.wcb, c(8)), ...inc(L.cb, c(1)),
    ...lessThan(L.cb, P.cBlocks), ...op.brIf(0),
  ]);
  const oxLoop = op.loop([
    ...get(L.pixPtr), ...set(L.cPtr), ...get(P.wBase), ...set(L.wcb), ...c(0), ...set(L.cb),
    ...cbLoop,
    ...inc(L.pixPtr, get(P.sxB)), ...inc(L.ox, c(1)),
    ...lessThan(L.ox, P.outW), ...op.brIf(0),
  ]);
  const oyLoop = op.loop([
    ...get(L.rowOrigin), ...set(L.pixPtr), ...c(0), ...set(L.ox),
    ...oxLoop,
    ...inc(L.rowOrigin, get(P.syB)), ...inc(L.oy, c(1)),
    ...lessThan(L.oy, P.outH), ...op.brIf(0),
  ]);
  return {
    exportName: 'depthwiseAccumulate',
    params: 13,
    locals: [[13, I32], [1, V128]],
    body: [...get(P.accBase), ...set(L.accPtr), ...get(P.xBase), ...set(L.rowOrigin), ...c(0), ...set(L.oy), ...oyLoop],
  };
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel module, or null when this runtime has no WebAssembly SIMD. */
export function depthwiseSimdModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = encodeModule([depthwiseAccumulateFunction(), requantizeFunction()], 1);
    compiled = typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

type Accumulate = (...args: number[]) => void;
type Requantize = (accBase: number, yBase: number, pixels: number, outC: number, accStrideB: number, chanBase: number, outOff: number, actMin: number, actMax: number) => void;

/** One prepared depthwise convolution with its own WebAssembly memory (filter, image, accumulators, output). */
export class DepthwiseInt8Simd {
  private readonly cPad: number;
  private readonly padWidth: number;
  private readonly image: Int16Array;
  private readonly out: Int8Array;
  private readonly table: Int32Array;
  private readonly run: Accumulate;
  private readonly requantize: Requantize;
  private readonly args: number[];
  private readonly bases: { acc: number; y: number; table: number };

  private constructor(readonly g: DepthwiseSimdGeometry, module: WebAssembly.Module, filter: Int8Array, readonly q: ConvSimdQuantization) {
    const { outH, outW, outC, fH, fW, strideH, strideW, dilH, dilW, padH, padW, inH, inW } = g;
    const cPad = (this.cPad = Math.ceil(outC / 4) * 4);
    const padHeight = Math.max((outH - 1) * strideH + (fH - 1) * dilH + 1, padH + inH);
    this.padWidth = Math.max((outW - 1) * strideW + (fW - 1) * dilW + 1, padW + inW);
    const wBytes = fH * fW * cPad * 2, xBytes = padHeight * this.padWidth * cPad * 2, accBytes = outH * outW * cPad * 4;
    const wBase = 0, xBase = align16(wBytes), accBase = align16(xBase + xBytes), yBase = align16(accBase + accBytes);
    const tableBase = align16(yBase + outH * outW * outC), total = tableBase + outC * 16;
    const instance = new WebAssembly.Instance(module, {});
    const mem = instance.exports['mem'] as WebAssembly.Memory;
    if (total > mem.buffer.byteLength) mem.grow(Math.ceil((total - mem.buffer.byteLength) / 65536));
    const buf = mem.buffer; // taken after grow: growing detaches earlier views
    const w16 = new Int16Array(buf, wBase, wBytes / 2);
    for (let t = 0; t < fH * fW; t++) for (let oc = 0; oc < outC; oc++) w16[t * cPad + oc] = filter[t * outC + oc]!;
    this.image = new Int16Array(buf, xBase, xBytes / 2);
    this.out = new Int8Array(buf, yBase, outH * outW * outC);
    this.table = new Int32Array(buf, tableBase, outC * 4);
    fillChannelTable(this.table, null, q.multiplier, q.shift, outC);
    this.run = instance.exports['depthwiseAccumulate'] as unknown as Accumulate;
    this.requantize = instance.exports['requantize'] as unknown as Requantize;
    this.bases = { acc: accBase, y: yBase, table: tableBase };
    const tapB = cPad * 2, rowB = this.padWidth * tapB;
    this.args = [xBase, wBase, accBase, outH, outW, cPad / 4, fH, fW, tapB, dilW * tapB, dilH * rowB, strideW * tapB, strideH * rowB];
  }

  /** Null when WebAssembly SIMD is unavailable or the shape is degenerate (the caller falls back). */
  static create(g: DepthwiseSimdGeometry, filter: Int8Array, q: ConvSimdQuantization): DepthwiseInt8Simd | null {
    if (g.outH <= 0 || g.outW <= 0 || g.outC <= 0 || g.fH <= 0 || g.fW <= 0 || g.inC <= 0) return null;
    const module = depthwiseSimdModule();
    return module === null ? null : new DepthwiseInt8Simd(g, module, filter, q);
  }

  /** The whole int8 depthwise convolution (all batches) into `y`. */
  invoke(x: Int8Array, bias: Int32Array | null, y: Int8Array, batches: number): void {
    const { inH, inW, inC, outH, outW, outC, depthMultiplier: m, padH, padW } = this.g;
    const q = this.q, t = this.table, img = this.image, PW = this.padWidth, cPad = this.cPad, zp = q.inputZeroPoint;
    for (let c = 0; c < outC; c++) t[4 * c] = bias !== null ? bias[c]! : 0; // bias may be a live tensor
    const pixels = outH * outW;
    const a = this.args;
    for (let n = 0; n < batches; n++) {
      for (let iy = 0; iy < inH; iy++) {
        for (let ix = 0; ix < inW; ix++) {
          const src = ((n * inH + iy) * inW + ix) * inC, dst = ((iy + padH) * PW + ix + padW) * cPad;
          if (m === 1) for (let c = 0; c < inC; c++) img[dst + c] = x[src + c]! - zp;
          else for (let c = 0; c < outC; c++) img[dst + c] = x[src + ((c / m) | 0)]! - zp;
        }
      }
      this.run(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, a[12]!);
      this.requantize(this.bases.acc, this.bases.y, pixels, outC, cPad * 4, this.bases.table, q.outputZeroPoint, q.actMin, q.actMax);
      y.set(this.out, n * pixels * outC);
    }
  }
}

function align16(n: number): number {
  return (n + 15) & ~15;
}
