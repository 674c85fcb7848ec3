/**
 * Pass: TFLite ops know only SAME and VALID padding. Explicit pads that are neither become a
 * separate zero Pad op in front of a VALID Conv2D / DepthwiseConv2D. Pools cannot take that route
 * (max pool pads with -inf, average pool counts valid taps), so they are rejected by name.
 * A convolution whose pads equal SAME but whose SAME padding is negative on an axis also takes the
 * Pad + VALID route: TFLite's XNNPACK delegate miscomputes that case (ir/padding.ts
 * sameHasNegativeSlack); TFLM computes both forms identically (zero-point padding contributes 0).
 */
import { UnsupportedOpError } from '../errors.js';
import type { Graph, Node } from '../ir/graph.js';
import { addActivation, cloneGraph, tensorOf } from '../ir/graph.js';
import { sameHasNegativeSlack, tflitePaddingOf } from '../ir/padding.js';
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
      const mode = tflitePaddingOf([x[1], x[2]], kernel, n.attrs.strides, dil, pads);
      const xnnpackUnsafe = isConv && mode === 'SAME' && !(kernel[0] === 1 && kernel[1] === 1) && sameHasNegativeSlack([x[1], x[2]], kernel, n.attrs.strides, dil);
      if (mode === null || xnnpackUnsafe) {
        if (!isConv)
          throw new UnsupportedOpError(n.op, n.name, undefined, ['SAME or VALID padding'], `padding [${pads}] is neither SAME nor VALID for input [${x}]`);
        const padded = addActivation(g, `${n.name}_padded`);
        const padNode: Node = { op: 'Pad', name: `${n.name}_pad`, inputs: [n.inputs[0]], outputs: [padded], attrs: { pads: [[0, 0], [pads[0], pads[2]], [pads[1], pads[3]], [0, 0]] } };
        const pt = tensorOf(g, padded);
        pt.shape = inferNodeShape(g, padNode);
        // after quantization (the pass is idempotent and may run late) the pad keeps the input's type and grid
        const src = tensorOf(g, n.inputs[0]);
        if (src.quant) {
          pt.dtype = src.dtype;
          pt.quant = { ...src.quant, scale: [...src.quant.scale], zeroPoint: [...src.quant.zeroPoint] };
        }
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
