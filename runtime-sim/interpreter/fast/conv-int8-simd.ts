/**
 * Fast path of int8 CONV_2D (dilation 1, ungrouped) as a WebAssembly SIMD kernel generated for
 * each prepared layer: every size, stride and address is a constant in the code, the weights stay
 * resident in the module's memory across invocations, and the requantization runs in SIMD inside
 * the same function (requantize-simd.ts), so one invoke is: copy the int8 input in, one call, copy
 * the int8 output out.
 *
 * Why it is exact: TFLM's ConvPerChannel accumulates sum(w * (x + input_offset)) in an int32. Here
 * the input is widened once per invoke into an int16 image with the zero point already subtracted
 * (x - zp in [-255, 255]) and a border of zeros (a padded tap then adds w * 0, exactly TFLM's "skip
 * points outside the image"). Products w * (x - zp) fit in 16 x 8 bits, pairs of them in
 * i32x4.dot_i16x8_s lanes without overflow, and int32 addition is associative modulo 2^32, so any
 * summation order gives TFLM's int32 accumulator bit for bit; the bias initialises it.
 *
 * Layout ("channel lanes"): one i32x4 accumulates four output channels of one output pixel. Along
 * a filter row, fW * inC taps are contiguous in the image (NHWC) and in the filter (OHWI); taps are
 * taken in pairs: a 32-bit load of two int16 image values is splatted to all lanes and dotted with
 * a vector holding the same two taps of four channels ([w(c,k), w(c,k+1)] x 4, prepared once; an
 * odd row gets a zero weight, whose image partner is a real value times 0). A block of MR output
 * pixels x NR vectors (4 * NR channels) keeps MR * NR accumulators in registers, so each weight
 * load feeds MR dot products and each image load NR. Output pixels are flattened and taken MR at a
 * time through a table of image/output offsets (a short last block repeats the last pixel, which
 * writes the same bytes twice); channel blocks outermost keep one block's weights in L1. The tap
 * loop does one pair per iteration: V8 hoists every load of a longer straight-line body to its top
 * and then spills the accumulators (measured 1.5-2x slower). The code depends on the geometry and
 * three flags only (zero points and clamp values are read from memory), so compiled modules are
 * cached and shared by every layer of that shape.
 */
import {
  narrowToInt8Code, QUANT_CONSTANTS_BYTES, REQUANT_ENTRY_BYTES, requantizeVectorCode, storeBytesCode, writeQuantConstants, writeRequantBias, writeRequantEntry,
  type RequantLocals,
} from './requantize-simd.js';
import { encodeModule, op, V128, I32, type WasmFunction } from './wasm-encoder.js';

/** Geometry of one CONV_2D the kernel is prepared for (NHWC input, OHWI filter, dilation 1). */
export interface ConvSimdGeometry {
  inH: number; inW: number; inC: number;
  outH: number; outW: number; outC: number;
  fH: number; fW: number;
  strideH: number; strideW: number; padH: number; padW: number;
}

/** Per-channel requantization of the accumulators (TFLM double rounding), see requantize-simd.ts. */
export interface ConvSimdQuantization {
  inputZeroPoint: number; outputZeroPoint: number;
  multiplier: Int32Array; shift: Int32Array; actMin: number; actMax: number;
}

/**
 * Block shape: MR output pixels x NR vectors of 4 channels. 4 x 2 (8 accumulators + 2 weights + 1
 * splat stay in x64's 16 vector registers; 5 or 6 pixels measured slower: V8 spills). When MR
 * divides the output width, blocks are "row-aligned": one image pointer, the other pixels at
 * constant offsets; otherwise blocks may wrap to the next row and every pixel has its own pointer
 * (four pointer increments per tap pair), so an even width that 4 does not divide takes 2 x 4.
 */
function blockShape(outW: number, outC: number, pixels: number): { mr: number; nr: number; rowAligned: boolean } {
  const nrMax = outC <= 4 ? 1 : outC <= 8 ? 2 : 4;
  if (pixels === 1) return { mr: 1, nr: nrMax, rowAligned: true }; // FULLY_CONNECTED with one batch: no repeated pixels
  if (outC <= 4) return { mr: 4, nr: 1, rowAligned: outW % 4 === 0 };
  if (outW % 4 !== 0 && outW % 2 === 0 && outC >= 16) return { mr: 2, nr: 4, rowAligned: true };
  return { mr: 4, nr: 2, rowAligned: outW % 4 === 0 };
}

