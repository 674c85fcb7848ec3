/**
 * Pass: drop nodes whose outputs nobody reads, no-op nodes (zero Pad, identity Transpose, Reshape
 * to the same shape) and tensors no node or graph boundary refers to.
 */
import type { Graph, Node } from '../ir/graph.js';
import { cloneGraph, consumers, replaceUses, tensorOf } from '../ir/graph.js';

function isNoOp(g: Graph, n: Node): boolean {
  if (n.op === 'Pad') return n.attrs.pads.every(([a, b]) => a === 0 && b === 0);
  if (n.op === 'Transpose') return n.attrs.perm.every((p, i) => p === i);
  if (n.op === 'Reshape') {
    const a = tensorOf(g, n.inputs[0]).shape;
    return a.length === n.attrs.shape.length && a.every((d, i) => d === n.attrs.shape[i]);
  }
  return false;
}

export function removeDeadNodes(graph: Graph): Graph {
  const g = cloneGraph(graph);
  // no-op nodes: forward their input, unless that would connect a graph input straight to an output
  g.nodes = g.nodes.filter((n) => {
    if (!isNoOp(g, n)) return true;
    const out = n.outputs[0];
    if (g.outputs.includes(out) && (g.inputs.includes(n.inputs[0]) || g.outputs.includes(n.inputs[0]))) return true;
    replaceUses(g, out, n.inputs[0]);
    return false;
  });
  for (let changed = true; changed; ) {
    changed = false;
    const uses = consumers(g);
    const before = g.nodes.length;
    g.nodes = g.nodes.filter((n) => n.outputs.some((o) => (uses.get(o) ?? []).length > 0 || g.outputs.includes(o)));
    changed = g.nodes.length !== before;
  }
  const live = new Set<string>([...g.inputs, ...g.outputs]);
  for (const n of g.nodes) for (const t of [...n.inputs, ...n.outputs]) live.add(t);
  for (const name of [...g.tensors.keys()]) if (!live.has(name)) g.tensors.delete(name);
  return g;
}
