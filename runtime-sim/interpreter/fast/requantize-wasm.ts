/**
 * Per-channel int32 -> int8 requantization as a scalar WebAssembly function, for modules whose
 * kernels leave int32 accumulators in their memory (conv-int8-simd.ts, depthwise-int8-simd.ts).
 *
 * Exactly fixed-point.ts multiplyByQuantizedMultiplier (TFLM double rounding), folded into one
 * 64-bit rounding shift. With x = (acc + bias[c]) << leftShift (wrapping int32, as the C code) and
 * ab = int64(x) * multiplier (exact):
 *   SRDHM: q = trunc((ab + (ab >= 0 ? 2^30 : 1 - 2^30)) / 2^31). For ab >= 0 that is
 *     floor((ab + 2^30) / 2^31); for ab < 0 the dividend is negative, trunc = ceil, and
 *     ceil((ab + 1 - 2^30) / 2^31) = floor((ab + 1 - 2^30 + 2^31 - 1) / 2^31) = floor((ab + 2^30) / 2^31).
 *     So q = (ab + 2^30) >> 31 in both cases, and q < 0 exactly when t = ab + 2^30 < 0.
 *   RoundingDivideByPOT(q, e) (round half away from zero) = floor((q + r) / 2^e) with
 *     r = 2^(e-1) when q >= 0, 2^(e-1) - 1 when q < 0, and r = 0 when e = 0.
 *   Nested floors of integer divisions merge: floor((floor(t / 2^31) + r) / 2^e) = floor((t + r * 2^31) / 2^(31+e)),
 *   so out = (t + (t < 0 ? rNeg : rPos) * 2^31) >> (31 + e), then + outputOffset and the clamp.
 * |t + r * 2^31| < 2^62 + 2^61: no int64 overflow. The saturating case of SRDHM (both operands
 * INT32_MIN) cannot occur: quantized multipliers are in [0, 2^31). The test compares this with
 * fixed-point.ts on millions of random and boundary inputs. Channel table: 4 int32 per channel
 * (bias, multiplier, leftShift, rightShift).
 */
import { encodeModule, I32, I64, op, type WasmFunction } from './wasm-encoder.js';

const P = { accBase: 0, yBase: 1, pixels: 2, outC: 3, accStrideB: 4, chanBase: 5, outOff: 6, actMin: 7, actMax: 8 };
const L = { p: 9, oc: 10, yp: 11, cp: 12, aq: 13, v: 14, e: 15, b: 16, ls: 17, m64: 18, t: 19, rPos: 20, rNeg: 21, sh: 22 };

