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
