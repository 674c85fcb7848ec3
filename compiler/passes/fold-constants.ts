/** Pass: evaluate nodes whose inputs are all constants and replace them by constant tensors. */
import { evaluateNodeFloat64, type Float64Tensor } from '../ir/evaluate-float64.js';
import type { Graph } from '../ir/graph.js';
import { cloneGraph, isConstant, tensorOf } from '../ir/graph.js';

export function foldConstants(graph: Graph): Graph {
  const g = cloneGraph(graph);
  const kept = [];
  for (const n of g.nodes) {
    if (n.inputs.length > 0 && n.inputs.every((i) => isConstant(g, i))) {
      const get = (name: string): Float64Tensor => {
        const t = tensorOf(g, name);
        return { shape: t.shape, data: Float64Array.from(t.data!) };
      };
      const v = evaluateNodeFloat64(g, n, get);
      const out = tensorOf(g, n.outputs[0]);
      out.shape = v.shape;
      out.data = Float32Array.from(v.data);
      continue;
    }
    kept.push(n);
  }
  g.nodes = kept;
  return g;
}
