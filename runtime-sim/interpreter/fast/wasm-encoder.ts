/**
 * A minimal WebAssembly binary encoder: just enough to emit the few hand-written integer SIMD
 * kernels in this folder (no text-format toolchain is available offline, and the kernels are small
 * enough to spell out instruction by instruction). Only i32 / v128 values, one exported memory per
 * module, functions with i32 parameters and no results.
 *
 * Encoding reference: the WebAssembly core spec (binary format) and the fixed-width SIMD proposal
 * (0xfd-prefixed opcodes). Everything here is deterministic integer code.
 */

export const I32 = 0x7f;
export const I64 = 0x7e;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of an int32. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

/** Signed LEB128 of an integer-valued double (exact up to 2^53). */
export function sleb64(n: number): number[] {
  const out: number[] = [];
  let v = BigInt(n);
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

function name(s: string): number[] {
  const b = Array.from(new TextEncoder().encode(s));
  return [...uleb(b.length), ...b];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** Instruction helpers (each returns its bytes). */
export const op = {
  localGet: (i: number): number[] => [0x20, ...uleb(i)],
  localSet: (i: number): number[] => [0x21, ...uleb(i)],
  localTee: (i: number): number[] => [0x22, ...uleb(i)],
  i32Const: (n: number): number[] => [0x41, ...sleb(n)],
  /** i64.const of any integer up to 2^53 in magnitude. */
  i64Const: (n: number): number[] => [0x42, ...sleb64(n)],
  i32Add: [0x6a],
  i32And: [0x71],
  i32Shl: [0x74],
  i32ShrS: [0x75],
  i32GtS: [0x4a],
  i32WrapI64: [0xa7],
  i64ExtendI32S: [0xac],
  i64Add: [0x7c],
  i64Mul: [0x7e],
  i64DivS: [0x7f],
  i64GeS: [0x59],
  i64LtS: [0x53],
  i64ShrS: [0x87],
  i64Shl: [0x86],
  select: [0x1b],
  i32Store8: (offset = 0): number[] => [0x3a, 0, ...uleb(offset)],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32LtU: [0x49],
  i32LtS: [0x48],
  i32Store: (offset = 0): number[] => [0x36, 2, ...uleb(offset)],
  i32Load: (offset = 0): number[] => [0x28, 2, ...uleb(offset)],
  /** A block/loop/if with no result value. */
  loop: (body: number[]): number[] => [0x03, 0x40, ...body, 0x0b],
  block: (body: number[]): number[] => [0x02, 0x40, ...body, 0x0b],
  brIf: (depth: number): number[] => [0x0d, ...uleb(depth)],
  br: (depth: number): number[] => [0x0c, ...uleb(depth)],
  // SIMD (prefix 0xfd, LEB opcode). Alignment hint 0 (unaligned access is allowed).
  v128Load: (offset = 0): number[] => [0xfd, ...uleb(0), 0, ...uleb(offset)],
  /** v128.load16x4_s: four int16 sign-extended to i32x4. */
  v128Load16x4S: (offset = 0): number[] => [0xfd, ...uleb(3), 0, ...uleb(offset)],
  v128Store: (offset = 0): number[] => [0xfd, ...uleb(11), 0, ...uleb(offset)],
  v128Zero: [0xfd, ...uleb(12), ...new Array<number>(16).fill(0)],
  i32x4ExtractLane: (lane: number): number[] => [0xfd, ...uleb(27), lane],
  i32x4Add: [0xfd, ...uleb(174)],
  i32x4Mul: [0xfd, ...uleb(181)],
  i32x4DotI16x8S: [0xfd, ...uleb(186)],
  i32x4ExtendLowI16x8S: [0xfd, ...uleb(167)],
  i32x4ExtendHighI16x8S: [0xfd, ...uleb(168)],
  i8x16Splat: [0xfd, ...uleb(15)],
  i8x16MinS: [0xfd, ...uleb(118)],
  i8x16MaxS: [0xfd, ...uleb(120)],
  i16x8Splat: [0xfd, ...uleb(16)],
  i32x4Splat: [0xfd, ...uleb(17)],
  // Added for the per-layer generated kernels (conv-int8-simd.ts, depthwise-int8-lanes.ts,
  // average-pool-int8-simd.ts, requantize-simd.ts).
  i32Load8S: (offset = 0): number[] => [0x2c, 0, ...uleb(offset)],
  i32Store16: (offset = 0): number[] => [0x3b, 1, ...uleb(offset)],
  i32Eq: [0x46],
  /** if/else with no result value: `ifElse(then, else)`. */
  ifElse: (then: number[], otherwise: number[] = []): number[] => [0x04, 0x40, ...then, ...(otherwise.length > 0 ? [0x05, ...otherwise] : []), 0x0b],
  /** v128.load32_splat: one 32-bit value (here two int16) into all four lanes. */
  v128Load32Splat: (offset = 0): number[] => [0xfd, ...uleb(9), 0, ...uleb(offset)],
  /** v128.load8x8_s: eight int8 sign-extended to i16x8. */
  v128Load8x8S: (offset = 0): number[] => [0xfd, ...uleb(1), 0, ...uleb(offset)],
  /** v128.storeN_lane: stores lane `lane` of the N-bit view. */
  v128Store8Lane: (offset: number, lane: number): number[] => [0xfd, ...uleb(0x58), 0, ...uleb(offset), lane],
  v128Store16Lane: (offset: number, lane: number): number[] => [0xfd, ...uleb(0x59), 0, ...uleb(offset), lane],
  v128Store32Lane: (offset: number, lane: number): number[] => [0xfd, ...uleb(0x5a), 0, ...uleb(offset), lane],
  v128Store64Lane: (offset: number, lane: number): number[] => [0xfd, ...uleb(0x5b), 0, ...uleb(offset), lane],
  /** v128.const from 16 bytes. */
  v128Const: (bytes: ArrayLike<number>): number[] => [0xfd, ...uleb(12), ...Array.from(bytes, (b) => b & 0xff)],
  /** i8x16.shuffle with 16 lane indices (0-15 first operand, 16-31 second). */
  i8x16Shuffle: (lanes: number[]): number[] => [0xfd, ...uleb(13), ...lanes],
  v128And: [0xfd, ...uleb(0x4e)],
  v128Or: [0xfd, ...uleb(0x50)],
  i8x16NarrowI16x8S: [0xfd, ...uleb(0x65)],
  i16x8NarrowI32x4S: [0xfd, ...uleb(0x85)],
  i16x8AddSatS: [0xfd, ...uleb(0x8f)],
  i16x8Sub: [0xfd, ...uleb(0x91)],
  i64x2ShrU: [0xfd, ...uleb(0xcd)],
  i64x2Add: [0xfd, ...uleb(0xce)],
  i64x2ExtmulLowI32x4S: [0xfd, ...uleb(0xdc)],
  i64x2ExtmulHighI32x4S: [0xfd, ...uleb(0xdd)],
  f64x2Add: [0xfd, ...uleb(0xf0)],
  f64x2Mul: [0xfd, ...uleb(0xf2)],
  f64x2ConvertLowI32x4S: [0xfd, ...uleb(0xfe)],
};

export interface WasmFunction {
  exportName: string;
  params: number;
  /** Extra locals after the parameters, in order: [count, type] runs. */
  locals: [number, number][];
  body: number[];
}

/** Encodes a module with one exported memory ("mem", `pages` initial 64 KiB pages) and the functions. */
export function encodeModule(functions: WasmFunction[], pages: number): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...uleb(f.params), ...new Array<number>(f.params).fill(I32), 0]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(7, vec([[...name('mem'), 0x02, 0], ...functions.map((f, i) => [...name(f.exportName), 0x00, ...uleb(i)])])),
    ...section(10, vec(functions.map((f) => {
      const body = [...vec(f.locals.map(([n, t]) => [...uleb(n), t])), ...f.body, 0x0b];
      return [...uleb(body.length), ...body];
    }))),
  ];
  return Uint8Array.from(bytes);
}
