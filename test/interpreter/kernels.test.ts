/**
 * Kernels without TFLM goldens (ADD, SUB, MUL, MEAN, CONCATENATION, PAD, LOGISTIC, TANH, RELU,
 * pooling, float paths): exact hand-computed values where the arithmetic is simple, and for the
 * requantizing int8 kernels agreement with the real-valued result to within one output LSB
 * (the rounding budget of TFLM's integer pipeline). Bit-exactness with TFLM itself is covered by
 * golden.test.ts for the ops the golden models use.
 */
import { describe, expect, it } from 'vitest';
import { createInterpreter, dequantize, loadTfliteModel, type Interpreter } from '../../runtime-sim/interpreter/index.js';
import { buildModel, bytesOf, type FbField, type TensorSpec } from './tflite-builder.js';

interface Q { scale: number; zp: number }
const q8 = (scale: number, zp: number): Pick<TensorSpec, 'scale' | 'zeroPoint'> => ({ scale: [scale], zeroPoint: [zp] });

function singleOp(tensors: TensorSpec[], inputs: number[], outputs: number[], builtinCode: number, opInputs: number[], optionsType?: number, options?: FbField[]): Interpreter {
  const bytes = buildModel({ tensors, inputs, outputs, ops: [{ builtinCode, inputs: opInputs, outputs, optionsType, options }] });
  return createInterpreter(loadTfliteModel(bytes, `op${builtinCode}.tflite`));
}

const f32 = (x: number): number => Math.fround(x);
const quant = (x: number, q: Q): number => Math.max(-128, Math.min(127, Math.round(x / f32(q.scale)) + q.zp));
const deq = (v: number, q: Q): number => (v - q.zp) * f32(q.scale);

function allInt8(n: number, seed: number): Int8Array {
  const a = new Int8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) a[i] = ((s = (Math.imul(s, 1103515245) + 12345) | 0) >> 16) & 0xff;
  return a;
}

function expectWithinOneLsb(got: Int8Array, realWant: number[], out: Q): void {
  for (let i = 0; i < got.length; i++) {
    const want = realWant[i]! / f32(out.scale) + out.zp;
    const clamped = Math.max(-128, Math.min(127, want));
    expect(Math.abs(got[i]! - clamped), `element ${i}: got ${got[i]}, real ${clamped.toFixed(3)}`).toBeLessThanOrEqual(1);
  }
}

