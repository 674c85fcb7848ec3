/**
 * ONNX ConvTranspose end to end (compiler/README.md "ConvTranspose"):
 * - import: the float64 IR equals onnxruntime on every ONNX padding form (pads, output_padding,
 *   output_shape, auto_pad), including the PyTorch paddings TFLite's SAME/VALID cannot take as they
 *   are (the importer adds zero kernel taps, ir/padding.ts planTransposeConvKernel);
 * - group > 1 and dilation > 1 are rejected with UnsupportedOpError naming node, op and opset;
 * - int8: TRANSPOSE_CONV v3 with per-channel weights on axis 0 and an int32 bias; the real TFLite
 *   runtime (tfjs-tflite) loads the file and agrees with the interpreter op by op within 1 LSB;
 *   the generated C (firmware-assets/src/kernels/transpose_conv.c, gather form without scratch)
 *   equals the interpreter (TFLM's scatter form with an int32 scratch) byte for byte;
 * - the PyTorch fixture conv_transpose (conv encoder, two ConvTransposes + BatchNorm, classifier):
 *   import vs torch float, int8 top-1 / cosine vs torch, tfjs-tflite agreement, generated C.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph, type CompileResult } from '../../compiler/compile.js';
import { UnsupportedOpError } from '../../compiler/errors.js';
import { importOnnx } from '../../compiler/import/onnx/import-onnx.js';
import type { OnnxTypes } from '../../compiler/import/onnx/onnx-proto.js';
import { evaluateGraphFloat64 } from '../../compiler/ir/evaluate-float64.js';
import { optimizeGraph } from '../../compiler/passes/index.js';
import { argmax, compareOpByOp, compareWholeModel, cosine, dequantizeInt8, quantizeInt8, runInt8WithInterpreter, runInt8WithTfliteRuntime } from '../../compiler/verify/agreement.js';
import { buildHostRunner, fnv1a32, generateModelCFromTflite, haveQemuM4Tools, runHostRunner, runOnQemuM4 } from '../../compiler/writers/c/index.js';
import { createInterpreter, loadTfliteModel } from '../../runtime-sim/interpreter/index.js';
import { hasCompiler } from '../ckernels/multi-runner.js';
import { fixtureDir } from './fixtures.js';
import { modelBytes, tensor } from './onnx-builder.js';

const seq = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
const ints = (name: string, v: number[]) => ({ name, type: 7, ints: v });
const str = (name: string, v: string) => ({ name, type: 3, s: new TextEncoder().encode(v) });
const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);
const haveGcc = hasCompiler('gcc');
const tmpRoot = mkdtempSync(path.join(tmpdir(), 'tinyser-convt-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

/** NCHW row-major -> NHWC row-major (the IR's input layout). */
function toNhwc(x: ArrayLike<number>, [, C, H, W]: number[]): Float64Array {
  const out = new Float64Array(x.length);
  for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) out[(h * W + w) * C + c] = x[(c * H + h) * W + w];
  return out;
}

/** One ConvTranspose (+ optional Relu) with seeded weights and bias. */
function convTransposeModel(attrs: OnnxTypes.IAttributeProto[], wShape: number[], inDims: number[], relu = false): Uint8Array {
  const r = lcg(wShape.reduce((a, b) => a * 31 + b, 7));
  const W = tensor('w', wShape, seq(prod(wShape), () => r() - 0.5));
  const B = tensor('b', [wShape[1]], seq(wShape[1], (i) => 0.1 * i - 0.15));
  const nodes: OnnxTypes.INodeProto[] = [{ name: 'deconv', opType: 'ConvTranspose', input: ['x', 'w', 'b'], output: [relu ? 't' : 'y'], attribute: attrs }];
  if (relu) nodes.push({ name: 'relu', opType: 'Relu', input: ['t'], output: ['y'] });
  return modelBytes(nodes, [W, B], inDims, 'y');
}