/** Filter rows up to this many tap pairs in total are unrolled completely (no row loop). */
const UNROLL_ALL_PAIRS = 8;
/** Longer rows are walked in unrolled chunks of this many tap pairs. */
const CHUNK_PAIRS = 1;

let probe: boolean | undefined;

/** True when this runtime validates the SIMD instructions the generated kernels use. */
export function convSimdAvailable(): boolean {
  if (probe !== undefined) return probe;
  try {
    const g: ConvSimdGeometry = { inH: 3, inW: 3, inC: 3, outH: 3, outW: 3, outC: 5, fH: 3, fW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1 };
    probe = typeof WebAssembly !== 'undefined' && WebAssembly.validate(new ConvLayout(g).encode({ leftShift: true, clampMin: true, clampMax: true }));
  } catch {
    probe = false;
  }
  return probe;
}

/** Compiles a tiny generated kernel: non-null when WebAssembly SIMD works here (kept for callers that test availability). */
export function convSimdModule(): WebAssembly.Module | null {
  if (!convSimdAvailable()) return null;
  const g: ConvSimdGeometry = { inH: 1, inW: 1, inC: 1, outH: 1, outW: 1, outC: 1, fH: 1, fW: 1, strideH: 1, strideW: 1, padH: 0, padW: 0 };
  return new WebAssembly.Module(new ConvLayout(g).encode({ leftShift: false, clampMin: false, clampMax: false }));
}

function align16(n: number): number {
  return (n + 15) & ~15;
}

/** Addresses and sizes of one layer's module memory, and the code generator. */
class ConvLayout {
  readonly nr: number;
  readonly mr: number;
  readonly rowAligned: boolean;
  readonly obCount: number;
  readonly pairs: number;
  readonly padHeight: number;
  readonly padWidth: number;
  readonly pixels: number;
  readonly pixelBlocks: number;
  readonly constants: number; readonly w: number; readonly table: number; readonly pixTable: number; readonly image: number; readonly stage: number; readonly scratch: number; readonly out: number;
  readonly total: number;

  /** `elem`: output bytes per value (1: int8 with zero point and clamp; 2: int16, saturated). */
  constructor(readonly g: ConvSimdGeometry, readonly elem: 1 | 2 = 1) {
    const { inH, inW, inC, outH, outW, outC, fH, fW, strideH, strideW, padH, padW } = g;
    ({ mr: this.mr, nr: this.nr, rowAligned: this.rowAligned } = blockShape(outW, outC, outH * outW));
    this.obCount = Math.ceil(outC / (4 * this.nr));
    this.pairs = Math.ceil((fW * inC) / 2);
    this.padHeight = Math.max((outH - 1) * strideH + fH, padH + inH);
    this.padWidth = Math.max((outW - 1) * strideW + fW, padW + inW);
    this.pixels = outH * outW;
    const MR = this.mr;
    this.pixelBlocks = Math.ceil(this.pixels / MR);
    this.constants = 0;
    this.w = QUANT_CONSTANTS_BYTES;
    this.table = align16(this.w + this.obCount * fH * this.pairs * this.nr * 16);
    this.pixTable = align16(this.table + this.obCount * this.nr * REQUANT_ENTRY_BYTES);
    this.image = align16(this.pixTable + this.pixelBlocks * MR * 8);
    this.stage = align16(this.image + this.padHeight * this.padWidth * inC * 2 + 16); // 16: an odd row's last pair reads one value past it
    this.scratch = align16(this.stage + inH * inW * inC + 16);
    this.out = this.scratch + MR * this.nr * 16;
    this.total = this.out + this.pixels * outC * elem + 16;
  }

