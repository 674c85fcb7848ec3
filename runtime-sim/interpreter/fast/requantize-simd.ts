/**
 * Per-channel int32 -> int8 requantization of four channels at once (one i32x4 of accumulators),
 * as code that generated kernels inline (conv-int8-gemm.ts) — TFLM's double rounding, exactly
 * fixed-point.ts `multiplyByQuantizedMultiplier` followed by `+ outputOffset` and the activation
 * clamp.
 *
 * Why it is exact, lane by lane (x = acc + bias, wrapping int32 like TFLM's accumulator):
 * 1. Left shift (only emitted when a channel has shift > 0): x * 2^ls with i32x4.mul, which wraps
 *    exactly like the `x * (1 << left_shift)` of the C code and Math.imul in fixed-point.ts.
 * 2. SaturatingRoundingDoublingHighMul(x, M): the 62-bit product ab = x * M comes exact from
 *    i64x2.extmul; q = (ab + 2^30) >> 31 (arithmetic) equals SRDHM whenever not both operands are
 *    INT32_MIN (see requantize-wasm.ts for the proof); quantized multipliers are >= 0, so that
 *    saturating case cannot occur. q fits in an int32 and is narrowed by a lane shuffle; its 32
 *    bits are bits 31..62 of ab + 2^30, which a logical shift brings down as well as an arithmetic
 *    one (x64 has no 64-bit arithmetic vector shift: V8 emulates i64x2.shr_s in six instructions).
 * 3. RoundingDivideByPOT(q, e) with a per-lane exponent e (SIMD has no per-lane shift, so doubles
 *    do it): v = q * 2^-e is exact in a double (q has at most 31 significant bits; scaling by a
 *    power of two only changes the exponent). Its fraction is a multiple of 2^-e, so moving it
 *    away from zero by the nudge 2^-(e+2) (w = v + copysign(nudge, v), exact: at most 33
 *    significant bits) turns every half into "just above half" and no other value crosses a
 *    half; rounding w to the nearest integer is then round-half-away-from-zero of v, gemmlowp's
 *    remainder/threshold rule (also for e = 0, v integral). The rounding itself is the FPU's:
 *    w + 1.5 * 2^52 rounds to an integer (|w| < 2^31), whose two's-complement low 32 bits are
 *    the result.
 * 4. + output zero point and the clamp: the int32 results are narrowed to int16 with saturation,
 *    the zero point added with int16 saturation, narrowed to int8 with saturation, then clamped to
 *    [actMin, actMax]. Saturating first cannot change a clamp to a sub-range of [-128, 127]
 *    (|zero point| <= 128 keeps every saturated value on the same side of the range), so this is
 *    clamp(r + zp) on unbounded integers, as the JS reference computes it.
 *
 * Table entry per four channels (REQUANT_ENTRY_BYTES, 16-byte aligned): bias i32x4 (+0),
 * multiplier i32x4 (+16), 2^leftShift i32x4 (+32), 2^-e f64x2 for lanes 0-1 (+48) and 2-3 (+64),
 * 2^-(e+2) f64x2 for lanes 0-1 (+80) and 2-3 (+96).
 */
import { encodeModule, op, I32, V128, type WasmFunction } from './wasm-encoder.js';

export const REQUANT_ENTRY_BYTES = 112;

/**
 * v128 locals the requantization code uses (indices in the generated function). The constants
 * (2^30, sign mask, 0.5) are inline v128.const: keeping them in locals across a kernel's inner loop
 * costs registers the accumulators need.
 */
export interface RequantLocals {
  /** In: accumulators including the bias. Out: the requantized int32 lanes (no zero point yet). */
  acc: number;
  mv: number; lo: number; hi: number; fa: number; fb: number;
}

const f64Bits = (x: number): number[] => Array.from(new Uint8Array(new Float64Array([x, x]).buffer));

const C2P30: number[] = (() => {
  const b = new Uint8Array(16);
  new DataView(b.buffer).setBigInt64(0, 1n << 30n, true);
  new DataView(b.buffer).setBigInt64(8, 1n << 30n, true);
  return op.v128Const(b);
})();
const SIGN = op.v128Const(f64Bits(-0));
const MAGIC = op.v128Const(f64Bits(1.5 * 2 ** 52));

