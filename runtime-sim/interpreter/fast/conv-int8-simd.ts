/**
 * Fast path of int8 CONV_2D accumulation (dilation 1, ungrouped) as a WebAssembly SIMD kernel.
 *
 * Why it is exact: TFLM's ConvPerChannel accumulates sum(w * (x + input_offset)) in an int32. Here
 * the input is copied once per invoke into an int16 image with the zero point already subtracted
 * (x - zp in [-255, 255]) and a border of zeros (a padded pixel then contributes w * 0, exactly
 * TFLM's "skip points outside the image"). Products w * (x - zp) fit in 16 x 8 bits, pairs of them
 * in i32x4.dot_i16x8_s lanes without overflow, and int32 addition is associative modulo 2^32, so
 * any summation order gives TFLM's int32 accumulator bit for bit. Requantization stays in the
 * caller (the shared fixed-point helpers).
 *
 * Layout: each filter row (fW * inC contiguous int8 values in OHWI, matching fW * inC contiguous
 * input values of one padded image row) is widened to int16 and zero-padded to a multiple of 8, and
 * four output channels are interleaved per 8-element step so one input vector feeds four dot
 * products. Reads past the end of a row meet zero weights; the image has 32 bytes of slack.
 */
import { fillChannelTable, requantizeFunction } from './requantize-wasm.js';
import { encodeModule, op, V128, I32, type WasmFunction } from './wasm-encoder.js';

/** Geometry of one CONV_2D the kernel is prepared for (NHWC input, OHWI filter, dilation 1). */
export interface ConvSimdGeometry {
  inH: number; inW: number; inC: number;
  outH: number; outW: number; outC: number;
  fH: number; fW: number;
  strideH: number; strideW: number; padH: number; padW: number;
}

const P = { xBase: 0, wBase: 1, accBase: 2, outH: 3, outW: 4, ocBlocks: 5, fH: 6, spanB: 7, rowStrideB: 8, sxB: 9, syB: 10, accPixB: 11, accRowB: 12 };
const L = {
  oy: 13, ox: 14, ob: 15, fy: 16, pixPtr: 17, rowPtr: 18, wp: 19, accPtr: 20, xp: 21, xEnd: 22, rowOrigin: 23,
  d2: 24, acc2: 25, accPair: 26, accRow: 27, a0: 28, b0: 32, xv: 36, yv: 37, wv: 38,
};

/**
 * convAccumulate: output pixels are taken in pairs along a row (an odd last pixel is paired with
 * itself and both copies store the same values to the same place), so each weight vector load
 * feeds eight dot products (2 pixels x 4 channels) and each input load four.
 */