describe('elementwise int8 kernels', () => {
  it('ADD with broadcasting stays within one LSB of the real sum', () => {
    const A: Q = { scale: 0.05, zp: -10 }, B: Q = { scale: 0.2, zp: 3 }, O: Q = { scale: 0.1, zp: 0 };
    const interp = singleOp(
      [
        { shape: [2, 3, 4], type: 'int8', ...q8(A.scale, A.zp) },
        { shape: [1, 4], type: 'int8', ...q8(B.scale, B.zp) },
        { shape: [2, 3, 4], type: 'int8', ...q8(O.scale, O.zp) },
      ],
      [0, 1], [2], 0, [0, 1], 11, [{ id: 0, kind: 'i8', value: 0 }],
    );
    const a = allInt8(24, 1), b = Int8Array.from([-128, -1, 50, 127]);
    interp.setInput(0, a);
    interp.setInput(1, b);
    interp.invoke();
    const want = Array.from(a, (v, i) => deq(v, A) + deq(b[i % 4]!, B));
    expectWithinOneLsb(interp.output(0).data as Int8Array, want, O);
  });

  it('SUB and fused RELU clamp at the output zero point', () => {
    const A: Q = { scale: 0.1, zp: 0 }, O: Q = { scale: 0.1, zp: -20 };
    const interp = singleOp(
      [{ shape: [4], type: 'int8', ...q8(A.scale, A.zp) }, { shape: [4], type: 'int8', ...q8(A.scale, A.zp) }, { shape: [4], type: 'int8', ...q8(O.scale, O.zp) }],
      [0, 1], [2], 41, [0, 1], 28, [{ id: 0, kind: 'i8', value: 1 }],
    );
    interp.setInput(0, Int8Array.from([10, 5, 0, 100]));
    interp.setInput(1, Int8Array.from([5, 10, 0, -27]));
    interp.invoke();
    // (a - b) * 0.1 / 0.1 - 20, RELU floor at -20: [5-20, -20, -20, 127-20].
    expect(Array.from(interp.output(0).data as Int8Array)).toEqual([-15, -20, -20, 107]);
  });

  it('MUL stays within one LSB of the real product', () => {
    const A: Q = { scale: 0.03, zp: 5 }, B: Q = { scale: 0.07, zp: -7 }, O: Q = { scale: 0.05, zp: 1 };
    const interp = singleOp(
      [{ shape: [64], type: 'int8', ...q8(A.scale, A.zp) }, { shape: [64], type: 'int8', ...q8(B.scale, B.zp) }, { shape: [64], type: 'int8', ...q8(O.scale, O.zp) }],
      [0, 1], [2], 18, [0, 1], 21, [{ id: 0, kind: 'i8', value: 0 }],
    );
    const a = allInt8(64, 2), b = allInt8(64, 3);
    interp.setInput(0, a);
    interp.setInput(1, b);
    interp.invoke();
    expectWithinOneLsb(interp.output(0).data as Int8Array, Array.from(a, (v, i) => deq(v, A) * deq(b[i]!, B)), O);
  });

  it('LOGISTIC and TANH int8 follow the real functions within one LSB over all 256 inputs', () => {
    const I: Q = { scale: 0.0625, zp: -3 };
    const sweep = Int8Array.from({ length: 256 }, (_, i) => i - 128);
    const lg = singleOp([{ shape: [256], type: 'int8', ...q8(I.scale, I.zp) }, { shape: [256], type: 'int8', ...q8(1 / 256, -128) }], [0], [1], 14, [0]);
    lg.setInput(0, sweep);
    lg.invoke();
    expectWithinOneLsb(lg.output(0).data as Int8Array, Array.from(sweep, (v) => 1 / (1 + Math.exp(-deq(v, I)))), { scale: 1 / 256, zp: -128 });
    const th = singleOp([{ shape: [256], type: 'int8', ...q8(I.scale, I.zp) }, { shape: [256], type: 'int8', ...q8(1 / 128, 0) }], [0], [1], 28, [0]);
    th.setInput(0, sweep);
    th.invoke();
    expectWithinOneLsb(th.output(0).data as Int8Array, Array.from(sweep, (v) => Math.tanh(deq(v, I))), { scale: 1 / 128, zp: 0 });
  });

  it('RELU requantizes and RELU6 clamps raw values', () => {
    const r = singleOp([{ shape: [4], type: 'int8', ...q8(0.1, 10) }, { shape: [4], type: 'int8', ...q8(0.2, -128) }], [0], [1], 19, [0]);
    r.setInput(0, Int8Array.from([-128, 10, 30, 127]));
    r.invoke();
    // (x - 10) * 0.5 - 128, floor at -128: [-128, -128, -118, -69 (58.5 rounds away from zero to 59)].
    expect(Array.from(r.output(0).data as Int8Array)).toEqual([-128, -128, -118, -69]);
    const r6 = singleOp([{ shape: [3], type: 'int8', ...q8(0.1, 0) }, { shape: [3], type: 'int8', ...q8(0.1, 0) }], [0], [1], 21, [0]);
    r6.setInput(0, Int8Array.from([-5, 33, 100]));
    r6.invoke();
    expect(Array.from(r6.output(0).data as Int8Array)).toEqual([0, 33, 60]);
  });
});