const LOW_DWORDS_OF_QWORDS = [0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11];
const LOW_DWORDS_BOTH = [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27];

/**
 * Requantizes local `l.acc` in place (steps 1-3 above). `tablePtr` pushes the i32 address to which
 * `offset` (the entry's byte offset) is added.
 */
export function requantizeVectorCode(l: RequantLocals, tablePtr: number[], offset: number, leftShift: boolean): number[] {
  const { localGet: get, localSet: set } = op;
  const half = (extmul: number[], dst: number, tableOff: number): number[] => [
    ...get(l.acc), ...get(l.mv), ...extmul, ...C2P30, ...op.i64x2Add, ...op.i32Const(31), ...op.i64x2ShrU, ...set(dst),
    ...get(dst), ...get(dst), ...op.i8x16Shuffle(LOW_DWORDS_OF_QWORDS), ...op.f64x2ConvertLowI32x4S,
    ...tablePtr, ...op.v128Load(offset + tableOff), ...op.f64x2Mul, ...set(dst),
    ...get(dst), ...get(dst), ...SIGN, ...op.v128And, ...tablePtr, ...op.v128Load(offset + tableOff + 32), ...op.v128Or, ...op.f64x2Add,
    ...MAGIC, ...op.f64x2Add, ...set(dst),
  ];
  return [
    ...(leftShift ? [...get(l.acc), ...tablePtr, ...op.v128Load(offset + 32), ...op.i32x4Mul, ...set(l.acc)] : []),
    ...tablePtr, ...op.v128Load(offset + 16), ...set(l.mv),
    ...half(op.i64x2ExtmulLowI32x4S, l.fa, 48),
    ...half(op.i64x2ExtmulHighI32x4S, l.fb, 64),
    ...get(l.fa), ...get(l.fb), ...op.i8x16Shuffle(LOW_DWORDS_BOTH), ...set(l.acc),
  ];
}

/**
 * The quantization constants a generated kernel reads from its memory (not baked into the code, so
 * one compiled module serves every zero point and clamp of a layer shape): input zero point as
 * i16x8 (+0), output zero point as i16x8 (+16), actMin as i8x16 (+32), actMax as i8x16 (+48), the
 * input zero point as an i32 (+64).
 */
export const QUANT_CONSTANTS_BYTES = 80;

export function writeQuantConstants(buf: ArrayBuffer, at: number, inputZeroPoint: number, outputZeroPoint: number, actMin: number, actMax: number): void {
  new Int16Array(buf, at, 8).fill(inputZeroPoint);
  new Int16Array(buf, at + 16, 8).fill(outputZeroPoint);
  new Int8Array(buf, at + 32, 16).fill(actMin);
  new Int8Array(buf, at + 48, 16).fill(actMax);
  new Int32Array(buf, at + 64, 1)[0] = inputZeroPoint;
}

/** Where `narrowToInt8Code` finds its constants, and which clamp bounds it must apply. */
export interface NarrowParams {
  /** Address of the QUANT_CONSTANTS_BYTES block. */
  constants: number;
  /** actMin > -128 / actMax < 127: the int8 narrowing already saturates at the int8 limits. */
  clampMin: boolean; clampMax: boolean;
  tmp: number;
}

/**
 * Narrows up to four requantized i32x4 locals (`vectors`, 4 channels each) to int8 with the zero
 * point and clamp (step 4), leaving the bytes (channel order) in local `out`.
 */
export function narrowToInt8Code(n: NarrowParams, vectors: number[], out: number): number[] {
  const { localGet: get, localSet: set } = op;
  if (vectors.length < 1 || vectors.length > 4) throw new Error(`narrowToInt8Code: 1-4 vectors, got ${vectors.length}`);
  const v = (i: number): number => vectors[Math.min(i, vectors.length - 1)]!;
  const constant = (off: number): number[] => [...op.i32Const(n.constants), ...op.v128Load(off)];
  const pair = (a: number, b: number): number[] => [...get(a), ...get(b), ...op.i16x8NarrowI32x4S, ...constant(16), ...op.i16x8AddSatS];
  return [
    ...pair(v(0), v(1)), ...set(n.tmp),
    ...get(n.tmp), ...(vectors.length > 2 ? pair(v(2), v(3)) : get(n.tmp)), ...op.i8x16NarrowI16x8S,
    ...(n.clampMin ? [...constant(32), ...op.i8x16MaxS] : []), ...(n.clampMax ? [...constant(48), ...op.i8x16MinS] : []), ...set(out),
  ];
}