  /** The `run()` function body: widen the staged input, then accumulate + requantize every block. */
  encode(v: CodeVariant): Uint8Array<ArrayBuffer> {
    const leftShift = v.leftShift, K = this.constants;
    const { inH, inW, inC, outC, fH } = this.g;
    const nr = this.nr, pairs = this.pairs, MR = this.mr, rowAligned = this.rowAligned;
    const pixelStrideB = this.g.strideW * inC * 2;
    const { localGet: get, localSet: set, i32Const: c } = op;
    const inc = (local: number, by: number): number[] => [...get(local), ...c(by), ...op.i32Add, ...set(local)];
    // Locals: i32 first, then v128.
    let next = 0;
    const i32 = (): number => next++;
    const ob = i32(), pb = i32(), pt = i32(), wob = i32(), tbl = i32(), oob = i32(), wp = i32(), fy = i32(), kc = i32();
    const rs = i32(), rd = i32(), rr = i32(), re = i32(), sp = i32(), ep = i32();
    const px = Array.from({ length: MR }, i32);
    const i32Count = next;
    const v128 = (): number => next++;
    const acc = Array.from({ length: MR * nr }, v128), wv = Array.from({ length: nr }, v128), xs = v128();
    const rq: RequantLocals = { acc: v128(), mv: v128(), lo: v128(), hi: v128(), fa: v128(), fb: v128() };
    const nl = { constants: K, clampMin: v.clampMin, clampMax: v.clampMax, tmp: v128() };
    const out8 = v128();
    const v128Count = next - i32Count;
    const A = (i: number, v: number): number => acc[i * nr + v]!;

    // 1. Widen: image row = int8 staged row - input zero point (the border is never written).
    const flat = this.g.padW === 0 && this.padWidth === inW;
    const rows = flat ? 1 : inH, rowLen = flat ? inH * inW * inC : inW * inC;
    const dst0 = this.image + (this.g.padH * this.padWidth + this.g.padW) * inC * 2;
    const widenVector = (off: number): number[] => [...get(rd), ...get(rs), ...op.v128Load8x8S(off), ...c(K), ...op.v128Load(0), ...op.i16x8Sub, ...op.v128Store(2 * off)];
    const widenRow = rowLen >= 8
      ? [
        ...c(0), ...set(re),
        ...op.loop([
          ...get(rd), ...get(re), ...c(2), ...op.i32Mul, ...op.i32Add, ...get(rs), ...get(re), ...op.i32Add, ...op.v128Load8x8S(0), ...c(K), ...op.v128Load(0), ...op.i16x8Sub, ...op.v128Store(0),
          ...inc(re, 8), ...get(re), ...c(rowLen - 7), ...op.i32LtS, ...op.brIf(0),
        ]),
        ...(rowLen % 8 !== 0 ? widenVector(rowLen - 8) : []), // overlapping last vector: same values rewritten
      ]
      : Array.from({ length: rowLen }, (_, j) => [...get(rd), ...get(rs), ...op.i32Load8S(j), ...c(K), ...op.i32Load(64), ...op.i32Sub, ...op.i32Store16(2 * j)]).flat();
    const widen = [
      ...c(this.stage), ...set(rs), ...c(dst0), ...set(rd), ...c(0), ...set(rr),
      ...op.loop([...widenRow, ...inc(rs, rowLen), ...inc(rd, this.padWidth * inC * 2), ...inc(rr, 1), ...get(rr), ...c(rows), ...op.i32LtS, ...op.brIf(0)]),
    ];

    // 2. One tap pair for the whole block, at image offset xOff and weight offset wOff.
    const pair = (xOff: number, wOff: number): number[] => {
      const out: number[] = [];
      for (let v = 0; v < nr; v++) out.push(...get(wp), ...op.v128Load(wOff + 16 * v), ...set(wv[v]!));
      for (let i = 0; i < MR; i++) {
        out.push(...(rowAligned ? [...get(px[0]!), ...op.v128Load32Splat(xOff + i * pixelStrideB)] : [...get(px[i]!), ...op.v128Load32Splat(xOff)]), ...set(xs));
        for (let v = 0; v < nr; v++) out.push(...get(A(i, v)), ...get(xs), ...get(wv[v]!), ...op.i32x4DotI16x8S, ...op.i32x4Add, ...set(A(i, v)));
      }
      return out;
    };
    const rowStrideB = this.padWidth * inC * 2, pairWB = nr * 16;
    const movePixels = (by: number): number[] => (by === 0 ? [] : (rowAligned ? px.slice(0, 1) : px).flatMap((p) => inc(p, by)));
    let taps: number[];
    if (fH * pairs <= UNROLL_ALL_PAIRS) {
      taps = [];
      for (let y = 0; y < fH; y++) for (let k = 0; k < pairs; k++) taps.push(...pair(y * rowStrideB + 4 * k, (y * pairs + k) * pairWB));
    } else {
      const chunk = Math.min(pairs, CHUNK_PAIRS), chunks = Math.floor(pairs / chunk), rem = pairs - chunks * chunk;
      const chunkCode = (): number[] => Array.from({ length: chunk }, (_, k) => pair(4 * k, k * pairWB)).flat();
      const row: number[] = [];
      let xAdv = 0, wAdv = 0;
      if (chunks === 1) row.push(...chunkCode());
      else {
        row.push(...c(0), ...set(kc), ...op.loop([...chunkCode(), ...movePixels(4 * chunk), ...inc(wp, chunk * pairWB), ...inc(kc, 1), ...get(kc), ...c(chunks), ...op.i32LtS, ...op.brIf(0)]));
        xAdv = 4 * chunk * chunks;
        wAdv = chunk * chunks * pairWB;
      }
      const remBase = chunks === 1 ? chunk : 0;
      for (let k = 0; k < rem; k++) row.push(...pair(4 * (remBase + k), (remBase + k) * pairWB));
      row.push(...movePixels(rowStrideB - xAdv), ...inc(wp, pairs * pairWB - wAdv));
      taps = [...c(0), ...set(fy), ...op.loop([...row, ...inc(fy, 1), ...get(fy), ...c(fH), ...op.i32LtS, ...op.brIf(0)])];
    }

    // 3. Requantize and store the block: accumulators to a scratch area, then a loop over the
    // block's pixels (a loop, not straight-line code: V8's scheduler would otherwise hoist every
    // load of the unrolled epilogue and spill the accumulators).
    const fullBytes = 4 * nr * this.elem, lastBytes = outC * this.elem - (this.obCount - 1) * fullBytes;
    const epilogue: number[] = [];
    for (let a = 0; a < MR * nr; a++) epilogue.push(...c(this.scratch + 16 * a), ...get(acc[a]!), ...op.v128Store(0));
    const pixelOut: number[] = [];
    for (let v = 0; v < nr; v++) {
      pixelOut.push(...get(sp), ...op.v128Load(16 * v), ...set(rq.acc), ...requantizeVectorCode(rq, get(tbl), v * REQUANT_ENTRY_BYTES, leftShift), ...get(rq.acc), ...set(acc[v]!));
    }
    const addr = [...get(ep), ...op.i32Load(0), ...get(oob), ...op.i32Add];
    let store: (bytes: number) => number[];
    if (this.elem === 1) {
      pixelOut.push(...narrowToInt8Code(nl, acc.slice(0, nr), out8));
      store = (bytes) => storeBytesCode(addr, out8, bytes);
    } else {
      // int16 output (zero point 0, full int16 range): the saturating narrowing is the clamp.
      const halves = [out8, nl.tmp];
      for (let k = 0; k < Math.ceil(nr / 2); k++) pixelOut.push(...get(acc[2 * k]!), ...get(acc[Math.min(2 * k + 1, nr - 1)]!), ...op.i16x8NarrowI32x4S, ...set(halves[k]!));
      store = (bytes) => [...storeBytesCode(addr, out8, Math.min(bytes, 16)), ...(bytes > 16 ? storeBytesCode(addr, nl.tmp, bytes - 16, 16) : [])];
    }
    const full = store(fullBytes);
    if (lastBytes === fullBytes) pixelOut.push(...full);
    else pixelOut.push(...get(ob), ...c(this.obCount - 1), ...op.i32Eq, ...op.ifElse(store(lastBytes), full));
    epilogue.push(
      ...c(this.scratch), ...set(sp), ...get(pt), ...c(4 * MR), ...op.i32Add, ...set(ep),
      ...op.loop([...pixelOut, ...inc(sp, 16 * nr), ...inc(ep, 4), ...get(sp), ...c(this.scratch + 16 * nr * MR), ...op.i32LtS, ...op.brIf(0)]),
    );

    const blockStart: number[] = [];
    for (let i = 0; i < MR; i++) {
      if (!rowAligned || i === 0) blockStart.push(...get(pt), ...op.i32Load(4 * i), ...set(px[i]!));
      for (let v = 0; v < nr; v++) blockStart.push(...get(tbl), ...op.v128Load(v * REQUANT_ENTRY_BYTES), ...set(A(i, v)));
    }
    const pbLoop = op.loop([
      ...blockStart, ...get(wob), ...set(wp),
      ...taps,
      ...epilogue,
      ...inc(pt, 8 * MR), ...inc(pb, 1), ...get(pb), ...c(this.pixelBlocks), ...op.i32LtS, ...op.brIf(0),
    ]);
    const obLoop = op.loop([
      ...c(this.pixTable), ...set(pt), ...c(0), ...set(pb),
      ...pbLoop,
      ...inc(wob, fH * pairs * pairWB), ...inc(tbl, nr * REQUANT_ENTRY_BYTES), ...inc(oob, fullBytes),
      ...inc(ob, 1), ...get(ob), ...c(this.obCount), ...op.i32LtS, ...op.brIf(0),
    ]);
    const fn: WasmFunction = {
      exportName: 'run',
      params: 0,
      locals: [[i32Count, I32], [v128Count, V128]],
      body: [
        ...widen,
        ...c(this.w), ...set(wob), ...c(this.table), ...set(tbl), ...c(this.out), ...set(oob), ...c(0), ...set(ob),
        ...obLoop,
      ],
    };
    return encodeModule([fn], Math.ceil(this.total / 65536));
  }
}

