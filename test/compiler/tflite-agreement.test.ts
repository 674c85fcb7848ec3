/**
 * Whole-model agreement between the real TFLite runtime (tfjs-tflite) and the TFLM-exact
 * interpreter, and the two tools that make it measurable:
 *  - builtin-kernels-only.ts: a copy of a .tflite that TFLite runs without XNNPACK (checked with
 *    TFLite's own profiler: which kernels ran);
 *  - double-rounding-variant.ts: CONV_2D / FULLY_CONNECTED re-expressed as DEPTHWISE_CONV_2D,
 *    whose builtin kernel rounds as TFLM does; under TFLM semantics the rewrite changes nothing
 *    (the interpreter gives identical bytes on both graphs);
 * and the MEAN -> AVERAGE_POOL_2D lowering that removes the one op whose int8 algorithm differs
 * between TFLM and TFLite. The TF.js models are the ones tfjs-import.test.ts and
 * tfjs-attention.test.ts build; the ONNX fixtures are covered in compile-fixtures.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph, type CompileResult } from '../../compiler/compile.js';
import { ModelFormatError } from '../../compiler/errors.js';
import { importOnnx } from '../../compiler/import/onnx/import-onnx.js';
import { importTfjsArtifacts, type TfjsArtifacts } from '../../compiler/import/tfjs/import-tfjs.js';
import { evaluateGraphFloat64 } from '../../compiler/ir/evaluate-float64.js';
import { optimizeGraph } from '../../compiler/passes/index.js';
import { comparedGraphOf, compareInt8, compareWholeModel, quantizeInt8, runInt8WithInterpreter } from '../../compiler/verify/agreement.js';
import { withBuiltinKernelsOnly } from '../../compiler/verify/builtin-kernels-only.js';
import { doubleRoundingVariant } from '../../compiler/verify/double-rounding-variant.js';
import { openTfliteRuntime } from '../../compiler/verify/tflite-runtime.js';
import { writeTflite } from '../../compiler/writers/tflite/tflite-writer.js';
import { buildArchitecture } from '../../models/architectures/index.js';
import { loadTfliteModel } from '../../runtime-sim/interpreter/tflite/model.js';
import { calibrationSet, evaluationIndices, fixtureInput, onnxBytes, range } from './fixtures.js';
import { modelBytes, tensor } from './onnx-builder.js';
import { artifactsOf, seededInputs } from './tfjs-helpers.js';

/** The models of tfjs-import.test.ts (sequential, functional) and tfjs-attention.test.ts, with seeded weights. */
function tfjsModels(): { name: string; model: tfl.LayersModel; size: number }[] {
  let seed = 100;
  const init = () => tfl.initializers.glorotUniform({ seed: seed++ });
  const sequential = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [16, 10, 1], filters: 6, kernelSize: 3, padding: 'same', kernelInitializer: init() }),
      tfl.layers.batchNormalization({ epsilon: 1e-3 }),
      tfl.layers.activation({ activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthMultiplier: 2, depthwiseInitializer: init() }),
      tfl.layers.reLU({ maxValue: 6 }),
      tfl.layers.separableConv2d({ filters: 8, kernelSize: 3, padding: 'valid', activation: 'relu', depthwiseInitializer: init(), pointwiseInitializer: init() }),
      tfl.layers.averagePooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dropout({ rate: 0.2 }),
      tfl.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: init() }),
    ],
  });
  const bn = sequential.layers[1];
  bn.setWeights(bn.getWeights().map((w, i) => tf.tensor1d(Array.from({ length: w.shape[0]! }, (_, c) => [1 + 0.1 * c, 0.05 * c, 0.2 - 0.03 * c, 0.5 + 0.1 * c][i]))));
  const inp = tfl.input({ shape: [12, 8, 2] });
  const a = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }).apply(inp) as tfl.SymbolicTensor;
  const b = tfl.layers.conv2d({ filters: 4, kernelSize: 1, padding: 'same', kernelInitializer: init() }).apply(a) as tfl.SymbolicTensor;
  const sum = tfl.layers.add().apply([a, b]) as tfl.SymbolicTensor;
  const cat = tfl.layers.concatenate().apply([sum, a]) as tfl.SymbolicTensor;
  const act = tfl.layers.activation({ activation: 'relu' }).apply(cat) as tfl.SymbolicTensor;
  const gap = tfl.layers.globalAveragePooling2d({}).apply(act) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: 3, kernelInitializer: init() }).apply(gap) as tfl.SymbolicTensor;
  const functional = tfl.model({ inputs: inp, outputs: out });
  const attention = buildArchitecture('attention-cnn', { inputShape: [48, 40, 1], numClasses: 4, seed: 3 });
  return [
    { name: 'sequential', model: sequential, size: 16 * 10 },
    { name: 'functional', model: functional, size: 12 * 8 * 2 },
    { name: 'attention-cnn', model: attention, size: 48 * 40 },
  ];
}

const compiled = new Map<string, { r: CompileResult; xs: Int8Array[] }>();
let cnnBn: CompileResult;

beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const { name, model, size } of tfjsModels()) {
    const calib = seededInputs(40, size, 5).map((x) => [x]);
    const r = await compileGraph(importTfjsArtifacts(await artifactsOf(model), name), { calibration: calib, name, verify: false });
    const xs = seededInputs(100, size, 77).map((x) => quantizeInt8(x, r.report.input.scale, r.report.input.zeroPoint));
    compiled.set(name, { r, xs });
  }
  cnnBn = await compileGraph(importOnnx(onnxBytes('cnn_bn'), { source: 'cnn_bn' }), { calibration: calibrationSet(), name: 'cnn_bn', verify: false });
});

describe('TFLite without XNNPACK (builtin-kernels-only)', () => {
  it('the file as written runs XNNPACK; the copy runs only builtin kernels: the original ops in order, then the dead dynamic branch', async () => {
    const x = quantizeInt8(fixtureInput(evaluationIndices()[0]), cnnBn.report.input.scale, cnnBn.report.input.zeroPoint);
    const asWritten = await openTfliteRuntime(cnnBn.tflite, { profile: true });
    const builtin = await openTfliteRuntime(cnnBn.tflite, { kernels: 'builtin', profile: true });
    try {
      const a = asWritten.run([x])[0];
      const b = builtin.run([x])[0];
      expect(asWritten.executedNodeTypes()).toContain('TfLiteXNNPackDelegate');
      const ran = builtin.executedNodeTypes();
      expect(ran).not.toContain('TfLiteXNNPackDelegate');
      const tfliteOp: Record<string, string> = { Conv2D: 'CONV_2D', MaxPool2D: 'MAX_POOL_2D', Pad: 'PAD', Reshape: 'RESHAPE', FullyConnected: 'FULLY_CONNECTED' };
      expect(ran).toEqual([...cnnBn.int8Graph.nodes.map((n) => tfliteOp[n.op]), 'SHAPE', 'MAXIMUM', 'RESHAPE']);
      // same model, same inputs and outputs: the copy keeps every tensor and buffer
      expect(builtin.inputs).toEqual(asWritten.inputs);
      expect(builtin.outputs).toEqual(asWritten.outputs);
      expect(b.length).toBe(a.length);
    } finally {
      asWritten.dispose();
      builtin.dispose();
    }
  });

  it('the copy keeps every original operator, tensor, buffer and the metadata, and adds exactly the dead branch', () => {
    const a = loadTfliteModel(cnnBn.tflite, 'cnn_bn.tflite');
    const b = loadTfliteModel(withBuiltinKernelsOnly(cnnBn.tflite), 'cnn_bn.builtin.tflite');
    const [sa, sb] = [a.subgraphs[0]!, b.subgraphs[0]!];
    expect(b.description).toBe(a.description);
    expect(b.metadata.map((m) => [m.name, Array.from(m.data ?? [])])).toEqual(a.metadata.map((m) => [m.name, Array.from(m.data ?? [])]));
    expect(b.buffers.map((x) => Array.from(x ?? []))).toEqual(a.buffers.map((x) => Array.from(x ?? [])));
    expect(sb.inputs).toEqual(sa.inputs);
    expect(sb.outputs).toEqual(sa.outputs);
    const strip = (t: (typeof sa.tensors)[number]) => ({ ...t, data: t.data ? Array.from(t.data) : null });
    expect(sb.tensors.slice(0, sa.tensors.length).map(strip)).toEqual(sa.tensors.map(strip));
    expect(sb.tensors.length).toBe(sa.tensors.length + 3);
    const op = (o: (typeof sa.operators)[number]) => ({ opName: o.opName, version: o.version, inputs: o.inputs, outputs: o.outputs, options: o.options });
    expect(sb.operators.slice(0, sa.operators.length).map(op)).toEqual(sa.operators.map(op));
    const extra = sb.operators.slice(sa.operators.length);
    expect(extra.map((o) => o.opName)).toEqual(['SHAPE', 'MAXIMUM', 'RESHAPE']);
    // nothing reads the branch's output: the model's outputs cannot depend on it
    const dead = extra[2]!.outputs[0]!;
    expect(sb.operators.some((o) => o.inputs.includes(dead))).toBe(false);
    expect(sb.outputs).not.toContain(dead);
  });

  it('rejects a file that is not a FlatBuffer with a typed error', () => {
    expect(() => withBuiltinKernelsOnly(new Uint8Array(64).fill(7))).toThrow(ModelFormatError);
  });
});

