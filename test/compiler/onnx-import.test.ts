import { describe, expect, it } from 'vitest';
import { importOnnx, SUPPORTED_ONNX_OPS } from '../../compiler/import/onnx/import-onnx.js';
import type { OnnxTypes } from '../../compiler/import/onnx/onnx-proto.js';
import { evaluateGraphFloat64 } from '../../compiler/ir/evaluate-float64.js';
import { optimizeGraph } from '../../compiler/passes/index.js';
import { ModelFormatError, UnsupportedOpError } from '../../compiler/errors.js';
import { fixtureInput, fixtureNames, onnxBytes, range, referenceOutputs } from './fixtures.js';
import { modelBytes, tensor } from './onnx-builder.js';

describe('ONNX import of the PyTorch fixtures', () => {
  for (const name of fixtureNames) {
    it(`${name}: float64 IR (raw and optimised) matches the torch outputs on 16 inputs`, () => {
      const raw = importOnnx(onnxBytes(name), { source: name });
      const opt = optimizeGraph(raw);
      const ref = referenceOutputs(name);
      for (const g of [raw, opt]) {
        let maxDiff = 0;
        for (const i of range(0, 250).filter((k) => k % 6 === 0).slice(0, 16)) {
          const out = evaluateGraphFloat64(g, [fixtureInput(i)]).outputs[0].data;
          expect(out.length).toBe(ref[i].length);
          for (let c = 0; c < out.length; c++) maxDiff = Math.max(maxDiff, Math.abs(out[c] - ref[i][c]));
        }
        // float32 torch vs float64 IR: only accumulation-order noise is allowed
        expect(maxDiff).toBeLessThan(1e-4);
      }
      // BN folded into the convs, ReLUs fused, layout transposes of size-1 axes gone
      expect(opt.nodes.some((n) => n.op === 'BatchNorm')).toBe(false);
      expect(opt.nodes.some((n) => n.op === 'Relu' || n.op === 'Relu6')).toBe(false);
      expect(opt.nodes.length).toBeLessThan(raw.nodes.length);
      // NCHW [1,1,49,40] features become NHWC [1,49,40,1] (same bytes for one channel)
      expect(opt.tensors.get(opt.inputs[0])!.shape).toEqual([1, 49, 40, 1]);
    });
  }
});

describe('ONNX import errors', () => {
  it('an unsupported op raises UnsupportedOpError naming node, op, opset and the supported list', () => {
    const bytes = modelBytes([{ name: 'my_lstm', opType: 'LSTM', input: ['x'], output: ['y'] }], [], [1, 4], 'y', 13);
    let err: unknown;
    try {
      importOnnx(bytes, { source: 'lstm.onnx' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsupportedOpError);
    const u = err as UnsupportedOpError;
    expect(u.code).toBe('UNSUPPORTED_OP');
    expect(u.exitCode).toBe(2);
    expect(u.message).toContain('LSTM');
    expect(u.message).toContain("'my_lstm'");
    expect(u.message).toContain('opset 13');
    for (const op of SUPPORTED_ONNX_OPS) expect(u.message).toContain(op);
  });

  it('a grouped (non-depthwise) convolution is rejected by name', () => {
    const w = tensor('w', [4, 2, 1, 1], new Array(8).fill(0.5));
    const bytes = modelBytes([{ name: 'gconv', opType: 'Conv', input: ['x', 'w'], output: ['y'], attribute: [{ name: 'group', type: 2, i: 2 }] }], [w], [1, 4, 3, 3], 'y');
    expect(() => importOnnx(bytes)).toThrow(UnsupportedOpError);
    expect(() => importOnnx(bytes)).toThrow(/gconv.*grouped/);
  });

  it('corrupt protobuf raises ModelFormatError', () => {
    const bytes = onnxBytes('ds_cnn').slice(0, 777);
    expect(() => importOnnx(bytes, { source: 'cut.onnx' })).toThrow(ModelFormatError);
    expect(() => importOnnx(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]), { source: 'junk.onnx' })).toThrow(ModelFormatError);
  });

  it('BatchNormalization in the training-mode export form (extra outputs, opset 14) folds like the eval form', () => {
    const C = 3;
    const w = tensor('w', [C, 1, 3, 3], range(0, C * 9).map((i) => Math.sin(i)));
    const b = tensor('b', [C], [0.1, -0.2, 0.3]);
    const bn = ['gamma', 'beta', 'mean', 'var'].map((n, k) => tensor(n, [C], [1.5, 0.2, -0.3, 0.7].map((v, i) => (k === 3 ? 0.5 + i : v + i * 0.1))));
    const nodes: OnnxTypes.INodeProto[] = [
      { name: 'conv', opType: 'Conv', input: ['x', 'w', 'b'], output: ['c'], attribute: [{ name: 'pads', type: 7, ints: [1, 1, 1, 1] }] },
      {
        name: 'bn',
        opType: 'BatchNormalization',
        input: ['c', 'gamma', 'beta', 'mean', 'var'],
        output: ['y', 'running_mean', 'running_var'],
        attribute: [{ name: 'training_mode', type: 2, i: 1 }, { name: 'epsilon', type: 1, f: 1e-3 }],
      },
    ];
    const g = importOnnx(modelBytes(nodes, [w, b, ...bn], [1, 1, 5, 4], 'y', 14));
    const opt = optimizeGraph(g);
    expect(g.nodes.map((n) => n.op)).toContain('BatchNorm');
    // the 4-D graph output goes back to ONNX's NCHW layout, hence the final Transpose
    expect(opt.nodes.map((n) => n.op)).toEqual(['Conv2D', 'Transpose']);
    const x = range(0, 20).map((i) => Math.cos(i * 0.7));
    const a = evaluateGraphFloat64(g, [x]).outputs[0].data;
    const c = evaluateGraphFloat64(opt, [x]).outputs[0].data;
    for (let i = 0; i < a.length; i++) expect(c[i]).toBeCloseTo(a[i], 5);
    expect(a.length).toBe(C * 20);
  });
});
