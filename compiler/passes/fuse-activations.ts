/**
 * Pass: fuse Relu / Relu6 / Clip(0,6) / Clip(-1,1) into the producing op's fused_activation
 * (Conv2D, DepthwiseConv2D, FullyConnected, pools, Add, Mul), as TFLite converters do:
 * it saves an op and an activation tensor, and the int8 kernels clamp for free. Not into Concat:
 * TFLite's int8 CONCATENATION rejects any fused activation (concatenation.cc: "activation !=
 * kTfLiteActNone"), so a Relu after a Concat stays a RELU op.
 */
import type { FusedActivation, Graph, Node } from '../ir/graph.js';
import { cloneGraph, consumers, producers } from '../ir/graph.js';

const FUSABLE = new Set(['Conv2D', 'DepthwiseConv2D', 'FullyConnected', 'MaxPool2D', 'AveragePool2D', 'Add', 'Mul']);

function activationOf(n: Node): FusedActivation | undefined {
  if (n.op === 'Relu') return 'RELU';
  if (n.op === 'Relu6') return 'RELU6';
  if (n.op === 'Clip') {
    if (n.attrs.min === 0 && n.attrs.max === 6) return 'RELU6';
    if (n.attrs.min === -1 && n.attrs.max === 1) return 'RELU_N1_TO_1';
  }
  return undefined;
}

export function fuseActivations(graph: Graph): Graph {
  const g = cloneGraph(graph);
  const removed = new Set<Node>();
  for (const n of g.nodes) {
    const act = activationOf(n);
    if (!act) continue;
    const x = n.inputs[0];
    const prod = producers(g).get(x);
    if (!prod || removed.has(prod) || !FUSABLE.has(prod.op)) continue;
    if ((consumers(g).get(x) ?? []).length !== 1 || g.outputs.includes(x)) continue;
    const attrs = prod.attrs as { activation?: FusedActivation };
    if (attrs.activation !== 'NONE') continue;
    attrs.activation = act;
    // the producer now writes the activation's output tensor
    prod.outputs[0] = n.outputs[0];
    removed.add(n);
    g.tensors.delete(x);
  }
  g.nodes = g.nodes.filter((n) => !removed.has(n));
  return g;
}