/**
 * Compiled modules by everything the code depends on (the weights and multipliers live in memory,
 * not in the code): interpreters created again for the same model, or models sharing a layer
 * shape, reuse the compilation. Bounded, oldest first out.
 */
const moduleCache = new Map<string, WebAssembly.Module>();
const MODULE_CACHE_SIZE = 64;

/** What the code depends on besides the geometry (zero points and clamp values live in memory). */
interface CodeVariant { leftShift: boolean; clampMin: boolean; clampMax: boolean }

/** int16 output: zero point 0 and the full int16 range only (FC gates of the LSTM kernel). */
export function int16OutputSupported(q: ConvSimdQuantization): boolean {
  return q.outputZeroPoint === 0 && q.actMin === -32768 && q.actMax === 32767;
}

export function codeVariant(q: ConvSimdQuantization): CodeVariant {
  return { leftShift: Array.from(q.shift).some((s) => s > 0), clampMin: q.actMin > -128, clampMax: q.actMax < 127 };
}

function compiledModule(g: ConvSimdGeometry, elem: 1 | 2, v: CodeVariant, encode: () => Uint8Array<ArrayBuffer>): WebAssembly.Module {
  const key = [g.inH, g.inW, g.inC, g.outH, g.outW, g.outC, g.fH, g.fW, g.strideH, g.strideW, g.padH, g.padW, elem, v.leftShift, v.clampMin, v.clampMax].join(',');
  let m = moduleCache.get(key);
  if (m === undefined) {
    m = new WebAssembly.Module(encode());
    if (moduleCache.size >= MODULE_CACHE_SIZE) moduleCache.delete(moduleCache.keys().next().value!);
    moduleCache.set(key, m);
  }
  return m;
}

