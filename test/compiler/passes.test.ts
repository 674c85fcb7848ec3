/** Graph passes on small hand-built graphs: each keeps the float function and does its rewrite. */
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../compiler/import/onnx/import-onnx.js';
import { evaluateGraphFloat64 } from '../../compiler/ir/evaluate-float64.js';
import type { Graph } from '../../compiler/ir/graph.js';
import { cleanupTransposeReshape, foldBatchNorm, fuseActivations, fuseBiasAdd, legalizePadding, optimizeGraph, removeDeadNodes } from '../../compiler/passes/index.js';
import { modelBytes, tensor } from './onnx-builder.js';

const seq = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

function expectSameFunction(a: Graph, b: Graph, inputs: number[][]): void {
  for (const x of inputs) {
    const ya = evaluateGraphFloat64(a, [x]).outputs[0];
    const yb = evaluateGraphFloat64(b, [x]).outputs[0];
    expect(yb.shape).toEqual(ya.shape);
    // folded parameters are stored as float32 (what the .tflite keeps): ~1e-7 relative
    for (let i = 0; i < ya.data.length; i++) expect(yb.data[i]).toBeCloseTo(ya.data[i], 6);
  }
}

describe('passes', () => {
  it('a BatchNorm that cannot fold (after an Add) becomes a per-channel Mul + Add', () => {
    const C = 4;
    const bn = ['g', 'b', 'm', 'v'].map((n, k) => tensor(n, [C], seq(C, (i) => (k === 3 ? 0.5 + i : 0.3 * (i + k) - 0.4))));
    const g = importOnnx(
      modelBytes(
        [
          { name: 'add', opType: 'Add', input: ['x', 'x'], output: ['s'] },
          { name: 'bn', opType: 'BatchNormalization', input: ['s', 'g', 'b', 'm', 'v'], output: ['y'] },
        ],
        bn,
        [1, C, 3, 2],
        'y',
      ),
    );
    const f = foldBatchNorm(g);
    expect(f.nodes.map((n) => n.op)).toEqual(['Add', 'Mul', 'Add', 'Transpose']);
    expectSameFunction(g, f, [seq(24, (i) => Math.sin(i)), seq(24, (i) => i / 7 - 1)]);
  });

  it('MatMul + Add becomes one FullyConnected with the bias folded in, ReLU fused', () => {
    const w = tensor('w', [6, 3], seq(18, (i) => Math.cos(i)));
    const b = tensor('b', [3], [0.5, -1, 2]);
    const g = importOnnx(
      modelBytes(
        [
          { name: 'mm', opType: 'MatMul', input: ['x', 'w'], output: ['h'] },
          { name: 'add', opType: 'Add', input: ['h', 'b'], output: ['z'] },
          { name: 'relu', opType: 'Relu', input: ['z'], output: ['y'] },
        ],
        [w, b],
        [1, 6],
        'y',
      ),
    );
    const f = fuseActivations(fuseBiasAdd(g));
    expect(f.nodes.map((n) => n.op)).toEqual(['FullyConnected']);
    expect(f.nodes[0].attrs).toEqual({ activation: 'RELU' });
    expectSameFunction(g, f, [seq(6, (i) => i - 3), seq(6, (i) => Math.sin(3 * i))]);
  });

  it('a transpose that moves only size-1 axes becomes a reshape; chained reshapes merge; no-ops go', () => {
    // [1,C,1,1] activations: Flatten of the NHWC value needs no real transpose
    const w = tensor('w', [5, 2, 1, 1], seq(10, (i) => i / 10));
    const g = importOnnx(
      modelBytes(
        [
          { name: 'conv', opType: 'Conv', input: ['x', 'w'], output: ['c'] },
          { name: 'gap', opType: 'GlobalAveragePool', input: ['c'], output: ['p'] },
          { name: 'flat', opType: 'Flatten', input: ['p'], output: ['f'] },
          { name: 'r', opType: 'Reshape', input: ['f', 'shape'], output: ['y'] },
        ],
        [w, tensor('shape', [2], [1, 5])],
        [1, 2, 3, 3],
        'y',
      ),
    );
    const f = removeDeadNodes(cleanupTransposeReshape(g));
    expect(f.nodes.some((n) => n.op === 'Transpose')).toBe(false);
    expect(f.nodes.filter((n) => n.op === 'Reshape').length).toBeLessThanOrEqual(1);
    expectSameFunction(g, f, [seq(18, (i) => Math.sin(i))]);
  });

  it('explicit padding that is neither SAME nor VALID becomes a Pad op in front of a VALID conv', () => {
    const w = tensor('w', [2, 1, 3, 3], seq(18, (i) => Math.sin(i + 1)));
    const g = importOnnx(
      modelBytes(
        [{ name: 'conv', opType: 'Conv', input: ['x', 'w'], output: ['y'], attribute: [{ name: 'pads', type: 7, ints: [1, 1, 1, 1] }, { name: 'strides', type: 7, ints: [2, 2] }] }],
        [w],
        [1, 1, 6, 8],
        'y',
      ),
    );
    const f = legalizePadding(g);
    expect(f.nodes.map((n) => n.op)).toEqual(['Pad', 'Conv2D', 'Transpose']);
    expect(f.nodes[1].attrs).toMatchObject({ pads: [0, 0, 0, 0] });
    expectSameFunction(g, f, [seq(48, (i) => Math.cos(i / 3))]);
    expectSameFunction(g, optimizeGraph(g), [seq(48, (i) => i % 5)]);
  });
});