function convAccumulateFunction(): WasmFunction {
  const { localGet: get, localSet: set, i32Const: c } = op;
  const inc = (local: number, by: number[]): number[] => [...get(local), ...by, ...op.i32Add, ...set(local)];
  const lessThan = (local: number, limit: number): number[] => [...get(local), ...get(limit), ...op.i32LtS];
  // One 8-element step: 2 input vectors x 4 weight vectors. (Unrolling by two measured no faster.)
  const step = (): number[] => {
    const out = [
      ...get(L.xp), ...op.v128Load(0), ...set(L.xv),
      ...get(L.xp), ...get(L.d2), ...op.i32Add, ...op.v128Load(0), ...set(L.yv),
    ];
    for (let j = 0; j < 4; j++) {
      out.push(...get(L.wp), ...op.v128Load(16 * j), ...set(L.wv),
        ...get(L.a0 + j), ...get(L.xv), ...get(L.wv), ...op.i32x4DotI16x8S, ...op.i32x4Add, ...set(L.a0 + j),
        ...get(L.b0 + j), ...get(L.yv), ...get(L.wv), ...op.i32x4DotI16x8S, ...op.i32x4Add, ...set(L.b0 + j));
    }
    return out;
  };
  const kLoop = op.loop([
    ...step(),
    ...inc(L.wp, c(64)), ...inc(L.xp, c(16)),
    ...get(L.xp), ...get(L.xEnd), ...op.i32LtU, ...op.brIf(0),
  ]);
  const fyLoop = op.loop([
    ...get(L.rowPtr), ...set(L.xp),
    ...get(L.rowPtr), ...get(P.spanB), ...op.i32Add, ...set(L.xEnd),
    ...kLoop,
    ...inc(L.rowPtr, get(P.rowStrideB)), ...inc(L.fy, c(1)),
    ...lessThan(L.fy, P.fH), ...op.brIf(0),
  ]);
  const hsum = (a: number): number[] => [
    ...get(a), ...op.i32x4ExtractLane(0), ...get(a), ...op.i32x4ExtractLane(1), ...op.i32Add,
    ...get(a), ...op.i32x4ExtractLane(2), ...op.i32Add, ...get(a), ...op.i32x4ExtractLane(3), ...op.i32Add,
  ];
  const stores: number[] = [];
  for (let j = 0; j < 4; j++) stores.push(...get(L.accPtr), ...hsum(L.a0 + j), ...op.i32Store(4 * j));
  for (let j = 0; j < 4; j++) stores.push(...get(L.accPtr), ...get(L.acc2), ...op.i32Add, ...hsum(L.b0 + j), ...op.i32Store(4 * j));
  const zero: number[] = [];
  for (let j = 0; j < 4; j++) zero.push(...op.v128Zero, ...set(L.a0 + j), ...op.v128Zero, ...set(L.b0 + j));
  const obLoop = op.loop([
    ...zero,
    ...get(L.pixPtr), ...set(L.rowPtr), ...c(0), ...set(L.fy),
    ...fyLoop,
    ...stores,
    ...inc(L.accPtr, c(16)), ...inc(L.ob, c(1)),
    ...lessThan(L.ob, P.ocBlocks), ...op.brIf(0),
  ]);
  // d2 / acc2: offsets of the pair's second pixel (0 when the last pixel of the row is alone).
  const pairOffsets = [
    ...get(L.ox), ...c(1), ...op.i32Add, ...get(P.outW), ...op.i32LtS, ...set(L.d2),
    ...get(P.accPixB), ...c(0), ...get(L.d2), ...op.select, ...set(L.acc2),
    ...get(P.sxB), ...c(0), ...get(L.d2), ...op.select, ...set(L.d2),
  ];
  const oxLoop = op.loop([
    ...pairOffsets,
    ...get(P.wBase), ...set(L.wp), ...c(0), ...set(L.ob), ...get(L.accPair), ...set(L.accPtr),
    ...obLoop,
    ...inc(L.accPair, [...get(P.accPixB), ...c(2), ...op.i32Mul]),
    ...inc(L.pixPtr, [...get(P.sxB), ...c(2), ...op.i32Mul]), ...inc(L.ox, c(2)),
    ...lessThan(L.ox, P.outW), ...op.brIf(0),
  ]);
  const oyLoop = op.loop([
    ...get(L.rowOrigin), ...set(L.pixPtr), ...c(0), ...set(L.ox), ...get(L.accRow), ...set(L.accPair),
    ...oxLoop,
    ...inc(L.rowOrigin, get(P.syB)), ...inc(L.accRow, get(P.accRowB)), ...inc(L.oy, c(1)),
    ...lessThan(L.oy, P.outH), ...op.brIf(0),
  ]);
  return {
    exportName: 'convAccumulate',
    params: 13,
    locals: [[15, I32], [11, V128]],
    body: [...get(P.accBase), ...set(L.accRow), ...get(P.xBase), ...set(L.rowOrigin), ...c(0), ...set(L.oy), ...oyLoop],
  };
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel module, or null when this runtime has no WebAssembly SIMD. */
export function convSimdModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = encodeModule([convAccumulateFunction(), requantizeFunction()], 1);
    compiled = typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Per-channel requantization of the accumulators (TFLM double rounding), see requantize-wasm.ts. */
export interface ConvSimdQuantization {
  inputZeroPoint: number; outputZeroPoint: number;
  multiplier: Int32Array; shift: Int32Array; actMin: number; actMax: number;
}

type Requantize = (accBase: number, yBase: number, pixels: number, outC: number, accStrideB: number, chanBase: number, outOff: number, actMin: number, actMax: number) => void;

type ConvAccumulate = (xBase: number, wBase: number, accBase: number, outH: number, outW: number, ocBlocks: number, fH: number, spanB: number, rowStrideB: number, sxB: number, syB: number, accPixB: number, accRowB: number) => void;

/**
 * One prepared convolution: its own WebAssembly memory holding the widened filter, the padded
 * int16 image and the int32 accumulators. `accumulate` fills `acc` ([outH * outW][ocPad], the
 * bias not included) for one batch of the int8 input.
 */
export class ConvInt8Simd {
  readonly ocPad: number;
  /** int32 accumulators, one row of `ocPad` per output pixel (valid until the next call). */
  readonly acc: Int32Array;
  private readonly image: Int16Array;
  private readonly run: ConvAccumulate;
  private readonly args: number[];
  private readonly padHeight: number;
  private readonly padWidth: number;
  private readonly table: Int32Array;
  private readonly out: Int8Array;
  private readonly requantize: Requantize;
  private readonly bases: { acc: number; y: number; table: number };

  private constructor(readonly g: ConvSimdGeometry, module: WebAssembly.Module, filter: Int8Array, readonly q: ConvSimdQuantization) {
    const { inH, inW, inC, outH, outW, outC, fH, fW, strideH, strideW, padH, padW } = g;
    this.padHeight = Math.max((outH - 1) * strideH + fH, padH + inH);
    this.padWidth = Math.max((outW - 1) * strideW + fW, padW + inW);
    const span = fW * inC;
    const span8 = Math.ceil(span / 8) * 8;
    const ocBlocks = Math.ceil(outC / 4);
    this.ocPad = ocBlocks * 4;
    const wBytes = this.ocPad * fH * span8 * 2;
    const xBytes = this.padHeight * this.padWidth * inC * 2 + 32;
    const accBytes = outH * outW * this.ocPad * 4;
    const wBase = 0, xBase = align16(wBytes), accBase = align16(xBase + xBytes);
    const yBase = align16(accBase + accBytes), tableBase = align16(yBase + outH * outW * outC);
    const total = tableBase + outC * 16;
    const instance = new WebAssembly.Instance(module, {});
    const mem = instance.exports['mem'] as WebAssembly.Memory;
    const have = mem.buffer.byteLength;
    if (total > have) mem.grow(Math.ceil((total - have) / 65536));
    const buf = mem.buffer; // taken after grow: growing detaches earlier views
    const w16 = new Int16Array(buf, wBase, wBytes / 2);
    const nK = span8 / 8;
    for (let oc = 0; oc < outC; oc++) {
      const ob = oc >> 2, j = oc & 3;
      for (let fy = 0; fy < fH; fy++) {
        for (let e = 0; e < span; e++) {
          const ks = e >> 3;
          w16[(((ob * fH + fy) * nK + ks) * 4 + j) * 8 + (e & 7)] = filter[(oc * fH + fy) * span + e]!;
        }
      }
    }
    this.image = new Int16Array(buf, xBase, (xBytes - 32) / 2);
    this.acc = new Int32Array(buf, accBase, accBytes / 4);
    this.run = instance.exports['convAccumulate'] as unknown as ConvAccumulate;
    this.requantize = instance.exports['requantize'] as unknown as Requantize;
    this.out = new Int8Array(buf, yBase, outH * outW * outC);
    this.table = new Int32Array(buf, tableBase, outC * 4);
    fillChannelTable(this.table, null, q.multiplier, q.shift, outC);
    this.bases = { acc: accBase, y: yBase, table: tableBase };
    const rowStrideB = this.padWidth * inC * 2;
    this.args = [xBase, wBase, accBase, outH, outW, ocBlocks, fH, span8 * 2, rowStrideB, strideW * inC * 2, strideH * rowStrideB, this.ocPad * 4, outW * this.ocPad * 4];
  }

  /** Null when WebAssembly SIMD is unavailable or the shape is degenerate (the caller falls back). */
  static create(g: ConvSimdGeometry, filter: Int8Array, q: ConvSimdQuantization): ConvInt8Simd | null {
    if (g.outH <= 0 || g.outW <= 0 || g.outC <= 0 || g.fH <= 0 || g.fW <= 0 || g.inC <= 0) return null;
    const module = convSimdModule();
    return module === null ? null : new ConvInt8Simd(g, module, filter, q);
  }

  /** The whole int8 convolution (all batches): accumulate, add `bias`, requantize into `y`. */
  invoke(x: Int8Array, bias: Int32Array | null, y: Int8Array, batches: number): void {
    const { outH, outW, outC } = this.g, q = this.q, t = this.table;
    for (let c = 0; c < outC; c++) t[4 * c] = bias !== null ? bias[c]! : 0; // bias may be a live tensor
    const pixels = outH * outW;
    for (let n = 0; n < batches; n++) {
      this.accumulate(x, n, q.inputZeroPoint);
      this.requantize(this.bases.acc, this.bases.y, pixels, outC, this.ocPad * 4, this.bases.table, q.outputZeroPoint, q.actMin, q.actMax);
      y.set(this.out, n * pixels * outC);
    }
  }

  /** Accumulates batch `n` of `x` (int8 NHWC) with input zero point `inputZeroPoint` into `acc`. */
  accumulate(x: Int8Array, n: number, inputZeroPoint: number): Int32Array {
    const { inH, inW, inC, padH, padW } = this.g;
    const img = this.image, PW = this.padWidth, rowLen = inW * inC;
    for (let iy = 0; iy < inH; iy++) {
      const src = (n * inH + iy) * rowLen;
      const dst = ((iy + padH) * PW + padW) * inC;
      for (let i = 0; i < rowLen; i++) img[dst + i] = x[src + i]! - inputZeroPoint;
    }
    const a = this.args;
    this.run(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, a[12]!);
    return this.acc;
  }
}

function align16(n: number): number {
  return (n + 15) & ~15;
}
