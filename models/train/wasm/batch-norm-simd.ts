/**
 * WASM SIMD bodies of the training batch norm over NHWC data seen as [rows, C] (C % 4 == 0).
 *
 * Sums are taken in blocks of 64 rows with float32x4 lanes, and every block sum is added to
 * float64 totals: the order is fixed (deterministic), and the rounding error stays that of a
 * 64-term float32 sum plus a float64 sum instead of a 96,000-term float32 sum.
 *   bnShiftedMoments  A += x - K, B += (x - K)^2   (K = one sample per channel: a stable shift)
 *   bnGradSums        A += dy,    B += dy * (x - mean)
 *   bnAffine          y  = x * a + b                (bnAffineRelu: max(x * a + b, 0))
 *   bnGradInput       dx = A * dy + B * x + C
 * The Relu variants fuse a following ReLU: dy is replaced by (y > 0 ? dy : 0) with y the fused
 * output, in both gradient passes.
 * (per-channel vectors a, b, A, B, C come from JS, computed in float64).
 */
import { T, a, accumulateF32x4, flushF32x4ToF64, forRange, type AsmFunction, type Bytes } from './simd-assembler.js';

const BLOCK_ROWS = 64;

/** Shared loop nest of the two per-channel double sums. */
function twoSums(name: string, lanes: (p0Addr: Bytes, p1Addr: Bytes, vecAddr: Bytes, vA: number, vB: number, p2Addr: Bytes) => Bytes): AsmFunction {
  const P = { p0: 0, p1: 1, rows: 2, rowBytes: 3, vec: 4, blkA: 5, blkB: 6, accA: 7, accB: 8, p2: 9 };
  const L = { r: 10, rEnd: 11, rr: 12, rowOff: 13, coff: 14, vA: 15, vB: 16, t: 17 };
  const { get, set, i32 } = a;
  const off = (base: number): Bytes => [...get(base), ...get(L.rowOff), ...a.i32Add, ...get(L.coff), ...a.i32Add];
  const at = (base: number): Bytes => [...get(base), ...get(L.coff), ...a.i32Add];
  /** f64 totals hold two lanes per 16 bytes: channel byte offset coff maps to 2 * coff */
  const at64 = (base: number): Bytes => [...get(base), ...get(L.coff), ...get(L.coff), ...a.i32Add, ...a.i32Add];
  const body = forRange(L.r, i32(0), get(P.rows), [
    // rEnd = min(r + BLOCK_ROWS, rows)
    ...get(L.r), ...i32(BLOCK_ROWS), ...a.i32Add, ...get(P.rows),
    ...get(L.r), ...i32(BLOCK_ROWS), ...a.i32Add, ...get(P.rows), ...a.i32LtS, ...a.select, ...set(L.rEnd),
    ...forRange(L.coff, i32(0), get(P.rowBytes), [
      ...at(P.blkA), ...a.v128Zero, ...a.v128Store(),
      ...at(P.blkB), ...a.v128Zero, ...a.v128Store(),
    ], i32(16)),
    ...forRange(L.rr, get(L.r), get(L.rEnd), [
      ...get(L.rr), ...get(P.rowBytes), ...a.i32Mul, ...set(L.rowOff),
      ...forRange(L.coff, i32(0), get(P.rowBytes), [
        ...lanes(off(P.p0), off(P.p1), at(P.vec), L.vA, L.vB, off(P.p2)),
        ...accumulateF32x4(at(P.blkA), get(L.vA)),
        ...accumulateF32x4(at(P.blkB), get(L.vB)),
      ], i32(16)),
    ]),
    ...forRange(L.coff, i32(0), get(P.rowBytes), [
      ...at(P.blkA), ...a.v128Load(), ...set(L.t), ...flushF32x4ToF64(at64(P.accA), L.t),
      ...at(P.blkB), ...a.v128Load(), ...set(L.t), ...flushF32x4ToF64(at64(P.accB), L.t),
    ], i32(16)),
  ], i32(BLOCK_ROWS));
  return {
    name,
    params: new Array(10).fill(T.i32),
    locals: [T.i32, T.i32, T.i32, T.i32, T.i32, T.v128, T.v128, T.v128],
    body,
  };
}

/** bnShiftedMoments(x, unused, rows, rowBytes, shift, blkA, blkB, accA, accB) */
export function bnShiftedMomentsFunction(): AsmFunction {
  return twoSums('bnShiftedMoments', (xAddr, _unused, shiftAddr, vA, vB) => [
    ...xAddr, ...a.v128Load(), ...shiftAddr, ...a.v128Load(), ...a.f32x4Sub, ...a.tee(vA),
    ...a.get(vA), ...a.f32x4Mul, ...a.set(vB),
  ]);
}