/** Stores the first `bytes` (1-16) bytes of v128 local `src` at address `addr` + `offset`. */
export function storeBytesCode(addr: number[], src: number, bytes: number, offset = 0): number[] {
  if (bytes === 16) return [...addr, ...op.localGet(src), ...op.v128Store(offset)];
  const out: number[] = [];
  let at = 0;
  for (const size of [8, 4, 2, 1]) {
    if (bytes - at < size) continue;
    const store = size === 8 ? op.v128Store64Lane : size === 4 ? op.v128Store32Lane : size === 2 ? op.v128Store16Lane : op.v128Store8Lane;
    out.push(...addr, ...op.localGet(src), ...store(offset + at, at / size));
    at += size;
  }
  return out;
}

/** Writes one table entry for channels `first .. first + 3` (channels >= `channels` get neutral values). */
export function writeRequantEntry(dv: DataView, at: number, first: number, channels: number, bias: Int32Array | null, multiplier: Int32Array, shift: Int32Array): void {
  for (let j = 0; j < 4; j++) {
    const c = first + j;
    const valid = c < channels;
    const s = !valid ? 0 : shift.length === 1 ? shift[0]! : shift[c]!;
    const m = !valid ? 0 : multiplier.length === 1 ? multiplier[0]! : multiplier[c]!;
    dv.setInt32(at + 4 * j, valid && bias !== null ? bias[c]! : 0, true);
    dv.setInt32(at + 16 + 4 * j, m, true);
    dv.setInt32(at + 32 + 4 * j, (2 ** (s > 0 ? s : 0)) | 0, true); // 2^31 wraps to INT32_MIN: still x << 31
    const e = s > 0 ? 0 : -s;
    dv.setFloat64(at + 48 + 8 * j, 2 ** -e, true);
    dv.setFloat64(at + 80 + 8 * j, 2 ** -(e + 2), true);
  }
}

/** Writes only the bias lanes of an entry (the bias tensor may change between invokes). */
export function writeRequantBias(dv: DataView, at: number, first: number, channels: number, bias: Int32Array | null): void {
  for (let j = 0; j < 4; j++) dv.setInt32(at + 4 * j, first + j < channels && bias !== null ? bias[first + j]! : 0, true);
}

// ---- standalone module: the hook the tests use to compare this code with fixed-point.ts ----

const SP = { acc: 0, table: 1, out: 2, count: 3, vecsPerRow: 4 };
const STANDALONE_CONSTANTS = 0;
const SL = { i: 5, v: 6, ap: 7, tp: 8, op: 9 };
const SV = { acc: 10, mv: 11, lo: 12, hi: 13, fa: 14, fb: 15, tmp: 16, out: 17 };

