/**
 * Fast path of int8 DEPTHWISE_CONV_2D with depth multiplier 1 (any stride, dilation, padding) as a
 * WebAssembly SIMD kernel generated per prepared layer (constants in the code, weights resident,
 * requantization fused: requantize-simd.ts). Depth multipliers > 1 use depthwise-int8-simd.ts; one
 * input channel with any multiplier is a plain convolution (kernels/depthwise-conv2d.ts routes it to
 * conv-int8-simd.ts).
 *
 * Why it is exact: the input is widened per invoke into an int16 image with the zero point
 * subtracted and a zero border (a padded tap adds w * 0, as TFLM skips it); channels are padded to a
 * multiple of 8 (pad channels have zero weights and are never stored). Taps are taken in pairs:
 * the eight channels of tap t and of tap t+1 are interleaved (punpcklwd/hi) and dotted with weights
 * interleaved the same way, so each i32x4 lane gets w_t * x_t + w_t+1 * x_t+1 of one channel (each
 * product fits in 16 x 8 bits, the pair sum in the lane). int32 sums in any order equal TFLM's.
 * An odd last tap is paired with itself and a zero weight.
 */
import {
  narrowToInt8Code, QUANT_CONSTANTS_BYTES, REQUANT_ENTRY_BYTES, requantizeVectorCode, storeBytesCode, writeQuantConstants, writeRequantBias, writeRequantEntry,
  type RequantLocals,
} from './requantize-simd.js';
import { encodeModule, op, V128, I32, type WasmFunction } from './wasm-encoder.js';
import { codeVariant, convSimdAvailable, type ConvSimdQuantization } from './conv-int8-simd.js';

/** Geometry of one depth-multiplier-1 DEPTHWISE_CONV_2D (NHWC input, [1, fH, fW, C] filter). */
export interface DepthwiseLanesGeometry {
  inH: number; inW: number; channels: number;
  outH: number; outW: number;
  fH: number; fW: number;
  strideH: number; strideW: number; dilH: number; dilW: number; padH: number; padW: number;
}

const INTERLEAVE_LOW = [0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23];
const INTERLEAVE_HIGH = INTERLEAVE_LOW.map((i) => i + 8);

function align16(n: number): number {
  return (n + 15) & ~15;
}

class DepthwiseLayout {
  readonly groups: number; readonly cPad: number; readonly pairs: number; readonly taps: number;
  readonly padHeight: number; readonly padWidth: number; readonly pixels: number;
  readonly constants: number; readonly w: number; readonly table: number; readonly pixTable: number; readonly image: number; readonly stage: number; readonly out: number; readonly total: number;

  constructor(readonly g: DepthwiseLanesGeometry) {
    const { inH, inW, channels: C, outH, outW, fH, fW, strideH, strideW, dilH, dilW, padH, padW } = g;
    this.groups = Math.ceil(C / 8);
    this.cPad = this.groups * 8;
    this.taps = fH * fW;
    this.pairs = Math.ceil(this.taps / 2);
    this.padHeight = Math.max((outH - 1) * strideH + (fH - 1) * dilH + 1, padH + inH);
    this.padWidth = Math.max((outW - 1) * strideW + (fW - 1) * dilW + 1, padW + inW);
    this.pixels = outH * outW;
    this.constants = 0;
    this.w = QUANT_CONSTANTS_BYTES;
    this.table = align16(this.w + this.groups * this.pairs * 32);
    this.pixTable = align16(this.table + this.groups * 2 * REQUANT_ENTRY_BYTES);
    this.image = align16(this.pixTable + this.pixels * 8);
    this.stage = align16(this.image + this.padHeight * this.padWidth * this.cPad * 2);
    this.out = align16(this.stage + inH * inW * C + 16); // 16: the last pixel's group load reads past it
    this.total = this.out + this.pixels * C + 16;
  }

