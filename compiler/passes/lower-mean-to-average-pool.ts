/**
 * Pass: a Mean over the spatial axes of an NHWC map (global average pooling, or a mean over time
 * or frequency only) becomes an AveragePool2D whose window is the reduced extent, followed by a
 * Reshape when the Mean drops the reduced axes.
 *
 * Why: the int8 MEAN kernels of the runtimes disagree with each other. TFLM's MEAN (and our
 * interpreter) folds 1/N into a Prepare-time multiplier (multiplier << s / N) and requantises;
 * TFLite's builtin optimised MEAN and XNNPACK's global average pooling each round differently, so
 * 3-40 % of MEAN outputs differ by 1 LSB between TFLM and TFLite, and those differences reach the
 * logits. int8 AVERAGE_POOL_2D is one formula everywhere (sum, then round-half-away division by the
 * window size, input and output sharing one scale and zero point), so TFLM, TFLite's builtin
 * kernels and our interpreter give identical outputs. The average keeps the input's scale: its
 * values lie inside the input range, so no value is clipped; the quantisation step is the input's
 * rather than one fitted to the narrower range of the means (measured on the fixtures: top-1 and
 * cosine vs float unchanged, see compiler/README.md).
 */
import type { Graph, Node } from '../ir/graph.js';
import { addActivation, cloneGraph, tensorOf } from '../ir/graph.js';

export function lowerMeanToAveragePool(graph: Graph): Graph {
  const g = cloneGraph(graph);
  const nodes: Node[] = [];
  for (const n of g.nodes) {
    if (n.op !== 'Mean') {
      nodes.push(n);
      continue;
    }
    const x = tensorOf(g, n.inputs[0]).shape;
    const axes = [...new Set(n.attrs.axes.map((a) => (a < 0 ? a + x.length : a)))];
    // only NHWC maps reduced over H and/or W; a Mean over channels or batch stays a MEAN
    if (x.length !== 4 || axes.length === 0 || axes.some((a) => a !== 1 && a !== 2)) {
      nodes.push(n);
      continue;
    }
    const kh = axes.includes(1) ? x[1] : 1;
    const kw = axes.includes(2) ? x[2] : 1;
    const pooledShape = [x[0], x[1] / kh, x[2] / kw, x[3]];
    const pool: Node = {
      op: 'AveragePool2D',
      name: n.name,
      inputs: [n.inputs[0]],
      outputs: [n.outputs[0]],
      attrs: { kernel: [kh, kw], strides: [kh, kw], pads: [0, 0, 0, 0], activation: 'NONE' },
    };
    if (n.attrs.keepDims) {
      nodes.push(pool);
      continue;
    }
    const pooled = addActivation(g, `${n.outputs[0]}_pooled`, pooledShape);
    pool.outputs = [pooled];
    const outShape = tensorOf(g, n.outputs[0]).shape;
    nodes.push(pool, { op: 'Reshape', name: `${n.name}_squeeze`, inputs: [pooled], outputs: [n.outputs[0]], attrs: { shape: [...outShape] } });
  }
  g.nodes = nodes;
  return g;
}
