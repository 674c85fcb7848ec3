/** Pass: fold `FC/Conv -> Add(constant per-output-channel vector)` (MatMul + Add exports) into the bias. */
import type { Graph, Node } from '../ir/graph.js';
import { addConstant, cloneGraph, consumers, isConstant, numElements, producers, replaceUses, tensorOf } from '../ir/graph.js';

export function fuseBiasAdd(graph: Graph): Graph {
  const g = cloneGraph(graph);
  const removed = new Set<Node>();
  for (const n of g.nodes) {
    if (n.op !== 'Add' || n.attrs.activation !== 'NONE') continue;
    const [a, b] = n.inputs;
    const constName = isConstant(g, b) ? b : isConstant(g, a) ? a : undefined;
    if (!constName) continue;
    const x = constName === b ? a : b;
    const prod = producers(g).get(x);
    if (!prod || !(prod.op === 'FullyConnected' || prod.op === 'Conv2D' || prod.op === 'DepthwiseConv2D')) continue;
    if (prod.attrs.activation !== 'NONE' || (consumers(g).get(x) ?? []).length !== 1 || g.outputs.includes(x)) continue;
    const c = tensorOf(g, constName);
    const outShape = tensorOf(g, n.outputs[0]).shape;
    const O = outShape[outShape.length - 1];
    // only a vector along the channel axis can become a bias
    if (numElements(c.shape) !== O || c.shape.slice(0, -1).some((d) => d !== 1)) continue;
    if (outShape.length !== tensorOf(g, x).shape.length) continue;
    const bias = tensorOf(g, prod.inputs[2]);
    prod.inputs[2] = addConstant(g, `${bias.name}_plus`, bias.shape, Float32Array.from(bias.data!, (v, i) => v + c.data![i]));
    replaceUses(g, n.outputs[0], x);
    const outName = n.outputs[0];
    prod.outputs[0] = x;
    removed.add(n);
    // keep the graph-facing name stable if the Add output was a graph output
    g.outputs = g.outputs.map((o) => (o === outName ? x : o));
  }
  g.nodes = g.nodes.filter((n) => !removed.has(n));
  return g;
}
