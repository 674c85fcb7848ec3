/**
 * Pass: `Transpose -> Reshape[N, K] -> FullyConnected` (a PyTorch Flatten of an NCHW map, which
 * the importer expresses as NHWC -> NCHW transpose + reshape) becomes `Reshape -> FullyConnected`
 * with the weight columns permuted to the NHWC flattening order. No data movement at run time,
 * one op and one activation buffer fewer.
 */
import type { Graph, Node } from '../ir/graph.js';
import { addConstant, cloneGraph, consumers, numElements, producers, tensorOf } from '../ir/graph.js';

export function foldTransposeIntoFullyConnected(graph: Graph): Graph {
  const g = cloneGraph(graph);
  const removed = new Set<Node>();
  for (const fc of g.nodes) {
    if (fc.op !== 'FullyConnected') continue;
    const reshape = producers(g).get(fc.inputs[0]);
    if (!reshape || reshape.op !== 'Reshape' || removed.has(reshape)) continue;
    const tr = producers(g).get(reshape.inputs[0]);
    if (!tr || tr.op !== 'Transpose' || removed.has(tr)) continue;
    const uses = consumers(g);
    if ((uses.get(tr.outputs[0]) ?? []).length !== 1 || (uses.get(reshape.outputs[0]) ?? []).length !== 1) continue;
    if (g.outputs.includes(tr.outputs[0]) || g.outputs.includes(reshape.outputs[0])) continue;
    const w = tensorOf(g, fc.inputs[1]);
    if (!(w.data instanceof Float32Array)) continue;
    const src = tensorOf(g, tr.inputs[0]).shape;
    const perm = tr.attrs.perm;
    // only a single example whose batch axis stays first: then the flattened row is the whole tensor
    if (perm[0] !== 0 || src[0] !== 1 || reshape.attrs.shape.length !== 2 || reshape.attrs.shape[0] !== 1) continue;
    const K = numElements(src);
    const [O, Kw] = w.shape;
    if (Kw !== K) continue;
    const dst = perm.map((p) => src[p]);
    const dstStrides = dst.map((_, d) => numElements(dst.slice(d + 1)));
    // position in the transposed flattening of each element of the source flattening
    const post = new Int32Array(K);
    const idx = new Array<number>(src.length).fill(0);
    for (let j = 0; j < K; j++) {
      let p = 0;
      for (let d = 0; d < dst.length; d++) p += idx[perm[d]] * dstStrides[d];
      post[j] = p;
      for (let d = src.length - 1; d >= 0; d--) {
        if (++idx[d] < src[d]) break;
        idx[d] = 0;
      }
    }
    const wd = w.data;
    const nw = new Float32Array(O * K);
    for (let o = 0; o < O; o++) for (let j = 0; j < K; j++) nw[o * K + j] = wd[o * K + post[j]];
    fc.inputs[1] = addConstant(g, `${w.name}_nhwc`, w.shape, nw);
    reshape.inputs[0] = tr.inputs[0];
    removed.add(tr);
  }
  g.nodes = g.nodes.filter((n) => !removed.has(n));
  return g;
}
