/**
 * Pass: TFLite ops know only SAME and VALID padding. Explicit pads that are neither become a
 * separate zero Pad op in front of a VALID Conv2D / DepthwiseConv2D. Pools cannot take that route
 * (max pool pads with -inf, average pool counts valid taps), so they are rejected by name.
 */
import { UnsupportedOpError } from '../errors.js';
import type { Graph, Node } from '../ir/graph.js';
import { addActivation, cloneGraph, tensorOf } from '../ir/graph.js';
import { tflitePaddingOf } from '../ir/padding.js';
import { inferNodeShape } from '../ir/shapes.js';

export function legalizePadding(graph: Graph): Graph {
  const g = cloneGraph(graph);
  const out: Node[] = [];
  for (const n of g.nodes) {
    if (n.op === 'Conv2D' || n.op === 'DepthwiseConv2D' || n.op === 'MaxPool2D' || n.op === 'AveragePool2D') {
      const x = tensorOf(g, n.inputs[0]).shape;
      const isConv = n.op === 'Conv2D' || n.op === 'DepthwiseConv2D';
      const kernel: [number, number] = isConv ? [tensorOf(g, n.inputs[1]).shape[1], tensorOf(g, n.inputs[1]).shape[2]] : (n.attrs as { kernel: [number, number] }).kernel;
      const dil: [number, number] = isConv ? (n.attrs as { dilations: [number, number] }).dilations : [1, 1];
      const pads = n.attrs.pads;
      if (tflitePaddingOf([x[1], x[2]], kernel, n.attrs.strides, dil, pads) === null) {
        if (!isConv)
          throw new UnsupportedOpError(n.op, n.name, undefined, ['SAME or VALID padding'], `padding [${pads}] is neither SAME nor VALID for input [${x}]`);
        const padded = addActivation(g, `${n.name}_padded`);
        const padNode: Node = { op: 'Pad', name: `${n.name}_pad`, inputs: [n.inputs[0]], outputs: [padded], attrs: { pads: [[0, 0], [pads[0], pads[2]], [pads[1], pads[3]], [0, 0]] } };
        tensorOf(g, padded).shape = inferNodeShape(g, padNode);
        out.push(padNode);
        n.inputs[0] = padded;
        n.attrs.pads = [0, 0, 0, 0];
      }
    }
    out.push(n);
  }
  g.nodes = out;
  return g;
}
