/**
 * WASM SIMD body of a dense convolution forward pass through offset tables (the forward twin of
 * patch-gemm-simd.ts):  y[p, co] = sum_t A(p, t) * W[t, co],  A(p, t) = f32 at aPtr + base[p] + off[t].
 * Used for single-input-channel convs (a DS-CNN's first 10x4 layer), where XNNPACK's packed GEMM
 * gets ~4 GMAC/s: register tile 2 positions x 16 output channels (8 accumulators, 4 weight
 * vectors, 2 splats), taps innermost in a fixed order. Requirements: rows even, Co % 16 == 0.
 */
import { T, a, addTo, forRange, type AsmFunction, type Bytes } from './simd-assembler.js';

const P = { aPtr: 0, basePtr: 1, offTab: 2, wPtr: 3, yPtr: 4, rows: 5, taps: 6, coBytes: 7 };
const L = { p: 8, cb: 9, t: 10, a0: 11, a1: 12, wp: 13, yp: 14, tp: 15, off: 16, acc: 17, s0: 25, s1: 26, w: 27 };

/** patchConvForward(aPtr, basePtr, offTab, wPtr, yPtr, rows, taps, coBytes) */
export function patchConvForwardFunction(): AsmFunction {
  const { get, set, i32 } = a;
  const madd = (acc: number, s: number, w: number): Bytes => [
    ...get(L.acc + acc), ...get(s), ...get(L.w + w), ...a.f32x4Mul, ...a.f32x4Add, ...set(L.acc + acc),
  ];
  const tapLoop = forRange(L.t, i32(0), get(P.taps), [
    ...get(L.tp), ...a.i32Load(), ...set(L.off),
    ...get(L.a0), ...get(L.off), ...a.i32Add, ...a.v128Load32Splat(), ...set(L.s0),
    ...get(L.a1), ...get(L.off), ...a.i32Add, ...a.v128Load32Splat(), ...set(L.s1),
    ...[0, 1, 2, 3].flatMap((k) => [...get(L.wp), ...a.v128Load(16 * k), ...set(L.w + k)]),
    ...[0, 1, 2, 3].flatMap((k) => madd(k, L.s0, k)),
    ...[0, 1, 2, 3].flatMap((k) => madd(4 + k, L.s1, k)),
    ...addTo(L.tp, i32(4)),
    ...addTo(L.wp, get(P.coBytes)),
  ]);
  const body = forRange(L.p, i32(0), get(P.rows), [
    ...get(P.aPtr), ...get(P.basePtr), ...get(L.p), ...i32(4), ...a.i32Mul, ...a.i32Add, ...a.i32Load(), ...a.i32Add, ...set(L.a0),
    ...get(P.aPtr), ...get(P.basePtr), ...get(L.p), ...i32(4), ...a.i32Mul, ...a.i32Add, ...a.i32Load(4), ...a.i32Add, ...set(L.a1),
    ...forRange(L.cb, i32(0), get(P.coBytes), [
      ...[0, 1, 2, 3, 4, 5, 6, 7].flatMap((k) => [...a.v128Zero, ...set(L.acc + k)]),
      ...get(P.wPtr), ...get(L.cb), ...a.i32Add, ...set(L.wp),
      ...get(P.offTab), ...set(L.tp),
      ...tapLoop,
      ...get(P.yPtr), ...get(L.p), ...get(P.coBytes), ...a.i32Mul, ...a.i32Add, ...get(L.cb), ...a.i32Add, ...set(L.yp),
      ...[0, 1, 2, 3].flatMap((k) => [...get(L.yp), ...get(L.acc + k), ...a.v128Store(16 * k)]),
      ...addTo(L.yp, get(P.coBytes)),
      ...[0, 1, 2, 3].flatMap((k) => [...get(L.yp), ...get(L.acc + 4 + k), ...a.v128Store(16 * k)]),
    ], i32(64)),
  ], i32(2));
  return {
    name: 'patchConvForward',
    params: new Array(8).fill(T.i32),
    locals: [...new Array(9).fill(T.i32), ...new Array(14).fill(T.v128)],
    body,
  };
}