// [title, attributes, weight [IN, OUT, KH, KW], input NCHW]
const IMPORT_CASES: [string, OnnxTypes.IAttributeProto[], number[], number[]][] = [
  ['k3 s2 p1 output_padding 1 (PyTorch 2x upsampling; needs one zero tap)', [ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1]), ints('output_padding', [1, 1])], [3, 2, 3, 3], [1, 3, 5, 4]],
  ['k4 s2 p1 (TFLite SAME as it is)', [ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1])], [3, 2, 4, 4], [1, 3, 5, 4]],
  ['k2 s2 no pads (VALID)', [ints('strides', [2, 2])], [3, 2, 2, 2], [1, 3, 5, 4]],
  ['k3 s1 p1', [ints('strides', [1, 1]), ints('pads', [1, 1, 1, 1])], [3, 2, 3, 3], [1, 3, 5, 4]],
  ['asymmetric pads, strides 2x1', [ints('strides', [2, 1]), ints('pads', [0, 1, 2, 0])], [3, 2, 3, 2], [1, 3, 5, 4]],
  ['output_shape attribute', [ints('strides', [2, 2]), ints('output_shape', [10, 8])], [3, 2, 3, 3], [1, 3, 5, 4]],
  ['auto_pad SAME_UPPER', [ints('strides', [2, 2]), str('auto_pad', 'SAME_UPPER')], [3, 2, 3, 3], [1, 3, 5, 4]],
  ['stride 3x2, output_padding 1x1, uneven pads', [ints('strides', [3, 2]), ints('pads', [2, 1, 1, 1]), ints('output_padding', [1, 1])], [3, 2, 5, 3], [1, 3, 5, 4]],
];

describe('ConvTranspose import: float64 IR = onnxruntime', () => {
  for (const [title, attrs, wShape, inDims] of IMPORT_CASES) {
    it(title, async () => {
      const bytes = convTransposeModel(attrs, wShape, inDims);
      const x = seq(prod(inDims), (i) => Math.cos(i * 0.7) * 1.5);
      const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
      const ref = (await session.run({ x: new ort.Tensor('float32', Float32Array.from(x), inDims) })).y!;
      const g = optimizeGraph(importOnnx(bytes, { source: title }));
      expect(g.nodes.some((n) => n.op === 'TransposeConv2D')).toBe(true);
      const out = evaluateGraphFloat64(g, [toNhwc(x, inDims)]).outputs[0]!;
      // the graph output is NCHW again (a Transpose after the NHWC op)
      expect(out.shape).toEqual([...ref.dims]);
      const want = ref.data as Float32Array;
      let maxDiff = 0;
      let maxAbs = 0;
      for (let i = 0; i < want.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(out.data[i]! - want[i]!));
        maxAbs = Math.max(maxAbs, Math.abs(want[i]!));
      }
      expect(maxAbs).toBeGreaterThan(0.5);
      expect(maxDiff).toBeLessThan(1e-5);
    });
  }

  it('rejects group > 1 and dilation > 1 with UnsupportedOpError naming node, op and opset', () => {
    const grouped = convTransposeModel([ints('strides', [2, 2]), { name: 'group', type: 2, i: 3 }], [3, 1, 3, 3], [1, 3, 5, 4]);
    const dilated = convTransposeModel([ints('strides', [2, 2]), ints('dilations', [2, 2])], [3, 2, 3, 3], [1, 3, 5, 4]);
    for (const [bytes, why] of [[grouped, /group 3/], [dilated, /dilations \[2,2\]/]] as const) {
      let err: unknown;
      try {
        importOnnx(bytes, { source: 'm.onnx' });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UnsupportedOpError);
      const u = err as UnsupportedOpError;
      expect(u.opType).toBe('ConvTranspose');
      expect(u.nodeName).toBe('deconv');
      expect(u.opset).toBe(13);
      expect(u.message).toMatch(why);
      expect(u.exitCode).toBe(2);
    }
  });

  it('rejects an output size TFLite cannot map back to the input (its optimised kernel would scatter wrong rows)', () => {
    // k5 s3 pads (2, 1) output_padding 2: 19 output rows from 6 input rows; SAME wants 16..18
    const bytes = convTransposeModel([ints('strides', [3, 2]), ints('pads', [2, 1, 1, 0]), ints('output_padding', [2, 1])], [4, 5, 5, 3], [1, 4, 6, 5]);
    expect(() => importOnnx(bytes, { source: 'm.onnx' })).toThrow(UnsupportedOpError);
    expect(() => importOnnx(bytes, { source: 'm.onnx' })).toThrow(/output \[19,11\] from input \[6,5\]/);
  });
});