  encode(v: ReturnType<typeof codeVariant>): Uint8Array<ArrayBuffer> {
    const leftShift = v.leftShift, K = this.constants;
    const { inH, inW, channels: C, fW, dilH, dilW } = this.g;
    const { groups, cPad, pairs, taps, padWidth: PW } = this;
    const { localGet: get, localSet: set, i32Const: c } = op;
    const inc = (local: number, by: number): number[] => [...get(local), ...c(by), ...op.i32Add, ...set(local)];
    let next = 0;
    const i32 = (): number => next++;
    const gi = i32(), pt = i32(), wg = i32(), tbl = i32(), oob = i32(), goff = i32(), base = i32(), rs = i32(), rd = i32(), ry = i32(), rx = i32();
    const i32Count = next;
    const v128 = (): number => next++;
    const accLo = v128(), accHi = v128(), x0 = v128(), x1 = v128(), zpIn = v128();
    const rq: RequantLocals = { acc: v128(), mv: v128(), lo: v128(), hi: v128(), fa: v128(), fb: v128() };
    const tmp = v128(), out8 = v128();
    const v128Count = next - i32Count;

    // 1. Widen: each input pixel's C channels -> cPad int16 slots (the tail of the last group gets
    // the next pixel's values, harmless: those channels have zero weights and are not stored).
    const groupCode = (gg: number): number[] => [...get(rd), ...get(rs), ...op.v128Load8x8S(8 * gg), ...get(zpIn), ...op.i16x8Sub, ...op.v128Store(16 * gg)];
    const pixelWiden = groups <= 8 ? Array.from({ length: groups }, (_, gg) => groupCode(gg)).flat() : [
      ...c(0), ...set(goff),
      ...op.loop([...get(rd), ...get(goff), ...c(2), ...op.i32Mul, ...op.i32Add, ...get(rs), ...get(goff), ...op.i32Add, ...op.v128Load8x8S(0), ...get(zpIn), ...op.i16x8Sub, ...op.v128Store(0),
        ...inc(goff, 8), ...get(goff), ...c(cPad), ...op.i32LtS, ...op.brIf(0)]),
    ];
    const widen = [
      ...c(K), ...op.v128Load(0), ...set(zpIn),
      ...c(this.stage), ...set(rs), ...c(this.image + (this.g.padH * PW + this.g.padW) * cPad * 2), ...set(rd), ...c(0), ...set(ry),
      ...op.loop([
        ...c(0), ...set(rx),
        ...op.loop([...pixelWiden, ...inc(rs, C), ...inc(rd, cPad * 2), ...inc(rx, 1), ...get(rx), ...c(inW), ...op.i32LtS, ...op.brIf(0)]),
        ...inc(rd, (PW - inW) * cPad * 2), ...inc(ry, 1), ...get(ry), ...c(inH), ...op.i32LtS, ...op.brIf(0),
      ]),
    ];

    // 2. Per output pixel and channel group: tap pairs, requantize, store 8 (or the last group's) bytes.
    const tapOff = (t: number): number => ((Math.floor(t / fW) * dilH * PW + (t % fW) * dilW) * cPad) * 2;
    const body: number[] = [
      ...get(pt), ...op.i32Load(0), ...get(goff), ...op.i32Add, ...set(base),
      ...get(tbl), ...op.v128Load(0), ...set(accLo), ...get(tbl), ...op.v128Load(REQUANT_ENTRY_BYTES), ...set(accHi),
    ];
    for (let k = 0; k < pairs; k++) {
      body.push(...get(base), ...op.v128Load(tapOff(2 * k)), ...set(x0));
      if (2 * k + 1 < taps) body.push(...get(base), ...op.v128Load(tapOff(2 * k + 1)), ...set(x1));
      const second = 2 * k + 1 < taps ? x1 : x0;
      body.push(
        ...get(accLo), ...get(x0), ...get(second), ...op.i8x16Shuffle(INTERLEAVE_LOW), ...get(wg), ...op.v128Load(32 * k), ...op.i32x4DotI16x8S, ...op.i32x4Add, ...set(accLo),
        ...get(accHi), ...get(x0), ...get(second), ...op.i8x16Shuffle(INTERLEAVE_HIGH), ...get(wg), ...op.v128Load(32 * k + 16), ...op.i32x4DotI16x8S, ...op.i32x4Add, ...set(accHi),
      );
    }
    body.push(
      ...get(accLo), ...set(rq.acc), ...requantizeVectorCode(rq, get(tbl), 0, leftShift), ...get(rq.acc), ...set(accLo),
      ...get(accHi), ...set(rq.acc), ...requantizeVectorCode(rq, get(tbl), REQUANT_ENTRY_BYTES, leftShift), ...get(rq.acc), ...set(accHi),
      ...narrowToInt8Code({ constants: K, clampMin: v.clampMin, clampMax: v.clampMax, tmp }, [accLo, accHi], out8),
    );
    const addr = [...get(pt), ...op.i32Load(4), ...get(oob), ...op.i32Add];
    const lastBytes = C - (groups - 1) * 8;
    if (lastBytes === 8) body.push(...storeBytesCode(addr, out8, 8));
    else body.push(...get(gi), ...c(groups - 1), ...op.i32Eq, ...op.ifElse(storeBytesCode(addr, out8, lastBytes), storeBytesCode(addr, out8, 8)));

    const pixelLoop = op.loop([...body, ...inc(pt, 8), ...get(pt), ...c(this.pixTable + 8 * this.pixels), ...op.i32LtS, ...op.brIf(0)]);
    const groupLoop = op.loop([
      ...c(this.pixTable), ...set(pt),
      ...pixelLoop,
      ...inc(wg, pairs * 32), ...inc(tbl, 2 * REQUANT_ENTRY_BYTES), ...inc(oob, 8), ...inc(goff, 16),
      ...inc(gi, 1), ...get(gi), ...c(groups), ...op.i32LtS, ...op.brIf(0),
    ]);
    const fn: WasmFunction = {
      exportName: 'run',
      params: 0,
      locals: [[i32Count, I32], [v128Count, V128]],
      body: [...widen, ...c(this.w), ...set(wg), ...c(this.table), ...set(tbl), ...c(this.out), ...set(oob), ...c(0), ...set(goff), ...c(0), ...set(gi), ...groupLoop],
    };
    return encodeModule([fn], Math.ceil(this.total / 65536));
  }
}