/**
 * One prepared convolution: its own WebAssembly module and memory holding the widened weights,
 * the requantization table, the pixel table, the int16 image, the int8 input stage and the output.
 */
export class ConvInt8Simd {
  private readonly layout: ConvLayout;
  private readonly run: () => void;
  private readonly stage: Int8Array;
  private readonly out: Int8Array | Int16Array;
  private readonly tableView: DataView;

  private constructor(readonly g: ConvSimdGeometry, filter: Int8Array, readonly q: ConvSimdQuantization, elem: 1 | 2) {
    const L = (this.layout = new ConvLayout(g, elem));
    const { inC, outC, fH, fW, outW, strideH, strideW } = g;
    const variant = codeVariant(q);
    const instance = new WebAssembly.Instance(compiledModule(g, elem, variant, () => L.encode(variant)), {});
    const buf = (instance.exports['mem'] as WebAssembly.Memory).buffer;
    writeQuantConstants(buf, L.constants, q.inputZeroPoint, q.outputZeroPoint, q.actMin, q.actMax);
    // Weights: [channel block][fy][pair][vector][4 channels x 2 taps] int16.
    const w16 = new Int16Array(buf, L.w, (L.table - L.w) / 2);
    const span = fW * inC, nr = L.nr;
    for (let oc = 0; oc < outC; oc++) {
      const ob = Math.floor(oc / (4 * nr)), v = Math.floor((oc % (4 * nr)) / 4), j = oc % 4;
      for (let y = 0; y < fH; y++) {
        for (let e = 0; e < span; e++) {
          const k = e >> 1;
          w16[((((ob * fH + y) * L.pairs + k) * nr + v) * 4 + j) * 2 + (e & 1)] = filter[(oc * fH + y) * span + e]!;
        }
      }
    }
    this.tableView = new DataView(buf);
    for (let ob = 0; ob < L.obCount; ob++) {
      for (let v = 0; v < nr; v++) writeRequantEntry(this.tableView, L.table + (ob * nr + v) * REQUANT_ENTRY_BYTES, (ob * nr + v) * 4, outC, null, q.multiplier, q.shift);
    }
    const MR = L.mr;
    const pix = new Int32Array(buf, L.pixTable, L.pixelBlocks * MR * 2);
    for (let b = 0; b < L.pixelBlocks; b++) {
      for (let i = 0; i < MR; i++) {
        const p = Math.min(b * MR + i, L.pixels - 1), oy = Math.floor(p / outW), ox = p % outW;
        pix[b * 2 * MR + i] = L.image + (oy * strideH * L.padWidth + ox * strideW) * inC * 2;
        pix[b * 2 * MR + MR + i] = p * outC * elem;
      }
    }
    this.stage = new Int8Array(buf, L.stage, g.inH * g.inW * inC);
    this.out = elem === 1 ? new Int8Array(buf, L.out, L.pixels * outC) : new Int16Array(buf, L.out, L.pixels * outC);
    this.run = instance.exports['run'] as unknown as () => void;
  }

