/**
 * Pass: a Transpose that only moves size-1 axes is a Reshape (no data movement); consecutive
 * Reshapes merge; consecutive Transposes compose. Layout conversion from ONNX leaves many of these.
 */
import type { Graph, Node } from '../ir/graph.js';
import { cloneGraph, consumers, producers, tensorOf } from '../ir/graph.js';

function movesOnlyUnitAxes(shape: number[], perm: number[]): boolean {
  const kept = perm.filter((p) => shape[p] !== 1);
  return kept.every((p, i) => i === 0 || p > kept[i - 1]);
}

export function cleanupTransposeReshape(graph: Graph): Graph {
  const g = cloneGraph(graph);
  for (const n of g.nodes) {
    if (n.op === 'Transpose' && movesOnlyUnitAxes(tensorOf(g, n.inputs[0]).shape, n.attrs.perm)) {
      const shape = tensorOf(g, n.outputs[0]).shape;
      Object.assign(n, { op: 'Reshape', attrs: { shape: [...shape] } });
    }
  }
  const removed = new Set<Node>();
  for (const n of g.nodes) {
    if (n.op !== 'Reshape' && n.op !== 'Transpose') continue;
    const prod = producers(g).get(n.inputs[0]);
    if (!prod || removed.has(prod) || prod.op !== n.op) continue;
    const mid = n.inputs[0];
    if ((consumers(g).get(mid) ?? []).length !== 1 || g.outputs.includes(mid)) continue;
    if (n.op === 'Reshape') {
      n.inputs[0] = prod.inputs[0];
    } else if (prod.op === 'Transpose') {
      n.attrs.perm = n.attrs.perm.map((p) => prod.attrs.perm[p]);
      n.inputs[0] = prod.inputs[0];
    }
    removed.add(prod);
  }
  g.nodes = g.nodes.filter((n) => !removed.has(n));
  return g;
}