describe('double-rounding variant (verification only)', () => {
  it('has no CONV_2D / FULLY_CONNECTED left and, under TFLM semantics, the interpreter gives identical bytes on both graphs', async () => {
    for (const [name, { r, xs }] of [...compiled, ['cnn_bn', { r: cnnBn, xs: evaluationIndices().slice(0, 20).map((i) => quantizeInt8(fixtureInput(i), cnnBn.report.input.scale, cnnBn.report.input.zeroPoint)) }] as const]) {
      const v = doubleRoundingVariant(r.int8Graph);
      const convs = r.int8Graph.nodes.filter((n) => n.op === 'Conv2D' || n.op === 'FullyConnected').map((n) => n.name);
      expect(v.rewritten, name).toEqual(convs);
      expect(v.kept, name).toEqual([]);
      expect(v.graph.nodes.some((n) => n.op === 'Conv2D' || n.op === 'FullyConnected'), name).toBe(false);
      const a = await runInt8WithInterpreter(r.tflite, xs.slice(0, 20));
      const b = await runInt8WithInterpreter(writeTflite(v.graph).bytes, xs.slice(0, 20));
      expect(a.ok && b.ok, name).toBe(true);
      if (!a.ok || !b.ok) return;
      const c = compareInt8(b.outputs, a.outputs);
      expect(c.equal, name).toBe(c.values);
    }
  });
});

describe('whole model: TFLite vs interpreter on the TF.js models', () => {
  for (const name of ['sequential', 'functional', 'attention-cnn']) {
    it(`${name}: the file as written (tflite arithmetic) and the double-rounding variant (TFLM arithmetic): >= 99.9 % of the final outputs equal, none more than 1 LSB apart, on 100 seeded inputs`, async (ctx) => {
      const { r, xs } = compiled.get(name)!;
      const cmp = await compareWholeModel(r.int8Graph, xs, ['tflite', 'double-rounding']);
      if (!cmp.ok) {
        ctx.skip(`interpreter cannot run this model yet: ${cmp.reason}`);
        return;
      }
      for (const m of cmp.modes) {
        expect(m.values, m.mode).toBe(100 * r.report.output.shape.reduce((a, b) => a * b, 1));
        expect(m.equalFraction, m.mode).toBeGreaterThanOrEqual(0.999);
        expect(m.maxAbsDiff, m.mode).toBeLessThanOrEqual(1);
      }
    });
  }
});

describe('MEAN over H/W lowered to AVERAGE_POOL_2D', () => {
  const ints = (name: string, v: number[]) => ({ name, type: 7, ints: v });
  const W = tensor('w', [3, 2, 3, 3], Array.from({ length: 54 }, (_, i) => Math.sin(i * 1.7) * 0.4));
  for (const [axes, keep] of [[[2, 3], 0], [[2, 3], 1], [[2], 0], [[3], 1]] as const) {
    it(`ReduceMean(axes=[${axes}], keepdims=${keep}) becomes AVERAGE_POOL_2D; float64 outputs unchanged`, () => {
      const nodes = [
        { name: 'c', opType: 'Conv', input: ['x', 'w'], output: ['c'], attribute: [ints('pads', [1, 1, 1, 1])] },
        { name: 'm', opType: 'ReduceMean', input: ['c'], output: ['y'], attribute: [ints('axes', [...axes]), { name: 'keepdims', type: 2, i: keep }] },
      ];
      const g = importOnnx(modelBytes(nodes, [W], [1, 2, 6, 5], 'y'));
      const opt = optimizeGraph(g);
      expect(opt.nodes.map((n) => n.op)).not.toContain('Mean');
      expect(opt.nodes.map((n) => n.op)).toContain('AveragePool2D');
      for (const x of seededInputs(3, 60, 11)) {
        const want = evaluateGraphFloat64(g, [x]).outputs[0];
        const got = evaluateGraphFloat64(opt, [x]).outputs[0];
        expect(got.shape).toEqual(want.shape);
        for (let i = 0; i < want.data.length; i++) expect(Math.abs(got.data[i] - want.data[i])).toBeLessThan(1e-9);
      }
    });
  }
});

describe("'double-rounding' mode compares the logits of a softmax model", () => {
  it('res_concat calibrated on other inputs: the softmax is left out on both sides, and the logits are equal', async () => {
    // this calibration gives logits where TFLite's float-table softmax and TFLM's fixed-point one
    // differ by 1 LSB on one value in 160; the TFLite-arithmetic mode models that softmax exactly
    const calib = range(0, 40).map((i) => [fixtureInput(i)]);
    const r = await compileGraph(importOnnx(onnxBytes('res_concat'), { source: 'res_concat' }), { calibration: calib, name: 'res_concat', verify: false });
    const g = comparedGraphOf(r.int8Graph, 'double-rounding');
    expect(r.int8Graph.nodes.at(-1)!.op).toBe('Softmax');
    expect(g.nodes.length).toBe(r.int8Graph.nodes.length - 1);
    expect(g.outputs).toEqual([r.int8Graph.nodes.at(-1)!.inputs[0]]);
    expect(comparedGraphOf(r.int8Graph, 'tflite')).toBe(r.int8Graph);
    const xs = calib.map(([x]) => quantizeInt8(x!, r.report.input.scale, r.report.input.zeroPoint));
    const cmp = await compareWholeModel(r.int8Graph, xs, ['tflite', 'double-rounding']);
    expect(cmp.ok).toBe(true);
    if (!cmp.ok) return;
    for (const m of cmp.modes) expect([m.mode, m.equalFraction, m.maxAbsDiff]).toEqual([m.mode, 1, 0]);
  });
});
