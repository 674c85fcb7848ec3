/**
 * WASM SIMD ReLU and its gradient over whole tensors (byte counts % 16 == 0):
 *   reluForward  y  = max(x, 0)              (+0 for -0 and NaN kept, as tfjs' CPU relu)
 *   reluGrad     dx = x > 0 ? dy : 0         (one pass, a compare mask ANDed with dy)
 * tfjs-backend-wasm's Relu is a scalar C loop, and tfjs-core's gradient is
 * mul(dy, step(cast(x))): three full-size kernels and two temporaries per ReLU.
 */
import { T, a, forRange, type AsmFunction, type Bytes } from './simd-assembler.js';

/** reluForward(x, y, bytes) */
export function reluForwardFunction(): AsmFunction {
  const { get, i32 } = a;
  const at = (p: number): Bytes => [...get(p), ...get(3), ...a.i32Add];
  return {
    name: 'reluForward',
    params: [T.i32, T.i32, T.i32],
    locals: [T.i32],
    body: forRange(3, i32(0), get(2), [...at(1), ...at(0), ...a.v128Load(), ...a.v128Zero, ...a.f32x4Max, ...a.v128Store()], i32(16)),
  };
}

/** reluGrad(dy, x, dx, bytes) */
export function reluGradFunction(): AsmFunction {
  const { get, i32 } = a;
  const at = (p: number): Bytes => [...get(p), ...get(4), ...a.i32Add];
  return {
    name: 'reluGrad',
    params: [T.i32, T.i32, T.i32, T.i32],
    locals: [T.i32],
    body: forRange(4, i32(0), get(3), [
      ...at(2), ...at(0), ...a.v128Load(), ...at(1), ...a.v128Load(), ...a.v128Zero, ...a.f32x4Gt, ...a.v128And, ...a.v128Store(),
    ], i32(16)),
  };
}