describe('shape and reduction kernels', () => {
  it('MEAN over H and W (global average pooling) within one LSB; float MEAN exact', () => {
    const I: Q = { scale: 0.1, zp: -5 }, O: Q = { scale: 0.05, zp: 2 };
    const axis = { shape: [2], type: 'int32' as const, data: bytesOf(Int32Array.from([1, 2])) };
    const m = singleOp([{ shape: [1, 3, 5, 2], type: 'int8', ...q8(I.scale, I.zp) }, axis, { shape: [1, 1, 1, 2], type: 'int8', ...q8(O.scale, O.zp) }], [0], [2], 40, [0, 1], 27, [{ id: 0, kind: 'bool', value: true }]);
    const x = allInt8(30, 9);
    m.setInput(0, x);
    m.invoke();
    const want = [0, 1].map((c) => {
      let s = 0;
      for (let i = c; i < 30; i += 2) s += deq(x[i]!, I);
      return s / 15;
    });
    expectWithinOneLsb(m.output(0).data as Int8Array, want, O);
    const mf = singleOp([{ shape: [2, 3], type: 'float32' }, { shape: [1], type: 'int32', data: bytesOf(Int32Array.from([-1])) }, { shape: [2], type: 'float32' }], [0], [2], 40, [0, 1], 27, []);
    mf.setInput(0, Float32Array.from([1, 2, 4, -1, -2, 0.5]));
    mf.invoke();
    expect(Array.from(mf.output(0).data as Float32Array)).toEqual([f32(7 / 3), f32(-2.5 / 3)]);
  });

  it('CONCATENATION copies along the axis; PAD fills with the zero point', () => {
    const c = singleOp(
      [{ shape: [2, 1], type: 'int8', ...q8(0.1, 0) }, { shape: [2, 2], type: 'int8', ...q8(0.1, 0) }, { shape: [2, 3], type: 'int8', ...q8(0.1, 0) }],
      [0, 1], [2], 2, [0, 1], 10, [{ id: 0, kind: 'i32', value: -1 }],
    );
    c.setInput(0, Int8Array.from([1, 2]));
    c.setInput(1, Int8Array.from([3, 4, 5, 6]));
    c.invoke();
    expect(Array.from(c.output(0).data as Int8Array)).toEqual([1, 3, 4, 2, 5, 6]);
    const p = singleOp(
      [{ shape: [1, 2], type: 'int8', ...q8(0.1, -7) }, { shape: [2, 2], type: 'int32', data: bytesOf(Int32Array.from([0, 1, 1, 2])) }, { shape: [2, 5], type: 'int8', ...q8(0.1, -7) }],
      [0], [2], 34, [0, 1],
    );
    p.setInput(0, Int8Array.from([9, 8]));
    p.invoke();
    expect(Array.from(p.output(0).data as Int8Array)).toEqual([-7, 9, 8, -7, -7, -7, -7, -7, -7, -7]);
  });

  it('pooling with SAME padding counts only in-image pixels and rounds half away from zero', () => {
    const pool = (code: number): Interpreter => singleOp(
      [{ shape: [1, 3, 3, 1], type: 'int8', ...q8(0.1, 0) }, { shape: [1, 2, 2, 1], type: 'int8', ...q8(0.1, 0) }],
      [0], [1], code, [0], 5,
      [{ id: 0, kind: 'i8', value: 0 }, { id: 1, kind: 'i32', value: 2 }, { id: 2, kind: 'i32', value: 2 }, { id: 3, kind: 'i32', value: 2 }, { id: 4, kind: 'i32', value: 2 }],
    );
    const x = Int8Array.from([1, 2, 3, 4, 5, 6, 7, 8, -9]);
    const avg = pool(1);
    avg.setInput(0, x);
    avg.invoke();
    // windows: [1,2,4,5]=12/4=3, [3,6]=9/2=4.5->5, [7,8]=15/2=7.5->8, [-9]=-9.
    expect(Array.from(avg.output(0).data as Int8Array)).toEqual([3, 5, 8, -9]);
    const max = pool(17);
    max.setInput(0, x);
    max.invoke();
    expect(Array.from(max.output(0).data as Int8Array)).toEqual([5, 6, 8, -9]);
  });
});

