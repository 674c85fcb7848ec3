/**
 * Op coverage: tiny ONNX graphs for the ops the fixtures do not use (Sigmoid, Tanh, Mul by a
 * constant, Clip(0,6), ReduceMean without keepdims, a real Transpose, Concat on channels, Pad,
 * AveragePool, Flatten+Gemm with the layout transpose folded into the weights) compile to int8, the real TFLite runtime runs them, and the int8 outputs follow
 * the float64 IR (cosine >= 0.99 on 20 seeded inputs).
 */
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../compiler/compile.js';
import { importOnnx } from '../../compiler/import/onnx/import-onnx.js';
import type { OnnxTypes } from '../../compiler/import/onnx/onnx-proto.js';
import { evaluateGraphFloat64 } from '../../compiler/ir/evaluate-float64.js';
import { cosine, dequantizeInt8, quantizeInt8, runInt8WithTfliteRuntime } from '../../compiler/verify/agreement.js';
import { modelBytes, tensor } from './onnx-builder.js';

const seq = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
function inputs(n: number, size: number, seed: number): number[][] {
  let s = seed >>> 0;
  const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  return Array.from({ length: n }, () => seq(size, () => r() * 4 - 2));
}

const ints = (name: string, v: number[]) => ({ name, type: 7, ints: v });
const W = tensor('w', [4, 2, 3, 3], seq(72, (i) => Math.sin(i * 1.3) * 0.5));

const cases: [string, OnnxTypes.INodeProto[], OnnxTypes.TensorProto[], number[], string[]][] = [
  [
    'conv -> Sigmoid, ReduceMean(keepdims=0)',
    [
      { name: 'c', opType: 'Conv', input: ['x', 'w'], output: ['c'], attribute: [ints('pads', [1, 1, 1, 1])] },
      { name: 's', opType: 'Sigmoid', input: ['c'], output: ['s'] },
      { name: 'm', opType: 'ReduceMean', input: ['s'], output: ['y'], attribute: [ints('axes', [2, 3]), { name: 'keepdims', type: 2, i: 0 }] },
    ],
    [W],
    [1, 2, 6, 5],
    // a spatial mean is lowered to AVERAGE_POOL_2D (passes/lower-mean-to-average-pool.ts)
    ['CONV_2D', 'LOGISTIC', 'AVERAGE_POOL_2D', 'RESHAPE'],
  ],
  [
    'Tanh, Mul by a per-channel constant, Clip(0,6), AveragePool',
    [
      { name: 'c', opType: 'Conv', input: ['x', 'w'], output: ['c'], attribute: [ints('pads', [1, 1, 1, 1])] },
      { name: 't', opType: 'Tanh', input: ['c'], output: ['t'] },
      { name: 'k', opType: 'Mul', input: ['t', 'k'], output: ['k2'] },
      { name: 'r6', opType: 'Clip', input: ['k2', 'lo', 'hi'], output: ['r'] },
      { name: 'ap', opType: 'AveragePool', input: ['r'], output: ['y'], attribute: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])] },
    ],
    [W, tensor('k', [4, 1, 1], [3, 5, 7, -2]), tensor('lo', [], [0]), tensor('hi', [], [6])],
    [1, 2, 6, 4],
    ['CONV_2D', 'TANH', 'MUL', 'AVERAGE_POOL_2D'],
  ],
  [
    'channel Concat, Pad, real Transpose, Sigmoid',
    [
      { name: 'c', opType: 'Conv', input: ['x', 'w'], output: ['c'], attribute: [ints('pads', [1, 1, 1, 1])] },
      { name: 'cat', opType: 'Concat', input: ['c', 'x'], output: ['cat'], attribute: [{ name: 'axis', type: 2, i: 1 }] },
      { name: 'p', opType: 'Pad', input: ['cat', 'pads'], output: ['p'] },
      { name: 'tr', opType: 'Transpose', input: ['p'], output: ['tr'], attribute: [ints('perm', [0, 1, 3, 2])] },
      { name: 's', opType: 'Sigmoid', input: ['tr'], output: ['y'] },
    ],
    [W, { ...tensor('pads', [8], []), dataType: 7, int64Data: [0, 0, 1, 0, 0, 0, 0, 2] } as OnnxTypes.TensorProto],
    [1, 2, 3, 5],
    ['CONV_2D', 'CONCATENATION', 'PAD', 'TRANSPOSE', 'LOGISTIC'],
  ],
  [
    'Flatten of a CxHxW map into Gemm: the NCHW transpose is folded into the weights',
    [
      { name: 'c', opType: 'Conv', input: ['x', 'w'], output: ['c'], attribute: [ints('pads', [1, 1, 1, 1])] },
      { name: 'f', opType: 'Flatten', input: ['c'], output: ['f'] },
      { name: 'g', opType: 'Gemm', input: ['f', 'gw', 'gb'], output: ['y'], attribute: [{ name: 'transB', type: 2, i: 1 }] },
    ],
    [W, tensor('gw', [5, 4 * 3 * 5], seq(5 * 60, (i) => Math.cos(i) * 0.2)), tensor('gb', [5], [0.1, 0.2, -0.3, 0, 1])],
    [1, 2, 3, 5],
    ['CONV_2D', 'RESHAPE', 'FULLY_CONNECTED'],
  ],
];

describe('op coverage through tfjs-tflite', () => {
  for (const [title, nodes, inits, inShape, ops] of cases) {
    it(title, async () => {
      const g = importOnnx(modelBytes(nodes, inits, inShape, 'y'));
      const size = inShape.reduce((a, b) => a * b, 1);
      // NCHW inputs with C > 1 are given to the IR in NHWC order
      const nhwc = (x: number[]) => {
        const [, C, H, Wd] = inShape;
        return seq(size, (i) => {
          const c = i % C;
          const w = Math.floor(i / C) % Wd;
          const h = Math.floor(i / (C * Wd));
          return x[(c * H + h) * Wd + w];
        });
      };
      const xs = inputs(40, size, 3).map((x) => [nhwc(x)]);
      const r = await compileGraph(g, { calibration: xs.slice(0, 20), verify: false });
      for (const op of ops) expect(r.operators).toContain(op);
      if (title.startsWith('Flatten')) expect(r.operators).not.toContain('TRANSPOSE');
      const q = r.report.input;
      const o = r.report.output;
      const outs = await runInt8WithTfliteRuntime(r.tflite, xs.slice(20).map((x) => quantizeInt8(x[0], q.scale, q.zeroPoint)));
      let cos = 0;
      xs.slice(20).forEach((x, k) => {
        cos += cosine(evaluateGraphFloat64(g, x).outputs[0].data, dequantizeInt8(outs[k], o.scale, o.zeroPoint));
      });
      expect(cos / 20).toBeGreaterThanOrEqual(0.99);
    });
  }
});
