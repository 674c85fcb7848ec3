/**
 * Seeded random single-op int8 graphs (compiler IR) with random shapes, weights and quantization,
 * for comparing the interpreter with the real TFLite runtime op by op.
 */
import { emptyGraph, type FusedActivation, type Graph, type Node, type QuantParams } from '../../compiler/ir/graph.js';
import { samePadding } from '../../compiler/ir/padding.js';

export const SINGLE_OPS = ['Conv2D', 'DepthwiseConv2D', 'FullyConnected', 'TransposeConv2D', 'Add', 'Mul', 'LeakyRelu', 'Softmax', 'Sigmoid', 'Tanh', 'AveragePool2D', 'MaxPool2D', 'Concat', 'Pad'] as const;
export type SingleOp = (typeof SINGLE_OPS)[number];

export class Rng {
  constructor(private state: number) {}
  next(): number {
    this.state = (Math.imul(this.state, 1103515245) + 12345) & 0x7fffffff;
    return this.state / 0x7fffffff;
  }
  int(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }
  pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.next() * a.length)]!;
  }
  int8(n: number): Int8Array {
    return Int8Array.from({ length: n }, () => this.int(-128, 127));
  }
}

const f32 = Math.fround;
const quant = (scale: number, zeroPoint: number): QuantParams => ({ scale: [f32(scale)], zeroPoint: [zeroPoint], axis: 0 });
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** One random graph of `op`; `inputs` are seeded int8 values for its activation inputs. */
export function randomSingleOpGraph(op: SingleOp, r: Rng): { graph: Graph; inputs: Int8Array[] } {
  const g = emptyGraph(op);
  const act = (name: string, shape: number[], q: QuantParams) => g.tensors.set(name, { name, shape, dtype: 'int8', quant: q });
  const si = 0.002 + r.next() * 0.1, zi = r.int(-100, 100);
  const H = r.int(3, 9), W = r.int(3, 9), C = r.int(1, 12);
  const activation: FusedActivation = r.pick(['NONE', 'RELU', 'RELU6'] as const);
  const rz = () => r.int(-100, 100);
  let inputs = ['x'];
  let node: Node;
  act('x', [1, H, W, C], quant(si, zi));
  if (op === 'Conv2D' || op === 'DepthwiseConv2D' || op === 'TransposeConv2D') {
    const kh = r.int(1, 3), kw = r.int(1, 3), s = r.int(1, 2);
    const dw = op === 'DepthwiseConv2D', M = dw ? r.int(1, 2) : 1;
    const OC = dw ? C * M : op === 'TransposeConv2D' && r.next() < 0.3 ? 1 : r.int(1, 16);
    const ws = Array.from({ length: OC }, () => f32(0.002 + r.next() * 0.05));
    const wshape = dw ? [1, kh, kw, OC] : [OC, kh, kw, C];
    g.tensors.set('w', { name: 'w', shape: wshape, dtype: 'int8', data: r.int8(size(wshape)).map((v) => Math.max(-127, v)), quant: { scale: ws, zeroPoint: ws.map(() => 0), axis: dw ? 3 : 0 } });
    g.tensors.set('b', { name: 'b', shape: [OC], dtype: 'int32', data: Int32Array.from({ length: OC }, () => r.int(-3000, 3000)), quant: { scale: ws.map((w) => f32(f32(si) * w)), zeroPoint: ws.map(() => 0), axis: 0 } });
    const so = si * 0.03 * (0.3 + r.next() * 3) * Math.sqrt(kh * kw * C);
    if (op === 'TransposeConv2D') {
      act('y', [1, (H - 1) * s + kh, (W - 1) * s + kw, OC], quant(so, rz()));
      node = { op, name: 'op', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { strides: [s, s], pads: [0, 0, 0, 0], activation: 'NONE' } };
    } else {
      const same = r.next() < 0.5;
      const [pt, pb] = same ? samePadding(H, kh, s, 1) : [0, 0];
      const [pl, pr] = same ? samePadding(W, kw, s, 1) : [0, 0];
      act('y', [1, Math.floor((H + pt + pb - kh) / s) + 1, Math.floor((W + pl + pr - kw) / s) + 1, OC], quant(so, rz()));
      const attrs = { strides: [s, s] as [number, number], dilations: [1, 1] as [number, number], pads: [pt, pl, pb, pr] as [number, number, number, number], activation };
      node = dw ? { op, name: 'op', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { ...attrs, depthMultiplier: M } } : { op, name: 'op', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs };
    }
  } else if (op === 'FullyConnected') {
    const K = H * W * C, OUT = r.int(8, 40), sw = 0.002 + r.next() * 0.05;
    act('x', [1, K], quant(si, zi));
    g.tensors.set('w', { name: 'w', shape: [OUT, K], dtype: 'int8', data: r.int8(OUT * K).map((v) => Math.max(-127, v)), quant: quant(sw, 0) });
    g.tensors.set('b', { name: 'b', shape: [OUT], dtype: 'int32', data: Int32Array.from({ length: OUT }, () => r.int(-3000, 3000)), quant: quant(f32(si) * f32(sw), 0) });
    act('y', [1, OUT], quant(si * sw * 0.03 * (0.3 + r.next() * 3) * Math.sqrt(K), rz()));
    node = { op, name: 'op', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { activation } };
  } else if (op === 'Add' || op === 'Mul') {
    act('x2', r.pick([[1, H, W, C], [1, 1, 1, C], [1, H, W, 1]]), quant(0.002 + r.next() * 0.1, rz()));
    inputs = ['x', 'x2'];
    act('y', [1, H, W, C], quant(op === 'Add' ? si * (0.5 + r.next() * 2) : si * 0.05 * (0.2 + r.next() * 2), rz()));
    node = { op, name: 'op', inputs, outputs: ['y'], attrs: { activation } };
  } else if (op === 'LeakyRelu') {
    act('y', [1, H, W, C], quant(si * (0.3 + r.next() * 2), rz()));
    node = { op, name: 'op', inputs: ['x'], outputs: ['y'], attrs: { alpha: r.pick([0.01, 0.1, 0.2, 0.3]) } };
  } else if (op === 'Softmax') {
    // log-uniform input scales from near-uniform rows (tiny scale, long rows) to one-hot ones
    act('x', [1, H * W * C], quant(0.001 * 500 ** r.next(), zi));
    act('y', [1, H * W * C], quant(1 / 256, -128));
    node = { op, name: 'op', inputs: ['x'], outputs: ['y'], attrs: { beta: 1 } };
  } else if (op === 'Sigmoid' || op === 'Tanh') {
    act('y', [1, H, W, C], op === 'Sigmoid' ? quant(1 / 256, -128) : quant(1 / 128, 0));
    node = { op, name: 'op', inputs: ['x'], outputs: ['y'], attrs: {} };
  } else if (op === 'AveragePool2D' || op === 'MaxPool2D') {
    const k = r.int(1, 3), s = r.int(1, 2);
    act('y', [1, Math.floor((H - k) / s) + 1, Math.floor((W - k) / s) + 1, C], quant(si, zi));
    node = { op, name: 'op', inputs: ['x'], outputs: ['y'], attrs: { kernel: [k, k], strides: [s, s], pads: [0, 0, 0, 0], activation: 'NONE' } };
  } else if (op === 'Concat') {
    // TFLite requires one scale and zero point for every int8 input and the output
    act('x2', [1, H, W, 3], quant(si, zi));
    inputs = ['x', 'x2'];
    act('y', [1, H, W, C + 3], quant(si, zi));
    node = { op, name: 'op', inputs, outputs: ['y'], attrs: { axis: 3, activation: 'NONE' } };
  } else {
    act('y', [1, H + 2, W + 1, C], quant(si, zi));
    node = { op, name: 'op', inputs: ['x'], outputs: ['y'], attrs: { pads: [[0, 0], [1, 1], [0, 1], [0, 0]] } };
  }
  g.nodes.push(node);
  g.inputs = inputs;
  g.outputs = ['y'];
  return { graph: g, inputs: inputs.map((i) => r.int8(size(g.tensors.get(i)!.shape))) };
}