/** int8 TRANSPOSE_CONV graphs: the file, TFLite's runtime, the interpreter and the generated C agree. */
describe('int8 TRANSPOSE_CONV: .tflite, tfjs-tflite, interpreter, generated C', () => {
  const cases: [string, number[], OnnxTypes.IAttributeProto[], number[]][] = [
    ['k3 s2 p1 op1 + Relu', [4, 6, 3, 3], [ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1]), ints('output_padding', [1, 1])], [1, 4, 6, 5]],
    ['k2 s2 VALID + Relu', [4, 3, 2, 2], [ints('strides', [2, 2])], [1, 4, 6, 5]],
    ['k5 s3x2 uneven pads, output_padding + Relu', [4, 5, 5, 3], [ints('strides', [3, 2]), ints('pads', [2, 1, 1, 1]), ints('output_padding', [1, 1])], [1, 4, 6, 5]],
  ];
  const compiled = new Map<string, { r: CompileResult; xs: Int8Array[] }>();
  beforeAll(async () => {
    for (const [title, wShape, attrs, inDims] of cases) {
      const g = importOnnx(convTransposeModel(attrs, wShape, inDims, true), { source: title });
      const r = lcg(99);
      const calib: Float64Array[][] = Array.from({ length: 24 }, () => [Float64Array.from(seq(prod(inDims), () => r() * 4 - 2))]);
      const res = await compileGraph(g, { calibration: calib.slice(0, 16), evaluation: calib.slice(16), name: title, verify: false });
      const q = res.report.input;
      compiled.set(title, { r: res, xs: calib.slice(16).map(([x]) => quantizeInt8(x!, q.scale, q.zeroPoint)) });
    }
  });

  for (const [title] of cases) {
    it(`${title}: TRANSPOSE_CONV v3 (output_shape, weights [O,KH,KW,I] per-channel axis 0, input, int32 bias), AddTransposeConv`, () => {
      const { r } = compiled.get(title)!;
      expect(r.operators).toContain('TRANSPOSE_CONV');
      // TFLM ignores a fused activation on int8 TRANSPOSE_CONV: the ReLU stays its own op
      expect(r.operators).toContain('RELU');
      expect(r.tflm['model_ops.h']).toContain('resolver.AddTransposeConv()');
      const model = loadTfliteModel(r.tflite, title);
      const code = model.operatorCodes.findIndex((c) => c.builtinCode === 67);
      expect(model.operatorCodes[code]!.version).toBe(3);
      const op = model.subgraphs[0]!.operators.find((o) => o.builtinCode === 67)!;
      expect(op.inputs.length).toBe(4);
      const [shapeT, wT, xT, bT] = op.inputs.map((i) => model.subgraphs[0]!.tensors[i]!);
      const yT = model.subgraphs[0]!.tensors[op.outputs[0]!]!;
      expect(shapeT!.type).toBe('int32');
      expect(wT!.type).toBe('int8');
      expect(xT!.type).toBe('int8');
      expect(bT!.type).toBe('int32');
      expect(wT!.quantization!.scale.length).toBe(wT!.shape[0]);
      expect(wT!.quantization!.quantizedDimension).toBe(0);
      expect(bT!.shape).toEqual([wT!.shape[0]]);
      expect(yT.shape[3]).toBe(wT!.shape[0]);
      expect(op.options.kind === 'TransposeConvOptions' && op.options.activation).toBe('NONE');
    });

    it(`${title}: tfjs-tflite loads it and agrees with the interpreter op by op within 1 LSB`, async () => {
      const { r, xs } = compiled.get(title)!;
      const byOp = await compareOpByOp(r.int8Graph, xs);
      expect(byOp.ok).toBe(true);
      if (!byOp.ok) return;
      const tc = byOp.layers.filter((l) => l.op === 'TransposeConv2D');
      expect(tc.length).toBe(1);
      for (const l of byOp.layers) expect(l.maxAbsDiff, `${l.node} (${l.op})`).toBeLessThanOrEqual(1);
      expect(tc[0]!.equalFraction).toBeGreaterThan(0.97);
    });

    it.skipIf(!haveGcc)(`${title}: generated C equals the interpreter byte for byte${haveGcc ? '' : ' (skipped: no gcc)'}`, () => {
      const { r, xs } = compiled.get(title)!;
      expectGeneratedCEqualsInterpreter(r.tflite, title, xs.map((x) => new Uint8Array(x.buffer, x.byteOffset, x.length)));
    });
  }
});

