/**
 * LEAKY_RELU and TRANSPOSE, the two ops the compiler emits for PyTorch's LeakyReLU and for layout
 * transposes it cannot fold: LEAKY_RELU int8 must stay within one LSB of the real function (TFLM's
 * two-multiplier requantization); TRANSPOSE must be an exact permutation for any rank.
 */
import { describe, expect, it } from 'vitest';
import { createInterpreter, loadTfliteModel } from '../../runtime-sim/interpreter/index.js';
import { buildModel, bytesOf } from './tflite-builder.js';

const LEAKY_RELU = 98;
const LEAKY_RELU_OPTIONS = 75;
const TRANSPOSE = 39;

describe('LEAKY_RELU', () => {
  it('int8: within one output LSB of max(x, alpha*x) for every input byte (double rounding can add half an LSB)', () => {
    const inQ = { scale: 0.05, zp: 10 }, outQ = { scale: 0.04, zp: -30 }, alpha = 0.1;
    const bytes = buildModel({
      tensors: [
        { shape: [256], type: 'int8', scale: [inQ.scale], zeroPoint: [inQ.zp] },
        { shape: [256], type: 'int8', scale: [outQ.scale], zeroPoint: [outQ.zp] },
      ],
      inputs: [0], outputs: [1],
      ops: [{ builtinCode: LEAKY_RELU, inputs: [0], outputs: [1], optionsType: LEAKY_RELU_OPTIONS, options: [{ id: 0, kind: 'f32', value: alpha }] }],
    });
    const interp = createInterpreter(loadTfliteModel(bytes, 'leaky.tflite'));
    const x = Int8Array.from({ length: 256 }, (_, i) => i - 128);
    interp.setInput(0, x);
    interp.invoke();
    const y = interp.output(0).data as Int8Array;
    let negativeSlopeSeen = false;
    for (let i = 0; i < 256; i++) {
      const real = (x[i]! - inQ.zp) * Math.fround(inQ.scale);
      const f = real >= 0 ? real : Math.fround(alpha) * real;
      const want = Math.max(-128, Math.min(127, f / Math.fround(outQ.scale) + outQ.zp));
      expect(Math.abs(y[i]! - want), `input ${x[i]}`).toBeLessThanOrEqual(1);
      if (real < -1) negativeSlopeSeen = true;
    }
    expect(negativeSlopeSeen).toBe(true);
  });

  it('float32: alpha applies below zero only', () => {
    const bytes = buildModel({
      tensors: [{ shape: [4], type: 'float32' }, { shape: [4], type: 'float32' }],
      inputs: [0], outputs: [1],
      ops: [{ builtinCode: LEAKY_RELU, inputs: [0], outputs: [1], optionsType: LEAKY_RELU_OPTIONS, options: [{ id: 0, kind: 'f32', value: 0.25 }] }],
    });
    const interp = createInterpreter(loadTfliteModel(bytes, 'leaky-f32.tflite'));
    interp.setInput(0, Float32Array.from([-4, -1, 0, 3]));
    interp.invoke();
    expect(Array.from(interp.output(0).data as Float32Array)).toEqual([-1, -0.25, 0, 3]);
  });
});

describe('TRANSPOSE', () => {
  it('permutes a rank-4 int8 tensor exactly like index arithmetic says', () => {
    const shape = [2, 3, 4, 5], perm = [0, 3, 1, 2];
    const outShape = perm.map((p) => shape[p]!);
    const bytes = buildModel({
      tensors: [
        { shape, type: 'int8', scale: [1], zeroPoint: [0] },
        { shape: [4], type: 'int32', data: bytesOf(Int32Array.from(perm)) },
        { shape: outShape, type: 'int8', scale: [1], zeroPoint: [0] },
      ],
      inputs: [0], outputs: [2],
      ops: [{ builtinCode: TRANSPOSE, inputs: [0, 1], outputs: [2] }],
    });
    const interp = createInterpreter(loadTfliteModel(bytes, 'transpose.tflite'));
    const x = Int8Array.from({ length: 120 }, (_, i) => (i * 7) % 256 - 128);
    interp.setInput(0, x);
    interp.invoke();
    const y = interp.output(0).data as Int8Array;
    for (let a = 0; a < 2; a++) for (let b = 0; b < 3; b++) for (let c = 0; c < 4; c++) for (let d = 0; d < 5; d++) {
      const src = ((a * 3 + b) * 4 + c) * 5 + d;
      const dst = ((a * 5 + d) * 3 + b) * 4 + c; // out shape [2,5,3,4]
      expect(y[dst]).toBe(x[src]);
    }
  });

  it('rejects a permutation that repeats an axis, naming the operator', () => {
    const bytes = buildModel({
      tensors: [
        { shape: [2, 3], type: 'int8', scale: [1], zeroPoint: [0] },
        { shape: [2], type: 'int32', data: bytesOf(Int32Array.from([0, 0])) },
        { shape: [2, 3], type: 'int8', scale: [1], zeroPoint: [0] },
      ],
      inputs: [0], outputs: [2],
      ops: [{ builtinCode: TRANSPOSE, inputs: [0, 1], outputs: [2] }],
    });
    expect(() => createInterpreter(loadTfliteModel(bytes, 'bad-transpose.tflite'))).toThrow(/TRANSPOSE.*not a permutation/);
  });
});