const moduleCache = new Map<string, WebAssembly.Module>();
const MODULE_CACHE_SIZE = 64;

/** One prepared depthwise convolution (multiplier 1) with its own module and memory. */
export class DepthwiseInt8Lanes {
  private readonly layout: DepthwiseLayout;
  private readonly run: () => void;
  private readonly stage: Int8Array;
  private readonly out: Int8Array;
  private readonly tableView: DataView;

  private constructor(readonly g: DepthwiseLanesGeometry, filter: Int8Array, readonly q: ConvSimdQuantization) {
    const L = (this.layout = new DepthwiseLayout(g));
    const C = g.channels;
    const variant = codeVariant(q); // zero points and clamp values live in memory: not part of the key
    const key = [g.inH, g.inW, C, g.outH, g.outW, g.fH, g.fW, g.strideH, g.strideW, g.dilH, g.dilW, g.padH, g.padW, variant.leftShift, variant.clampMin, variant.clampMax].join(',');
    let module = moduleCache.get(key);
    if (module === undefined) {
      module = new WebAssembly.Module(L.encode(variant));
      if (moduleCache.size >= MODULE_CACHE_SIZE) moduleCache.delete(moduleCache.keys().next().value!);
      moduleCache.set(key, module);
    }
    const instance = new WebAssembly.Instance(module, {});
    const buf = (instance.exports['mem'] as WebAssembly.Memory).buffer;
    writeQuantConstants(buf, L.constants, q.inputZeroPoint, q.outputZeroPoint, q.actMin, q.actMax);
    // Weights: [group][pair][lo/hi][4 channels x 2 taps] int16.
    const w16 = new Int16Array(buf, L.w, L.groups * L.pairs * 16);
    for (let t = 0; t < L.taps; t++) {
      const k = t >> 1, second = t & 1;
      for (let ch = 0; ch < C; ch++) {
        const gg = ch >> 3, half = (ch >> 2) & 1, j = ch & 3;
        w16[((gg * L.pairs + k) * 2 + half) * 8 + j * 2 + second] = filter[t * C + ch]!;
      }
    }
    this.tableView = new DataView(buf);
    for (let e = 0; e < 2 * L.groups; e++) writeRequantEntry(this.tableView, L.table + e * REQUANT_ENTRY_BYTES, 4 * e, C, null, q.multiplier, q.shift);
    const pix = new Int32Array(buf, L.pixTable, 2 * L.pixels);
    for (let p = 0; p < L.pixels; p++) {
      const oy = Math.floor(p / g.outW), ox = p % g.outW;
      pix[2 * p] = L.image + ((oy * g.strideH) * L.padWidth + ox * g.strideW) * L.cPad * 2;
      pix[2 * p + 1] = p * C;
    }
    this.stage = new Int8Array(buf, L.stage, g.inH * g.inW * C);
    this.out = new Int8Array(buf, L.out, L.pixels * C);
    this.run = instance.exports['run'] as unknown as () => void;
  }

  /** Null when WebAssembly SIMD is unavailable or the shape is degenerate (the caller falls back). */
  static create(g: DepthwiseLanesGeometry, filter: Int8Array, q: ConvSimdQuantization): DepthwiseInt8Lanes | null {
    if (g.outH <= 0 || g.outW <= 0 || g.channels <= 0 || g.fH <= 0 || g.fW <= 0 || g.inH <= 0 || g.inW <= 0) return null;
    if (!convSimdAvailable()) return null;
    return new DepthwiseInt8Lanes(g, filter, q);
  }

  /** The whole depthwise convolution (all batches) into `y`. */
  invoke(x: Int8Array, bias: Int32Array | null, y: Int8Array, batches: number): void {
    const L = this.layout, C = this.g.channels;
    for (let e = 0; e < 2 * L.groups; e++) writeRequantBias(this.tableView, L.table + e * REQUANT_ENTRY_BYTES, 4 * e, C, bias); // bias may be a live tensor
    const inSize = this.stage.length, outSize = this.out.length;
    for (let n = 0; n < batches; n++) {
      this.stage.set(batches === 1 ? x : x.subarray(n * inSize, (n + 1) * inSize));
      this.run();
      y.set(this.out, n * outSize);
    }
  }
}