/** dy where y > 0, else 0: the ReLU mask applied inside the fused BN+ReLU gradient */
function maskedDy(dyAddr: Bytes, yAddr: Bytes): Bytes {
  return [...dyAddr, ...a.v128Load(), ...yAddr, ...a.v128Load(), ...a.v128Zero, ...a.f32x4Gt, ...a.v128And];
}

/**
 * bnGradSums(dy, x, rows, rowBytes, mean, blkA, blkB, accA, accB, y): with relu, dy is first
 * masked by y > 0 (y = the fused BN+ReLU output).
 */
export function bnGradSumsFunction(relu: boolean): AsmFunction {
  return twoSums(relu ? 'bnReluGradSums' : 'bnGradSums', (dyAddr, xAddr, meanAddr, vA, vB, yAddr) => [
    ...(relu ? maskedDy(dyAddr, yAddr) : [...dyAddr, ...a.v128Load()]), ...a.tee(vA),
    ...xAddr, ...a.v128Load(), ...meanAddr, ...a.v128Load(), ...a.f32x4Sub, ...a.f32x4Mul, ...a.set(vB),
  ]);
}

/** bnAffine(x, y, rows, rowBytes, scaleVec, shiftVec): y = x * scaleVec + shiftVec (then max(., 0) with relu) */
export function bnAffineFunction(relu: boolean): AsmFunction {
  const P = { x: 0, y: 1, rows: 2, rowBytes: 3, s: 4, b: 5 };
  const L = { r: 6, rowOff: 7, coff: 8 };
  const { get, i32 } = a;
  const off = (base: number): Bytes => [...get(base), ...get(L.rowOff), ...a.i32Add, ...get(L.coff), ...a.i32Add];
  const at = (base: number): Bytes => [...get(base), ...get(L.coff), ...a.i32Add];
  const body = forRange(L.r, i32(0), get(P.rows), [
    ...get(L.r), ...get(P.rowBytes), ...a.i32Mul, ...a.set(L.rowOff),
    ...forRange(L.coff, i32(0), get(P.rowBytes), [
      ...off(P.y),
      ...off(P.x), ...a.v128Load(), ...at(P.s), ...a.v128Load(), ...a.f32x4Mul, ...at(P.b), ...a.v128Load(), ...a.f32x4Add,
      ...(relu ? [...a.v128Zero, ...a.f32x4Max] : []),
      ...a.v128Store(),
    ], i32(16)),
  ]);
  return { name: relu ? 'bnAffineRelu' : 'bnAffine', params: [T.i32, T.i32, T.i32, T.i32, T.i32, T.i32], locals: [T.i32, T.i32, T.i32], body };
}

/** bnGradInput(dy, x, dx, rows, rowBytes, A, B, C, y): dx = A * dy + B * x + C (dy masked by y > 0 with relu) */
export function bnGradInputFunction(relu: boolean): AsmFunction {
  const P = { dy: 0, x: 1, dx: 2, rows: 3, rowBytes: 4, A: 5, B: 6, C: 7, y: 8 };
  const L = { r: 9, rowOff: 10, coff: 11 };
  const { get, i32 } = a;
  const off = (base: number): Bytes => [...get(base), ...get(L.rowOff), ...a.i32Add, ...get(L.coff), ...a.i32Add];
  const at = (base: number): Bytes => [...get(base), ...get(L.coff), ...a.i32Add];
  const body = forRange(L.r, i32(0), get(P.rows), [
    ...get(L.r), ...get(P.rowBytes), ...a.i32Mul, ...a.set(L.rowOff),
    ...forRange(L.coff, i32(0), get(P.rowBytes), [
      ...off(P.dx),
      ...(relu ? maskedDy(off(P.dy), off(P.y)) : [...off(P.dy), ...a.v128Load()]), ...at(P.A), ...a.v128Load(), ...a.f32x4Mul,
      ...off(P.x), ...a.v128Load(), ...at(P.B), ...a.v128Load(), ...a.f32x4Mul, ...a.f32x4Add,
      ...at(P.C), ...a.v128Load(), ...a.f32x4Add,
      ...a.v128Store(),
    ], i32(16)),
  ]);
  return { name: relu ? 'bnReluGradInput' : 'bnGradInput', params: new Array(9).fill(T.i32), locals: [T.i32, T.i32, T.i32], body };
}