function expectGeneratedCEqualsInterpreter(tflite: Uint8Array, name: string, inputs: Uint8Array[]): void {
  const gen = generateModelCFromTflite(tflite, name);
  expect(gen.ops.some((o) => o.kernel === 'tsk_transpose_conv_int8')).toBe(true);
  expect(gen.files['model.c']).toContain('#include "transpose_conv.h"');
  const dir = mkdtempSync(path.join(tmpRoot, 'c-'));
  const exe = buildHostRunner(gen, dir);
  const runs = runHostRunner(exe, inputs, true);
  const it = createInterpreter(loadTfliteModel(tflite, name));
  inputs.forEach((x, k) => {
    it.setInput(0, x);
    const dump = it.invoke({ dumpAll: true })!;
    const recs = runs[k]!;
    expect(recs.length).toBe(gen.ops.length + 1);
    for (const rec of recs.slice(0, -1)) {
      const want = dump.get(rec.index)!;
      expect(Buffer.from(rec.bytes).equals(Buffer.from(want.bytes)), `input ${k}: tensor ${rec.index} (${want.name}) differs`).toBe(true);
    }
    expect(Buffer.from(recs[recs.length - 1]!.bytes).equals(Buffer.from(it.output(0).bytes))).toBe(true);
  });
}

/** The PyTorch fixture (scripts/export_onnx_fixtures.py --only conv_transpose). */
describe('fixture conv_transpose: conv encoder, ConvTranspose decoder, classifier', () => {
  const manifestPath = path.join(fixtureDir, 'conv_transpose.manifest.json');
  const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    inputShape: number[]; inputScale: number; calibration: [number, number]; evaluation: [number, number];
    models: { conv_transpose: { file: string; reference: string; classes: number } };
  };
  const spec = m.models.conv_transpose;
  const perExample = prod(m.inputShape);
  const allInputs = new Int8Array(new Uint8Array(readFileSync(path.join(fixtureDir, 'inputs.int8.bin'))).buffer);
  const input = (i: number) => Float64Array.from(allInputs.subarray(i * perExample, (i + 1) * perExample), (v) => v * m.inputScale);
  const refAll = new Float32Array(new Uint8Array(readFileSync(path.join(fixtureDir, spec.reference))).buffer);
  const ref = (i: number) => refAll.subarray(i * spec.classes, (i + 1) * spec.classes);
  const bytes = new Uint8Array(readFileSync(path.join(fixtureDir, spec.file)));
  const evalIdx = seq(m.evaluation[1] - m.evaluation[0], (i) => m.evaluation[0] + i);
  let r: CompileResult;
  let xs: Int8Array[];

  beforeAll(async () => {
    const calib: Float64Array[][] = Array.from({ length: m.calibration[1] - m.calibration[0] }, (_, i) => [input(m.calibration[0] + i)]);
    r = await compileGraph(importOnnx(bytes, { source: spec.file }), { calibration: calib, name: 'conv_transpose', verify: false });
    const q = r.report.input;
    xs = evalIdx.map((i) => quantizeInt8(input(i), q.scale, q.zeroPoint));
  });

  it('imports with BatchNorm folded into both ConvTransposes; float64 IR = torch float on 50 inputs', () => {
    expect(existsSync(manifestPath)).toBe(true);
    const g = optimizeGraph(importOnnx(bytes, { source: spec.file }));
    expect(g.nodes.filter((n) => n.op === 'TransposeConv2D').length).toBe(2);
    expect(g.nodes.some((n) => n.op === 'BatchNorm' || n.op === 'Mul')).toBe(false);
    let maxDiff = 0;
    for (const i of evalIdx.slice(0, 50)) {
      const out = evaluateGraphFloat64(g, [input(i)]).outputs[0]!.data;
      const want = ref(i);
      for (let k = 0; k < spec.classes; k++) maxDiff = Math.max(maxDiff, Math.abs(out[k]! - want[k]!));
    }
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('int8: TRANSPOSE_CONV in the file and the TFLM resolver; interpreter top-1 >= 98 % and cosine >= 0.99 vs torch on 200 inputs', async () => {
    expect(r.operators).toContain('TRANSPOSE_CONV');
    expect(r.tflm['model_ops.h']).toContain('AddTransposeConv');
    const run = await runInt8WithInterpreter(r.tflite, xs);
    expect(run.ok).toBe(true);
    if (!run.ok) return;
    const o = r.report.output;
    let top1 = 0;
    let cos = 0;
    evalIdx.forEach((idx, k) => {
      const deq = dequantizeInt8(run.outputs[k]!, o.scale, o.zeroPoint);
      if (argmax(deq) === argmax(ref(idx))) top1++;
      cos += cosine(deq, ref(idx));
    });
    expect(top1 / evalIdx.length).toBeGreaterThanOrEqual(0.98);
    expect(cos / evalIdx.length).toBeGreaterThanOrEqual(0.99);
  });

  it('tfjs-tflite runs the file: top-1 >= 98 % vs torch; op by op within 1 LSB of the interpreter', async () => {
    const rt = await runInt8WithTfliteRuntime(r.tflite, xs);
    const o = r.report.output;
    let top1 = 0;
    evalIdx.forEach((idx, k) => {
      if (argmax(dequantizeInt8(rt[k]!, o.scale, o.zeroPoint)) === argmax(ref(idx))) top1++;
    });
    expect(top1 / evalIdx.length).toBeGreaterThanOrEqual(0.98);
    const byOp = await compareOpByOp(r.int8Graph, xs.slice(0, 20));
    expect(byOp.ok).toBe(true);
    if (!byOp.ok) return;
    expect(byOp.layers.filter((l) => l.op === 'TransposeConv2D').length).toBe(2);
    for (const l of byOp.layers) expect(l.maxAbsDiff, `${l.node} (${l.op})`).toBeLessThanOrEqual(1);
    // with the TFLite runtime's arithmetic, the file as written is equal op by op and end to end
    const exact = await compareOpByOp(r.int8Graph, xs.slice(0, 20), 'xnnpack', 'tflite');
    expect(exact.ok).toBe(true);
    if (exact.ok) for (const l of exact.layers) expect(l.equalFraction, `${l.node} (${l.op})`).toBe(1);
    const whole = await compareWholeModel(r.int8Graph, xs, ['tflite']);
    expect(whole.ok && whole.modes[0]!.equalFraction).toBe(1);
  });

  it.skipIf(!haveGcc)(`generated C equals the interpreter byte for byte on 4 inputs${haveGcc ? '' : ' (skipped: no gcc)'}`, () => {
    expectGeneratedCEqualsInterpreter(r.tflite, 'conv_transpose.tflite', xs.slice(0, 4).map((x) => new Uint8Array(x.buffer, x.byteOffset, x.length)));
  });

  it.skipIf(!haveQemuM4Tools())(`on the emulated Cortex-M4 (qemu mps2-an386) every op output equals the interpreter${haveQemuM4Tools() ? '' : ' (skipped: no arm-none-eabi-gcc / qemu-system-arm)'}`, () => {
    const gen = generateModelCFromTflite(r.tflite, 'conv_transpose.tflite');
    const x = new Uint8Array(xs[0]!.buffer, xs[0]!.byteOffset, xs[0]!.length);
    const run = runOnQemuM4(gen, path.join(tmpRoot, 'qemu'), x);
    const it = createInterpreter(loadTfliteModel(r.tflite, 'conv_transpose.tflite'));
    it.setInput(0, x);
    const dump = it.invoke({ dumpAll: true })!;
    expect(run.outputHashes).toEqual(gen.ops.map((o) => fnv1a32(dump.get(o.outputs[0]!)!.bytes)));
    expect(Array.from(run.output)).toEqual(Array.from(it.output(0).bytes));
    expect(run.instructions.every((n) => n > 0)).toBe(true);
  }, 300_000);
});
