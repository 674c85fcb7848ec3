/** Per-op latency cost model; numbers and reasoning in COST_MODEL.md (keep both in sync). */
import type { Graph, Node } from './ir/graph.js';
import { numElements, tensorOf } from './ir/graph.js';

export interface CoreModel {
  name: string;
  clockMHz: number;
  opOverheadCycles: number;
  cyclesPerUnit: Record<string, number>;
}

export const CORTEX_M4_168: CoreModel = {
  name: 'Cortex-M4 @ 168 MHz',
  clockMHz: 168,
  opOverheadCycles: 2000,
  cyclesPerUnit: {
    Conv2D: 1.0, Conv2D1x1: 0.7, DepthwiseConv2D: 2.0, FullyConnected: 1.0, MaxPool2D: 2.0, AveragePool2D: 2.0, Mean: 2.0,
    Add: 8, Mul: 8, Softmax: 60, Sigmoid: 60, Tanh: 60, Relu: 3, Relu6: 3, LeakyRelu: 3, Clip: 3, Reshape: 0.25, Transpose: 4, Pad: 4, Concat: 4, BatchNorm: 8,
  },
};

export const CORTEX_M7_480: CoreModel = {
  name: 'Cortex-M7 @ 480 MHz',
  clockMHz: 480,
  opOverheadCycles: 1500,
  cyclesPerUnit: Object.fromEntries(Object.entries(CORTEX_M4_168.cyclesPerUnit).map(([k, v]) => [k, v / 2])),
};

/** Multiply-accumulates of one node (0 for ops without MACs). */
export function macsOf(g: Graph, n: Node): number {
  const out = tensorOf(g, n.outputs[0]).shape;
  if (n.op === 'Conv2D') {
    const w = tensorOf(g, n.inputs[1]).shape;
    return numElements(out) * w[1] * w[2] * w[3];
  }
  if (n.op === 'DepthwiseConv2D') {
    const w = tensorOf(g, n.inputs[1]).shape;
    return numElements(out) * w[1] * w[2];
  }
  if (n.op === 'FullyConnected') return numElements(out) * tensorOf(g, n.inputs[1]).shape[1];
  if (n.op === 'TransposeConv2D') {
    // every input pixel x every tap x OUT x IN (TFLM's scatter loop; taps falling outside are skipped)
    const w = tensorOf(g, n.inputs[1]).shape;
    return numElements(tensorOf(g, n.inputs[0]).shape) * w[0] * w[1] * w[2];
  }
  return 0;
}

export function workOf(g: Graph, n: Node): { unitKey: string; units: number } {
  const out = tensorOf(g, n.outputs[0]).shape;
  switch (n.op) {
    case 'Conv2D': {
      const w = tensorOf(g, n.inputs[1]).shape;
      return { unitKey: w[1] === 1 && w[2] === 1 ? 'Conv2D1x1' : 'Conv2D', units: macsOf(g, n) };
    }
    case 'DepthwiseConv2D':
    case 'FullyConnected':
      return { unitKey: n.op, units: macsOf(g, n) };
    case 'TransposeConv2D':
      return { unitKey: 'Conv2D', units: macsOf(g, n) };
    case 'MaxPool2D':
    case 'AveragePool2D':
      return { unitKey: n.op, units: numElements(out) * n.attrs.kernel[0] * n.attrs.kernel[1] };
    case 'Mean':
      return { unitKey: n.op, units: numElements(tensorOf(g, n.inputs[0]).shape) };
    default:
      return { unitKey: n.op, units: numElements(out) };
  }
}

export function estimateCycles(g: Graph, n: Node, core: CoreModel): number {
  const { unitKey, units } = workOf(g, n);
  return units * (core.cyclesPerUnit[unitKey] ?? 4) + core.opOverheadCycles;
}

export function estimateLatencyMs(g: Graph, core: CoreModel): number {
  const cycles = g.nodes.reduce((a, n) => a + estimateCycles(g, n, core), 0);
  return cycles / (core.clockMHz * 1000);
}