  /** Null when WebAssembly SIMD is unavailable or the shape is degenerate (the caller falls back). */
  static create(g: ConvSimdGeometry, filter: Int8Array, q: ConvSimdQuantization): ConvInt8Simd | null {
    if (g.outH <= 0 || g.outW <= 0 || g.outC <= 0 || g.fH <= 0 || g.fW <= 0 || g.inC <= 0 || g.inH <= 0 || g.inW <= 0) return null;
    if (!convSimdAvailable()) return null;
    return new ConvInt8Simd(g, filter, q, 1);
  }

  /**
   * The same convolution with int16 outputs (no zero point, saturated to int16: `q` must have
   * outputZeroPoint 0 and the range [-32768, 32767]), for the LSTM kernel's int8 x int8 -> int16
   * gate products. Null as `create`, or for another output quantization.
   */
  static createInt16Output(g: ConvSimdGeometry, filter: Int8Array, q: ConvSimdQuantization): ConvInt8Simd | null {
    if (g.outH <= 0 || g.outW <= 0 || g.outC <= 0 || g.fH <= 0 || g.fW <= 0 || g.inC <= 0 || g.inH <= 0 || g.inW <= 0) return null;
    if (!int16OutputSupported(q) || !convSimdAvailable()) return null;
    return new ConvInt8Simd(g, filter, q, 2);
  }

  /** The whole convolution (all batches) into `y` (Int16Array for `createInt16Output`). */
  invoke(x: Int8Array, bias: Int32Array | null, y: Int8Array | Int16Array, batches: number): void {
    const L = this.layout, nr = L.nr, outC = this.g.outC;
    for (let e = 0; e < L.obCount * nr; e++) writeRequantBias(this.tableView, L.table + e * REQUANT_ENTRY_BYTES, 4 * e, outC, bias); // bias may be a live tensor
    const inSize = this.stage.length, outSize = this.out.length;
    for (let n = 0; n < batches; n++) {
      this.stage.set(batches === 1 ? x : x.subarray(n * inSize, (n + 1) * inSize));
      this.run();
      y.set(this.out, n * outSize);
    }
  }
}
