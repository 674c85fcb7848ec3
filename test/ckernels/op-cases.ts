/**
 * Seeded random single-operator int8 models (one per case) for the C-kernel-vs-TS-kernel tests.
 * Each case is a real .tflite built with test/interpreter/tflite-builder.ts, so both sides read
 * the same file: the TS interpreter runs it, and the C writer turns it into generated C.
 */
import { buildModel, bytesOf, type ModelSpec, type OpSpec, type TensorSpec } from '../interpreter/tflite-builder.js';
import type { FbField } from '../interpreter/tflite-builder.js';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface OpCase {
  name: string;
  model: Uint8Array;
  /** Raw bytes for each graph input. */
  inputs: Uint8Array[];
}

type Rnd = () => number;
const int = (r: Rnd, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rnd, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const randInt8 = (r: Rnd, n: number): Int8Array => Int8Array.from({ length: n }, () => int(r, -128, 127));
const prod = (s: number[]): number => s.reduce((a, b) => a * b, 1);
const logUniform = (r: Rnd, lo: number, hi: number): number => Math.exp(Math.log(lo) + r() * (Math.log(hi) - Math.log(lo)));
const act = (r: Rnd): number => pick(r, [0, 0, 1, 2, 3]); // NONE, RELU, RELU_N1_TO_1, RELU6
const q = (scale: number, zp: number): Pick<TensorSpec, 'scale' | 'zeroPoint'> => ({ scale: [scale], zeroPoint: [zp] });
const i8 = (id: number, value: number): FbField => ({ id, kind: 'i8', value });
const i32 = (id: number, value: number): FbField => ({ id, kind: 'i32', value });

function finish(name: string, spec: ModelSpec, r: Rnd): OpCase {
  const inputs = spec.inputs.map((i) => bytesOf(randInt8(r, prod(spec.tensors[i]!.shape))));
  return { name, model: buildModel(spec), inputs };
}

function convLike(r: Rnd, k: number, depthwise: boolean): OpCase {
  const inC = depthwise ? pick(r, [1, 3, 8, 33, 40]) : pick(r, [1, 2, 3, 4, 8, 16]);
  const dm = depthwise ? pick(r, [1, 1, 2, 3]) : 1;
  const groups = !depthwise && inC % 2 === 0 && r() < 0.25 ? 2 : 1;
  const outC = depthwise ? inC * dm : groups * int(r, 1, 6);
  const filterInC = inC / groups;
  const inH = int(r, 1, 9), inW = int(r, 1, 9);
  const fH = int(r, 1, 3), fW = int(r, 1, 3);
  const sH = int(r, 1, 2), sW = int(r, 1, 2);
  const dil = r() < 0.2 ? 2 : 1;
  const padding = pick(r, [0, 1]); // SAME, VALID
  const eff = (f: number): number => (f - 1) * dil + 1;
  const outSize = (n: number, f: number, s: number): number => (padding === 0 ? Math.floor((n + s - 1) / s) : Math.floor((n + s - eff(f)) / s));
  const outH = outSize(inH, fH, sH), outW = outSize(inW, fW, sW);
  if (outH <= 0 || outW <= 0) return convLike(r, k, depthwise);
  const inScale = logUniform(r, 0.005, 0.2), outScale = logUniform(r, 0.01, 0.5);
  const perChannel = r() < 0.8;
  const wScales = Array.from({ length: perChannel ? outC : 1 }, () => logUniform(r, 0.001, 0.05));
  const wShape = depthwise ? [1, fH, fW, outC] : [outC, fH, fW, filterInC];
  const tensors: TensorSpec[] = [
    { shape: [1, inH, inW, inC], type: 'int8', name: 'x', ...q(inScale, int(r, -128, 127)) },
    { shape: wShape, type: 'int8', name: 'w', scale: wScales, zeroPoint: wScales.map(() => 0), quantizedDimension: depthwise ? 3 : 0, data: bytesOf(randInt8(r, prod(wShape))) },
    { shape: [outC], type: 'int32', name: 'b', scale: wScales.map((s) => s * inScale), zeroPoint: wScales.map(() => 0), data: bytesOf(Int32Array.from({ length: outC }, () => int(r, -5000, 5000))) },
    { shape: [1, outH, outW, outC], type: 'int8', name: 'y', ...q(outScale, int(r, -20, 20)) },
  ];
  const withBias = r() < 0.85;
  const op: OpSpec = depthwise
    ? { builtinCode: 4, version: 3, inputs: [0, 1, withBias ? 2 : -1], outputs: [3], optionsType: 2,
      options: [i8(0, padding), i32(1, sW), i32(2, sH), i32(3, dm), i8(4, act(r)), i32(5, dil), i32(6, dil)] }
    : { builtinCode: 3, version: 3, inputs: [0, 1, withBias ? 2 : -1], outputs: [3], optionsType: 1,
      options: [i8(0, padding), i32(1, sW), i32(2, sH), i8(3, act(r)), i32(4, dil), i32(5, dil)] };
  return finish(`${depthwise ? 'depthwise' : 'conv'}${k} in[${inH},${inW},${inC}] f${fH}x${fW} s${sH}${sW} d${dil} ${padding ? 'VALID' : 'SAME'} out${outC}${groups > 1 ? ' g2' : ''}`,
    { tensors, inputs: [0], outputs: [3], ops: [op] }, r);
}

function fullyConnected(r: Rnd, k: number): OpCase {
  const depth = int(r, 1, 70), out = int(r, 1, 20), batches = int(r, 1, 3);
  const inScale = logUniform(r, 0.005, 0.2);
  const perChannel = r() < 0.4;
  const wScales = Array.from({ length: perChannel ? out : 1 }, () => logUniform(r, 0.001, 0.05));
  const tensors: TensorSpec[] = [
    { shape: [batches, depth], type: 'int8', name: 'x', ...q(inScale, int(r, -128, 127)) },
    { shape: [out, depth], type: 'int8', name: 'w', scale: wScales, zeroPoint: wScales.map(() => 0), data: bytesOf(randInt8(r, out * depth)) },
    { shape: [out], type: 'int32', name: 'b', scale: [wScales[0]! * inScale], zeroPoint: [0], data: bytesOf(Int32Array.from({ length: out }, () => int(r, -20000, 20000))) },
    { shape: [batches, out], type: 'int8', name: 'y', ...q(logUniform(r, 0.01, 0.5), int(r, -30, 30)) },
  ];
  return finish(`fc${k} [${batches},${depth}]x${out}${perChannel ? ' per-channel' : ''}`,
    { tensors, inputs: [0], outputs: [3], ops: [{ builtinCode: 9, version: 4, inputs: [0, 1, r() < 0.8 ? 2 : -1], outputs: [3], optionsType: 8, options: [i8(0, act(r))] }] }, r);
}

function pool(r: Rnd, k: number, max: boolean): OpCase {
  const inH = int(r, 1, 10), inW = int(r, 1, 10), c = int(r, 1, 12);
  const fH = int(r, 1, Math.min(4, inH)), fW = int(r, 1, Math.min(4, inW)), sH = int(r, 1, 3), sW = int(r, 1, 3);
  const padding = pick(r, [0, 1]);
  const outSize = (n: number, f: number, s: number): number => (padding === 0 ? Math.floor((n + s - 1) / s) : Math.floor((n + s - f) / s));
  const outH = outSize(inH, fH, sH), outW = outSize(inW, fW, sW);
  const qq = q(logUniform(r, 0.01, 0.2), int(r, -50, 50));
  const tensors: TensorSpec[] = [
    { shape: [1, inH, inW, c], type: 'int8', name: 'x', ...qq },
    { shape: [1, outH, outW, c], type: 'int8', name: 'y', ...qq },
  ];
  return finish(`${max ? 'maxpool' : 'avgpool'}${k} [${inH},${inW},${c}] f${fH}x${fW} s${sH}${sW}`,
    { tensors, inputs: [0], outputs: [1], ops: [{ builtinCode: max ? 17 : 1, version: 2, inputs: [0], outputs: [1], optionsType: 5,
      options: [i8(0, padding), i32(1, sW), i32(2, sH), i32(3, fW), i32(4, fH), i8(5, act(r))] }] }, r);
}

function mean(r: Rnd, k: number): OpCase {
  const shape = [1, int(r, 1, 7), int(r, 1, 7), int(r, 1, 9)];
  const axes = pick(r, [[1, 2], [2], [1], [3], [2, 3]]);
  const keep = r() < 0.5;
  const outShape = keep ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
  const tensors: TensorSpec[] = [
    { shape, type: 'int8', name: 'x', ...q(logUniform(r, 0.01, 0.2), int(r, -128, 127)) },
    { shape: [axes.length], type: 'int32', name: 'axes', data: bytesOf(Int32Array.from(axes)) },
    { shape: outShape, type: 'int8', name: 'y', ...q(logUniform(r, 0.01, 0.2), int(r, -50, 50)) },
  ];
  return finish(`mean${k} [${shape}] axes [${axes}]`,
    { tensors, inputs: [0], outputs: [2], ops: [{ builtinCode: 40, version: 2, inputs: [0, 1], outputs: [2], optionsType: 27, options: [{ id: 0, kind: 'bool', value: keep }] }] }, r);
}

function softmax(r: Rnd, k: number): OpCase {
  const outer = int(r, 1, 4), depth = int(r, 1, 40);
  const tensors: TensorSpec[] = [
    { shape: [outer, depth], type: 'int8', name: 'x', ...q(logUniform(r, 0.01, 0.5), int(r, -128, 127)) },
    { shape: [outer, depth], type: 'int8', name: 'y', ...q(1 / 256, -128) },
  ];
  const beta = pick(r, [1, 1, 0.5, 2]);
  return finish(`softmax${k} [${outer},${depth}] beta ${beta}`,
    { tensors, inputs: [0], outputs: [1], ops: [{ builtinCode: 25, version: 2, inputs: [0], outputs: [1], optionsType: 9, options: [{ id: 0, kind: 'f32', value: beta }] }] }, r);
}

function binary(r: Rnd, k: number, code: 0 | 41 | 18): OpCase {
  const out = [int(r, 1, 3), int(r, 1, 5), int(r, 1, 5), int(r, 1, 6)].slice(int(r, 0, 2));
  const bshape = (): number[] => {
    const kind = int(r, 0, 3);
    if (kind === 0) return [...out];
    if (kind === 1) return out.map((d) => (r() < 0.5 ? 1 : d));
    if (kind === 2) return out.slice(out.length - int(r, 1, out.length));
    return [1];
  };
  const aShape = r() < 0.7 ? [...out] : bshape();
  const bShape = bshape();
  // the output shape must be the broadcast of the inputs
  const rank = Math.max(aShape.length, bShape.length);
  const pa = [...new Array<number>(rank - aShape.length).fill(1), ...aShape], pb = [...new Array<number>(rank - bShape.length).fill(1), ...bShape];
  const outShape = pa.map((d, i) => Math.max(d, pb[i]!));
  const bConst = r() < 0.3;
  const tensors: TensorSpec[] = [
    { shape: aShape, type: 'int8', name: 'a', ...q(logUniform(r, 0.01, 0.3), int(r, -128, 127)) },
    { shape: bShape, type: 'int8', name: 'b', ...q(logUniform(r, 0.01, 0.3), int(r, -128, 127)), ...(bConst ? { data: bytesOf(randInt8(r, prod(bShape))) } : {}) },
    { shape: outShape, type: 'int8', name: 'y', ...q(logUniform(r, 0.02, 0.5), int(r, -40, 40)) },
  ];
  const optionsType = code === 0 ? 11 : code === 41 ? 28 : 21;
  const name = code === 0 ? 'add' : code === 41 ? 'sub' : 'mul';
  return finish(`${name}${k} [${aShape}] [${bShape}]${bConst ? ' const' : ''}`,
    { tensors, inputs: bConst ? [0] : [0, 1], outputs: [2], ops: [{ builtinCode: code, version: 2, inputs: [0, 1], outputs: [2], optionsType, options: [i8(0, act(r))] }] }, r);
}

function concatenation(r: Rnd, k: number): OpCase {
  const base = [1, int(r, 1, 4), int(r, 1, 4), int(r, 1, 5)];
  const axis = int(r, 0, 3);
  const n = int(r, 2, 4);
  const qq = q(0.05, int(r, -10, 10));
  const shapes = Array.from({ length: n }, () => base.map((d, i) => (i === axis ? int(r, 1, 4) : d)));
  const outShape = base.map((d, i) => (i === axis ? shapes.reduce((s, sh) => s + sh[i]!, 0) : d));
  const tensors: TensorSpec[] = [...shapes.map((shape, i) => ({ shape, type: 'int8' as const, name: `x${i}`, ...qq })), { shape: outShape, type: 'int8', name: 'y', ...qq }];
  const ins = shapes.map((_, i) => i);
  const axisOpt = r() < 0.3 ? axis - 4 : axis;
  return finish(`concat${k} axis ${axisOpt} x${n}`,
    { tensors, inputs: ins, outputs: [n], ops: [{ builtinCode: 2, version: 2, inputs: ins, outputs: [n], optionsType: 10, options: [i32(0, axisOpt), i8(1, 0)] }] }, r);
}

function pad(r: Rnd, k: number): OpCase {
  const rank = int(r, 2, 4);
  const shape = Array.from({ length: rank }, () => int(r, 1, 5));
  const pads = shape.flatMap(() => [int(r, 0, 2), int(r, 0, 2)]);
  const outShape = shape.map((d, i) => d + pads[2 * i]! + pads[2 * i + 1]!);
  const qq = q(0.07, int(r, -128, 127));
  const tensors: TensorSpec[] = [
    { shape, type: 'int8', name: 'x', ...qq },
    { shape: [rank, 2], type: 'int32', name: 'pads', data: bytesOf(Int32Array.from(pads)) },
    { shape: outShape, type: 'int8', name: 'y', ...qq },
  ];
  return finish(`pad${k} [${shape}] pads [${pads}]`, { tensors, inputs: [0], outputs: [2], ops: [{ builtinCode: 34, inputs: [0, 1], outputs: [2] }] }, r);
}

function unary(r: Rnd, k: number, code: 14 | 28 | 19 | 21 | 114 | 22): OpCase {
  const n = code === 22 ? int(r, 1, 30) : 256;
  const inQ = q(logUniform(r, 0.002, 0.5), int(r, -128, 127));
  const outQ = code === 14 ? q(1 / 256, -128) : code === 28 ? q(1 / 128, 0) : code === 21 || code === 22 ? inQ : q(logUniform(r, 0.002, 0.5), int(r, -128, 127));
  const tensors: TensorSpec[] = [
    { shape: [1, n], type: 'int8', name: 'x', ...inQ },
    { shape: code === 22 ? [n] : [1, n], type: 'int8', name: 'y', ...outQ },
  ];
  const names: Record<number, string> = { 14: 'logistic', 28: 'tanh', 19: 'relu', 21: 'relu6', 114: 'quantize', 22: 'reshape' };
  const c = finish(`${names[code]}${k}`, { tensors, inputs: [0], outputs: [1], ops: [{ builtinCode: code, inputs: [0], outputs: [1] }] }, r);
  if (n === 256) {
    // every int8 value once, shuffled: covers the whole fixed-point input range of the op
    const all = Int8Array.from({ length: 256 }, (_, i) => i - 128);
    for (let i = 255; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [all[i], all[j]] = [all[j]!, all[i]!]; }
    c.inputs[0] = bytesOf(all);
  }
  return c;
}

function leakyRelu(r: Rnd, k: number): OpCase {
  const c = unary(r, k, 19);
  const alpha = pick(r, [0.01, 0.1, 0.2, 0.3]);
  const tensors: TensorSpec[] = [
    { shape: [1, 256], type: 'int8', name: 'x', ...q(logUniform(r, 0.002, 0.5), int(r, -128, 127)) },
    { shape: [1, 256], type: 'int8', name: 'y', ...q(logUniform(r, 0.002, 0.5), int(r, -128, 127)) },
  ];
  return { name: `leaky_relu${k} alpha ${alpha}`, inputs: c.inputs,
    model: buildModel({ tensors, inputs: [0], outputs: [1], ops: [{ builtinCode: 98, inputs: [0], outputs: [1], optionsType: 75, options: [{ id: 0, kind: 'f32', value: alpha }] }] }) };
}

function transpose(r: Rnd, k: number): OpCase {
  const rank = int(r, 2, 5);
  const shape = Array.from({ length: rank }, () => int(r, 1, 5));
  const perm = shape.map((_, i) => i);
  for (let i = rank - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [perm[i], perm[j]] = [perm[j]!, perm[i]!]; }
  const qq = q(0.05, 3);
  const tensors: TensorSpec[] = [
    { shape, type: 'int8', name: 'x', ...qq },
    { shape: [rank], type: 'int32', name: 'perm', data: bytesOf(Int32Array.from(perm)) },
    { shape: perm.map((p) => shape[p]!), type: 'int8', name: 'y', ...qq },
  ];
  return finish(`transpose${k} [${shape}] perm [${perm}]`, { tensors, inputs: [0], outputs: [2], ops: [{ builtinCode: 39, inputs: [0, 1], outputs: [2] }] }, r);
}

function dequantize(r: Rnd, k: number): OpCase {
  const c = unary(r, k, 19); // reuse its all-256-values input
  const tensors: TensorSpec[] = [
    { shape: [1, 256], type: 'int8', name: 'x', ...q(logUniform(r, 0.0001, 2), int(r, -128, 127)) },
    { shape: [1, 256], type: 'float32', name: 'y' },
  ];
  return { name: `dequantize${k}`, inputs: c.inputs, model: buildModel({ tensors, inputs: [0], outputs: [1], ops: [{ builtinCode: 6, version: 2, inputs: [0], outputs: [1] }] }) };
}

/** `perOp` seeded cases of every operator the C kernels implement. */
export function allOpCases(seed: number, perOp: number): OpCase[] {
  const r = mulberry32(seed);
  const out: OpCase[] = [];
  for (let k = 0; k < perOp; k++) {
    out.push(convLike(r, k, false), convLike(r, k, true), fullyConnected(r, k), pool(r, k, false), pool(r, k, true), mean(r, k), softmax(r, k),
      binary(r, k, 0), binary(r, k, 41), binary(r, k, 18), concatenation(r, k), pad(r, k),
      unary(r, k, 14), unary(r, k, 28), unary(r, k, 19), unary(r, k, 21), unary(r, k, 114), unary(r, k, 22), leakyRelu(r, k), transpose(r, k), dequantize(r, k));
  }
  return out;
}
