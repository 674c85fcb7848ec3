/**
 * A small WebAssembly assembler for the float32 SIMD training kernels: modules that IMPORT their
 * memory, so the kernels run directly on tfjs-backend-wasm's heap (tensor data is addressed by its
 * byte offset there: no copies in or out). runtime-sim/interpreter/fast/wasm-encoder.ts covers the
 * integer inference kernels (exported memory, i32 parameters); this adds f32/f64/v128 value types,
 * float SIMD arithmetic and structured loops. Encoding: WebAssembly core spec (binary format) and
 * the fixed-width SIMD opcodes (0xfd prefix, LEB128 opcode).
 */
import { sleb, uleb } from '../../../runtime-sim/interpreter/fast/wasm-encoder.js';

export const T = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
export type ValueType = (typeof T)[keyof typeof T];
export type Bytes = number[];

export interface AsmFunction {
  name: string;
  params: ValueType[];
  /** extra locals, one entry per local, numbered after the parameters */
  locals: ValueType[];
  body: Bytes;
}

const simd = (code: number, ...imm: number[]): Bytes => [0xfd, ...uleb(code), ...imm];
/** memarg for SIMD and scalar memory ops: alignment hint (log2), byte offset */
const mem = (align: number, offset: number): Bytes => [align, ...uleb(offset)];

function f32Bytes(v: number): Bytes {
  return Array.from(new Uint8Array(Float32Array.of(v).buffer));
}

export const a = {
  get: (i: number): Bytes => [0x20, ...uleb(i)],
  set: (i: number): Bytes => [0x21, ...uleb(i)],
  tee: (i: number): Bytes => [0x22, ...uleb(i)],
  i32: (n: number): Bytes => [0x41, ...sleb(n)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32LtS: [0x48],
  i32LtU: [0x49],
  i32GeS: [0x4e],
  i32Eqz: [0x45],
  select: [0x1b],
  i32Load: (offset = 0): Bytes => [0x28, ...mem(2, offset)],
  f32: (v: number): Bytes => [0x43, ...f32Bytes(v)],
  f32Load: (offset = 0): Bytes => [0x2a, ...mem(2, offset)],
  f32Store: (offset = 0): Bytes => [0x38, ...mem(2, offset)],
  f64Load: (offset = 0): Bytes => [0x2b, ...mem(3, offset)],
  f64Store: (offset = 0): Bytes => [0x39, ...mem(3, offset)],
  v128Load: (offset = 0): Bytes => simd(0x00, ...mem(0, offset)),
  v128Load32Splat: (offset = 0): Bytes => simd(0x09, ...mem(0, offset)),
  v128Store: (offset = 0): Bytes => simd(0x0b, ...mem(0, offset)),
  v128Zero: simd(0x0c, ...new Array<number>(16).fill(0)),
  /** lanes 2,3 of the first operand into lanes 0,1 (for promoting the high half) */
  f32x4HighToLow: simd(0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15),
  f32x4Splat: simd(0x13),
  f32x4Add: simd(0xe4),
  f32x4Sub: simd(0xe5),
  f32x4Mul: simd(0xe6),
  f32x4Gt: simd(0x44),
  /** IEEE max with -0 < +0 and NaN propagating: max(x, 0) maps -0 to +0, like tfjs' relu */
  f32x4Max: simd(0xe9),
  v128And: simd(0x4e),
  f64x2Add: simd(0xf0),
  f64x2PromoteLowF32x4: simd(0x5f),
  block: (body: Bytes): Bytes => [0x02, 0x40, ...body, 0x0b],
  loop: (body: Bytes): Bytes => [0x03, 0x40, ...body, 0x0b],
  if: (body: Bytes): Bytes => [0x04, 0x40, ...body, 0x0b],
  br: (depth: number): Bytes => [0x0c, ...uleb(depth)],
  brIf: (depth: number): Bytes => [0x0d, ...uleb(depth)],
};

/** local += bytes (an i32 expression) */
export function addTo(local: number, value: Bytes): Bytes {
  return [...a.get(local), ...value, ...a.i32Add, ...a.set(local)];
}

/**
 * for (i = from; i < to; i += step) body — `from`, `to` and `step` are i32 expressions (`to` is
 * re-evaluated each iteration, so keep it a local or constant). The body must not branch out.
 */
export function forRange(i: number, from: Bytes, to: Bytes, body: Bytes, step: Bytes = a.i32(1)): Bytes {
  return [
    ...from, ...a.set(i),
    ...a.block(a.loop([
      ...a.get(i), ...to, ...a.i32GeS, ...a.brIf(1),
      ...body,
      ...addTo(i, step),
      ...a.br(0),
    ])),
  ];
}

/** acc(f32x4 at address expression) += value (v128 expression): load, add, store. */
export function accumulateF32x4(address: Bytes, value: Bytes, offset = 0): Bytes {
  return [...address, ...address, ...a.v128Load(offset), ...value, ...a.f32x4Add, ...a.v128Store(offset)];
}

/** Adds the four f32 lanes of a v128 local into two f64x2 at `address` (32 bytes), exactly. */
export function flushF32x4ToF64(address: Bytes, vLocal: number): Bytes {
  return [
    ...address, ...address, ...a.v128Load(0), ...a.get(vLocal), ...a.f64x2PromoteLowF32x4, ...a.f64x2Add, ...a.v128Store(0),
    ...address, ...address, ...a.v128Load(16),
    ...a.get(vLocal), ...a.get(vLocal), ...a.f32x4HighToLow, ...a.f64x2PromoteLowF32x4, ...a.f64x2Add, ...a.v128Store(16),
  ];
}

function section(id: number, body: Bytes): Bytes {
  return [id, ...uleb(body.length), ...body];
}

function vec(items: Bytes[]): Bytes {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): Bytes {
  const b = Array.from(new TextEncoder().encode(s));
  return [...uleb(b.length), ...b];
}

/** A module importing `env.memory` (any size, growable) and exporting each function by name. */
export function encodeModuleImportingMemory(functions: AsmFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((p) => [p])), 0]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(functions.map((f) => {
      const body = [...vec(f.locals.map((t) => [1, t])), ...f.body, 0x0b];
      return [...uleb(body.length), ...body];
    }))),
  ];
  return Uint8Array.from(bytes);
}
