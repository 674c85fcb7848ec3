/**
 * WASM SIMD bodies of the depthwise-convolution gradients (channel multiplier 1, C % 4 == 0),
 * one image per call, four channels per f32x4 lane group, taps visited in a fixed order:
 *   dwFilterGradImage  acc[a,b,c] += x[i*sh+a-pt, j*sw+b-pl, c] * dy[i,j,c]
 *   dwInputGradImage   dx[i*sh+a-pt, j*sw+b-pl, c] += w[a,b,c] * dy[i,j,c]   (dx zeroed first)
 * Taps that fall into the zero padding are skipped (unsigned compares against H and W), so no
 * padded copy of the input is needed.
 */
import { T, a, accumulateF32x4, forRange, type AsmFunction, type Bytes } from './simd-assembler.js';

const P = { src: 0, dy: 1, dst: 2, H: 3, W: 4, Ho: 5, Wo: 6, cBytes: 7, kh: 8, kw: 9, sh: 10, sw: 11, pt: 12, pl: 13 };
const L = { i: 14, ta: 15, yy: 16, tb: 17, tapOff: 18, j: 19, xx: 20, pixOff: 21, dyOff: 22, coff: 23 };

/**
 * The shared loop nest; `inner` receives the byte offsets of the tap (tapOff), the input pixel
 * (pixOff) and the output-gradient pixel (dyOff) plus the channel byte offset coff.
 */
function tapLoops(name: string, inner: (at: (base: number, local: number) => Bytes) => Bytes): AsmFunction {
  const { get, set, i32 } = a;
  const at = (base: number, local: number): Bytes => [...get(base), ...get(local), ...a.i32Add, ...get(L.coff), ...a.i32Add];
  const mul = (x: number, y: number): Bytes => [...get(x), ...get(y), ...a.i32Mul];
  const body = forRange(L.i, i32(0), get(P.Ho), forRange(L.ta, i32(0), get(P.kh), [
    ...mul(L.i, P.sh), ...get(L.ta), ...a.i32Add, ...get(P.pt), ...a.i32Sub, ...set(L.yy),
    ...get(L.yy), ...get(P.H), ...a.i32LtU,
    ...a.if(forRange(L.tb, i32(0), get(P.kw), [
      ...mul(L.ta, P.kw), ...get(L.tb), ...a.i32Add, ...get(P.cBytes), ...a.i32Mul, ...set(L.tapOff),
      ...forRange(L.j, i32(0), get(P.Wo), [
        ...mul(L.j, P.sw), ...get(L.tb), ...a.i32Add, ...get(P.pl), ...a.i32Sub, ...set(L.xx),
        ...get(L.xx), ...get(P.W), ...a.i32LtU,
        ...a.if([
          ...mul(L.yy, P.W), ...get(L.xx), ...a.i32Add, ...get(P.cBytes), ...a.i32Mul, ...set(L.pixOff),
          ...mul(L.i, P.Wo), ...get(L.j), ...a.i32Add, ...get(P.cBytes), ...a.i32Mul, ...set(L.dyOff),
          ...forRange(L.coff, i32(0), get(P.cBytes), inner(at), i32(16)),
        ]),
      ]),
    ])),
  ]));
  return { name, params: new Array(14).fill(T.i32), locals: new Array(10).fill(T.i32), body };
}

/** dwFilterGradImage(x, dy, acc, H, W, Ho, Wo, cBytes, kh, kw, sh, sw, pt, pl) */
export function dwFilterGradImageFunction(): AsmFunction {
  return tapLoops('dwFilterGradImage', (at) => accumulateF32x4(at(P.dst, L.tapOff), [
    ...at(P.src, L.pixOff), ...a.v128Load(), ...at(P.dy, L.dyOff), ...a.v128Load(), ...a.f32x4Mul,
  ]));
}

/** dwInputGradImage(w, dy, dx, H, W, Ho, Wo, cBytes, kh, kw, sh, sw, pt, pl) */
export function dwInputGradImageFunction(): AsmFunction {
  return tapLoops('dwInputGradImage', (at) => accumulateF32x4(at(P.dst, L.pixOff), [
    ...at(P.src, L.tapOff), ...a.v128Load(), ...at(P.dy, L.dyOff), ...a.v128Load(), ...a.f32x4Mul,
  ]));
}

/** zeroBytes(ptr, bytes): bytes % 16 == 0 */
export function zeroBytesFunction(): AsmFunction {
  const { get, i32 } = a;
  return {
    name: 'zeroBytes',
    params: [T.i32, T.i32],
    locals: [T.i32],
    body: forRange(2, i32(0), get(1), [...get(0), ...get(2), ...a.i32Add, ...a.v128Zero, ...a.v128Store()], i32(16)),
  };
}