/** For each accumulator vector i (rows of vecsPerRow, table entry i % vecsPerRow): + bias, requantize, narrow, 4 bytes at out + 4 i. */
function standaloneFunction(leftShift: boolean): WasmFunction {
  const { localGet: get, localSet: set, i32Const: c } = op;
  const inc = (local: number, by: number[]): number[] => [...get(local), ...by, ...op.i32Add, ...set(local)];
  const l: RequantLocals = { acc: SV.acc, mv: SV.mv, lo: SV.lo, hi: SV.hi, fa: SV.fa, fb: SV.fb };
  const body = op.loop([
    ...get(SL.ap), ...op.v128Load(0), ...get(SL.tp), ...op.v128Load(0), ...op.i32x4Add, ...set(SV.acc),
    ...requantizeVectorCode(l, get(SL.tp), 0, leftShift),
    ...narrowToInt8Code({ constants: STANDALONE_CONSTANTS, clampMin: true, clampMax: true, tmp: SV.tmp }, [SV.acc], SV.out),
    ...storeBytesCode(get(SL.op), SV.out, 4),
    ...inc(SL.ap, c(16)), ...inc(SL.op, c(4)), ...inc(SL.tp, c(REQUANT_ENTRY_BYTES)), ...inc(SL.v, c(1)),
    ...op.block([
      ...get(SL.v), ...get(SP.vecsPerRow), ...op.i32LtS, ...op.brIf(0),
      ...c(0), ...set(SL.v), ...get(SP.table), ...set(SL.tp),
    ]),
    ...inc(SL.i, c(1)), ...get(SL.i), ...get(SP.count), ...op.i32LtS, ...op.brIf(0),
  ]);
  return {
    exportName: 'requant',
    params: 5,
    locals: [[5, I32], [8, V128]],
    body: [
      ...get(SP.acc), ...set(SL.ap), ...get(SP.table), ...set(SL.tp), ...get(SP.out), ...set(SL.op),
      ...op.block([...get(SP.count), ...c(1), ...op.i32LtS, ...op.brIf(0), ...body]),
    ],
  };
}

type StandaloneRun = (acc: number, table: number, out: number, count: number, vecsPerRow: number) => void;
let standalone: { plain: WebAssembly.Module; shift: WebAssembly.Module } | null | undefined;

function standaloneModules(): { plain: WebAssembly.Module; shift: WebAssembly.Module } | null {
  if (standalone !== undefined) return standalone;
  try {
    standalone = {
      plain: new WebAssembly.Module(encodeModule([standaloneFunction(false)], 1)),
      shift: new WebAssembly.Module(encodeModule([standaloneFunction(true)], 1)),
    };
  } catch {
    standalone = null;
  }
  return standalone;
}

/**
 * Requantizes `acc` ([rows][channels] int32, the bias not yet added) with the SIMD code above, in a
 * module compiled for these constants. `leftShift` false emits the variant without step 1 (valid
 * only when no shift is positive). Returns null when WebAssembly SIMD is unavailable.
 */
export function requantizePerChannelInt8Simd(acc: Int32Array, channels: number, bias: Int32Array | null, multiplier: Int32Array, shift: Int32Array,
  outOff: number, actMin: number, actMax: number, leftShift = true): Int8Array | null {
  if (typeof WebAssembly === 'undefined') return null;
  const rows = acc.length / channels, vecs = Math.ceil(channels / 4);
  const base = QUANT_CONSTANTS_BYTES, tableBytes = vecs * REQUANT_ENTRY_BYTES, accBytes = rows * vecs * 16, outBytes = rows * vecs * 4;
  const m = standaloneModules();
  if (m === null) return null;
  const inst = new WebAssembly.Instance(leftShift ? m.shift : m.plain, {});
  const mem = inst.exports['mem'] as WebAssembly.Memory;
  const need = base + tableBytes + accBytes + outBytes;
  if (need > mem.buffer.byteLength) mem.grow(Math.ceil((need - mem.buffer.byteLength) / 65536));
  const buf = mem.buffer, dv = new DataView(buf); // taken after grow: growing detaches earlier views
  writeQuantConstants(buf, STANDALONE_CONSTANTS, 0, outOff, actMin, actMax);
  for (let v = 0; v < vecs; v++) writeRequantEntry(dv, base + v * REQUANT_ENTRY_BYTES, 4 * v, channels, bias, multiplier, shift);
  const accView = new Int32Array(buf, base + tableBytes, rows * vecs * 4);
  for (let r = 0; r < rows; r++) for (let c = 0; c < channels; c++) accView[r * vecs * 4 + c] = acc[r * channels + c]!;
  (inst.exports['requant'] as unknown as StandaloneRun)(base + tableBytes, base, base + tableBytes + accBytes, rows * vecs, vecs);
  const out = new Int8Array(buf, base + tableBytes + accBytes, outBytes);
  const y = new Int8Array(acc.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < channels; c++) y[r * channels + c] = out[r * vecs * 4 + c]!;
  return y;
}