describe('float32 kernels', () => {
  it('CONV_2D float32 matches a float64 reference to float rounding', () => {
    const w = Float32Array.from({ length: 2 * 3 * 3 * 2 }, (_, i) => Math.sin(i) * 0.5);
    const b = Float32Array.from([0.1, -0.2]);
    const interp = singleOp(
      [{ shape: [1, 4, 4, 2], type: 'float32' }, { shape: [2, 3, 3, 2], type: 'float32', data: bytesOf(w) }, { shape: [2], type: 'float32', data: bytesOf(b) }, { shape: [1, 2, 2, 2], type: 'float32' }],
      [0], [3], 3, [0, 1, 2], 1,
      [{ id: 0, kind: 'i8', value: 0 }, { id: 1, kind: 'i32', value: 2 }, { id: 2, kind: 'i32', value: 2 }, { id: 3, kind: 'i8', value: 0 }],
    );
    const x = Float32Array.from({ length: 32 }, (_, i) => Math.cos(i));
    interp.setInput(0, x);
    interp.invoke();
    const y = interp.output(0).data as Float32Array;
    // SAME, stride 2 on 4x4: pad top/left 0 (total padding 1 goes after).
    for (let oy = 0; oy < 2; oy++) for (let ox = 0; ox < 2; ox++) for (let oc = 0; oc < 2; oc++) {
      let acc = b[oc]!;
      for (let fy = 0; fy < 3; fy++) for (let fx = 0; fx < 3; fx++) for (let ic = 0; ic < 2; ic++) {
        const iy = oy * 2 + fy, ix = ox * 2 + fx;
        if (iy < 4 && ix < 4) acc += x[(iy * 4 + ix) * 2 + ic]! * w[((oc * 3 + fy) * 3 + fx) * 2 + ic]!;
      }
      expect(y[(oy * 2 + ox) * 2 + oc]).toBeCloseTo(acc, 5);
    }
    expect(Array.from(dequantize(interp.output(0)))).toEqual(Array.from(y));
  });
});

describe('a small multi-op int8 graph', () => {
  it('runs PAD -> ADD -> MEAN -> CONCATENATION -> LOGISTIC end to end', async () => {
    const { tinyMultiOpModel } = await import('./tflite-builder.js');
    const interp = createInterpreter(loadTfliteModel(tinyMultiOpModel(), 'multi.tflite'));
    interp.setInput(0, Int8Array.from([10, -10, 20, -20, 30, -30, 40, -40]));
    const dump = interp.invoke({ dumpAll: true })!;
    // Padded 4x4 image: 4 real pixels + 12 zero pixels per channel, plus the per-channel bias
    // (10 - 3) * 0.05 = 0.35 and (-20 - 3) * 0.05 = -1.15. Real-valued channel means:
    // c0 = (0.1 * (10 + 20 + 30 + 40) + 16 * 0.35) / 16, c1 = (-10 + 16 * -1.15) / 16. The int8
    // graph rounds twice (sum tensor, mean tensor; both scale 0.15), so allow one LSB.
    const mean = Array.from(dump.get(6)!.values);
    expect(Math.abs(mean[0]! - (10 + 16 * 0.35) / 16)).toBeLessThanOrEqual(0.15);
    expect(Math.abs(mean[1]! - (-10 + 16 * -1.15) / 16)).toBeLessThanOrEqual(0.15);
    const y = Array.from(dump.get(8)!.values);
    expect(y).toHaveLength(4);
    for (let i = 0; i < 4; i++) expect(y[i]).toBeCloseTo(1 / (1 + Math.exp(-mean[i % 2]!)), 2);
  });
});

describe('MEAN with equal input and output quantization', () => {
  it('divides the raw int32 sum by N with truncation toward zero (reference_ops::Mean)', () => {
    const m = singleOp(
      [{ shape: [2, 3], type: 'int8', ...q8(0.1, 5) }, { shape: [1], type: 'int32', data: bytesOf(Int32Array.from([1])) }, { shape: [2], type: 'int8', ...q8(0.1, 5) }],
      [0], [2], 40, [0, 1], 27, [{ id: 0, kind: 'bool', value: false }],
    );
    m.setInput(0, Int8Array.from([1, 2, 2, -1, -2, -2]));
    m.invoke();
    // 5 / 3 -> 1 and -5 / 3 -> -1 (truncation, not rounding to 2 / -2).
    expect(Array.from(m.output(0).data as Int8Array)).toEqual([1, -1]);
  });
});
