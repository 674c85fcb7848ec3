/**
 * WASM SIMD body of a "patch GEMM": the filter gradient of a dense convolution written as
 *   dW[t, co] += sum_p A(p, t) * dy[p, co],   A(p, t) = f32 at aPtr + base[p] + off[t]
 * where p runs over output positions (n, i, j) and t over filter taps (kh, kw, ci). Tables of byte
 * offsets describe A without materialising im2col: a 1x1 stride-1 conv has base[p] = p * Cin * 4,
 * off[t] = t * 4; a single-channel conv over a padded image has base[p] = the patch's top-left
 * pixel, off[t] = (a * Wp + b) * 4.
 *
 * Register tile: 2 taps x 16 output channels (8 f32x4 accumulators, 4 dy vectors, 2 splats: 14 of
 * the 16 SIMD registers on x86-64), p innermost. The caller feeds p in chunks that fit L2 and the
 * tile sums of each chunk are added to float64 totals, in a fixed order.
 * Requirements: T even (pad the offset table), Co % 16 == 0.
 */
import { T, a, addTo, flushF32x4ToF64, forRange, type AsmFunction, type Bytes } from './simd-assembler.js';

const P = { aPtr: 0, basePtr: 1, offTab: 2, dyPtr: 3, outPtr: 4, rows: 5, taps: 6, coBytes: 7 };
const L = { t: 8, off0: 9, off1: 10, cb: 11, p: 12, bp: 13, dyp: 14, addr: 15, outRow: 16, acc: 17, s0: 25, s1: 26, d: 27 };

/** patchGemm(aPtr, basePtr, offTab, dyPtr, outF64, rows, taps, coBytes) */
export function patchGemmFunction(): AsmFunction {
  const { get, set, i32 } = a;
  const madd = (acc: number, s: number, d: number): Bytes => [
    ...get(L.acc + acc), ...get(s), ...get(L.d + d), ...a.f32x4Mul, ...a.f32x4Add, ...set(L.acc + acc),
  ];
  const inner: Bytes = [
    ...get(P.aPtr), ...get(L.bp), ...a.i32Load(), ...a.i32Add, ...set(L.addr),
    ...get(L.addr), ...get(L.off0), ...a.i32Add, ...a.v128Load32Splat(), ...set(L.s0),
    ...get(L.addr), ...get(L.off1), ...a.i32Add, ...a.v128Load32Splat(), ...set(L.s1),
    ...[0, 1, 2, 3].flatMap((k) => [...get(L.dyp), ...a.v128Load(16 * k), ...set(L.d + k)]),
    ...[0, 1, 2, 3].flatMap((k) => madd(k, L.s0, k)),
    ...[0, 1, 2, 3].flatMap((k) => madd(4 + k, L.s1, k)),
    ...addTo(L.bp, i32(4)),
    ...addTo(L.dyp, get(P.coBytes)),
  ];
  // out is float64: channel byte offset x of an f32 row maps to 2x
  const outAddr = (row: Bytes, k: number): Bytes => [...row, ...i32(32 * k), ...a.i32Add];
  const body = forRange(L.t, i32(0), get(P.taps), [
    ...get(P.offTab), ...get(L.t), ...i32(4), ...a.i32Mul, ...a.i32Add, ...a.tee(L.off0), ...a.i32Load(4), ...set(L.off1),
    ...get(P.offTab), ...get(L.t), ...i32(4), ...a.i32Mul, ...a.i32Add, ...a.i32Load(), ...set(L.off0),
    ...forRange(L.cb, i32(0), get(P.coBytes), [
      ...[0, 1, 2, 3, 4, 5, 6, 7].flatMap((k) => [...a.v128Zero, ...set(L.acc + k)]),
      ...get(P.basePtr), ...set(L.bp),
      ...get(P.dyPtr), ...get(L.cb), ...a.i32Add, ...set(L.dyp),
      ...forRange(L.p, i32(0), get(P.rows), inner),
      ...get(P.outPtr), ...get(L.t), ...get(P.coBytes), ...a.i32Mul, ...get(L.cb), ...a.i32Add, ...i32(2), ...a.i32Mul, ...a.i32Add, ...set(L.outRow),
      ...[0, 1, 2, 3].flatMap((k) => flushF32x4ToF64(outAddr(get(L.outRow), k), L.acc + k)),
      ...[0, 1, 2, 3].flatMap((k) => flushF32x4ToF64(outAddr([...get(L.outRow), ...get(P.coBytes), ...i32(2), ...a.i32Mul, ...a.i32Add], k), L.acc + 4 + k)),
    ], i32(64)),
  ], i32(2));
  return {
    name: 'patchGemm',
    params: new Array(8).fill(T.i32),
    locals: [...new Array(9).fill(T.i32), ...new Array(14).fill(T.v128)],
    body,
  };
}
