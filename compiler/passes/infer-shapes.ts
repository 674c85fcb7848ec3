/** Pass: recompute every activation shape from the graph inputs, in node order. */
import type { Graph } from '../ir/graph.js';
import { cloneGraph, tensorOf } from '../ir/graph.js';
import { inferNodeShape } from '../ir/shapes.js';

export function inferShapes(graph: Graph): Graph {
  const g = cloneGraph(graph);
  for (const n of g.nodes) tensorOf(g, n.outputs[0]).shape = inferNodeShape(g, n);
  return g;
}