/** Builds `requantize(accBase, yBase, pixels, outC, accStrideB, chanBase, outOff, actMin, actMax)`. */
export function requantizeFunction(): WasmFunction {
  const { localGet: get, localSet: set, localTee: tee, i32Const: c } = op;
  const inc = (local: number, by: number[]): number[] => [...get(local), ...by, ...op.i32Add, ...set(local)];
  // Channel-outer order: the channel's constants live in locals for the whole pixel loop.
  const element = [
    // t = int64((acc + bias) << leftShift) * multiplier + 2^30
    ...get(L.aq), ...op.i32Load(0), ...get(L.b), ...op.i32Add, ...get(L.ls), ...op.i32Shl,
    ...op.i64ExtendI32S, ...get(L.m64), ...op.i64Mul, ...op.i64Const(2 ** 30), ...op.i64Add, ...tee(L.t),
    // out = (t + (t < 0 ? rNeg : rPos)) >> (31 + e)
    ...get(L.rNeg), ...get(L.rPos), ...get(L.t), ...op.i64Const(0), ...op.i64LtS, ...op.select, ...op.i64Add,
    ...get(L.sh), ...op.i64ShrS, ...op.i32WrapI64,
    // + output offset, clamp, store
    ...get(P.outOff), ...op.i32Add, ...set(L.v),
    ...get(P.actMin), ...get(L.v), ...get(L.v), ...get(P.actMin), ...op.i32LtS, ...op.select, ...set(L.v),
    ...get(P.actMax), ...get(L.v), ...get(L.v), ...get(P.actMax), ...op.i32GtS, ...op.select, ...set(L.v),
    ...get(L.yp), ...get(L.v), ...op.i32Store8(0),
  ];
  const pLoop = op.loop([
    ...element,
    ...inc(L.yp, get(P.outC)), ...inc(L.aq, get(P.accStrideB)), ...inc(L.p, c(1)),
    ...get(L.p), ...get(P.pixels), ...op.i32LtS, ...op.brIf(0),
  ]);
  const r = (minus: number): number[] => [ // (e > 0 ? 2^(e-1) - minus : 0) * 2^31 as int64
    ...c(1), ...get(L.e), ...c(1), ...op.i32Sub, ...op.i32Shl, ...c(minus), ...op.i32Sub, ...c(0), ...get(L.e), ...op.select,
    ...op.i64ExtendI32S, ...op.i64Const(31), ...op.i64Shl,
  ];
  const ocLoop = op.loop([
    ...get(L.cp), ...op.i32Load(0), ...set(L.b),
    ...get(L.cp), ...op.i32Load(4), ...op.i64ExtendI32S, ...set(L.m64),
    ...get(L.cp), ...op.i32Load(8), ...set(L.ls),
    ...get(L.cp), ...op.i32Load(12), ...set(L.e),
    ...r(0), ...set(L.rPos), ...r(1), ...set(L.rNeg),
    ...get(L.e), ...c(31), ...op.i32Add, ...op.i64ExtendI32S, ...set(L.sh),
    ...get(P.accBase), ...get(L.oc), ...c(4), ...op.i32Mul, ...op.i32Add, ...set(L.aq),
    ...get(P.yBase), ...get(L.oc), ...op.i32Add, ...set(L.yp),
    ...c(0), ...set(L.p),
    ...pLoop,
    ...inc(L.cp, c(16)), ...inc(L.oc, c(1)),
    ...get(L.oc), ...get(P.outC), ...op.i32LtS, ...op.brIf(0),
  ]);
  return {
    exportName: 'requantize',
    params: 9,
    locals: [[9, I32], [5, I64]],
    body: [
      ...op.block([
        ...get(P.pixels), ...c(1), ...op.i32LtS, ...op.brIf(0),
        ...get(P.outC), ...c(1), ...op.i32LtS, ...op.brIf(0),
        ...get(P.chanBase), ...set(L.cp), ...c(0), ...set(L.oc),
        ...ocLoop,
      ]),
    ],
  };
}

/** Writes the channel table (bias, multiplier, leftShift, rightShift per channel) into `table`. */
export function fillChannelTable(table: Int32Array, bias: Int32Array | null, multiplier: Int32Array, shift: Int32Array, channels: number): void {
  for (let c = 0; c < channels; c++) {
    const s = shift.length === 1 ? shift[0]! : shift[c]!;
    table[4 * c] = bias !== null ? bias[c]! : 0;
    table[4 * c + 1] = multiplier.length === 1 ? multiplier[0]! : multiplier[c]!;
    table[4 * c + 2] = s > 0 ? s : 0;
    table[4 * c + 3] = s > 0 ? 0 : -s;
  }
}

type Requantize = (accBase: number, yBase: number, pixels: number, outC: number, accStrideB: number, chanBase: number, outOff: number, actMin: number, actMax: number) => void;
let standalone: { run: Requantize; mem: WebAssembly.Memory } | null = null;

/**
 * Runs the WebAssembly requantization on `acc` ([pixels][channels] int32) in a private module:
 * the hook the tests use to compare it with fixed-point.ts on arbitrary inputs. Returns null when
 * WebAssembly is unavailable.
 */
export function requantizePerChannelInt8Wasm(acc: Int32Array, channels: number, bias: Int32Array | null, multiplier: Int32Array, shift: Int32Array, outOff: number, actMin: number, actMax: number): Int8Array | null {
  if (typeof WebAssembly === 'undefined') return null;
  if (standalone === null) {
    const inst = new WebAssembly.Instance(new WebAssembly.Module(encodeModule([requantizeFunction()], 1)), {});
    standalone = { run: inst.exports['requantize'] as unknown as Requantize, mem: inst.exports['mem'] as WebAssembly.Memory };
  }
  const pixels = acc.length / channels;
  const tableBase = 0, accBase = channels * 16, yBase = accBase + acc.length * 4;
  const need = yBase + acc.length;
  const have = standalone.mem.buffer.byteLength;
  if (need > have) standalone.mem.grow(Math.ceil((need - have) / 65536));
  const buf = standalone.mem.buffer;
  fillChannelTable(new Int32Array(buf, tableBase, channels * 4), bias, multiplier, shift, channels);
  new Int32Array(buf, accBase, acc.length).set(acc);
  standalone.run(accBase, yBase, pixels, channels, channels * 4, tableBase, outOff, actMin, actMax);
  return new Int8Array(buf, yBase, acc.length).slice();
}
