/**
 * Pass: fold BatchNorm into the preceding Conv2D / DepthwiseConv2D / TransposeConv2D / FullyConnected
 * (w' = w * gamma / sqrt(var + eps) per output channel, b' = (b - mean) * gamma / sqrt(var + eps) + beta).
 * This also covers PyTorch's training-mode export (BatchNormalization with extra running-stat
 * outputs), because only output 0 is imported. A BatchNorm that cannot be folded (input batch-norm
 * on features, or after an Add) becomes a per-channel Mul + Add, which int8 kernels support.
 */
import type { Graph, Node } from '../ir/graph.js';
import { addActivation, addConstant, cloneGraph, consumers, producers, replaceUses, tensorOf } from '../ir/graph.js';

export function foldBatchNorm(graph: Graph): Graph {
  const g = cloneGraph(graph);
  const out: Node[] = [];
  for (const n of g.nodes) {
    if (n.op !== 'BatchNorm') {
      out.push(n);
      continue;
    }
    const [xName, gammaN, betaN, meanN, varN] = n.inputs;
    const [gamma, beta, mean, variance] = [gammaN, betaN, meanN, varN].map((x) => tensorOf(g, x).data!);
    const C = gamma.length;
    const mul = new Float32Array(C);
    const add = new Float32Array(C);
    for (let c = 0; c < C; c++) {
      mul[c] = gamma[c] / Math.sqrt(variance[c] + n.attrs.epsilon);
      add[c] = beta[c] - mean[c] * mul[c];
    }
    const prod = producers(g).get(xName);
    const uses = consumers(g).get(xName) ?? [];
    const foldable =
      prod &&
      (prod.op === 'Conv2D' || prod.op === 'DepthwiseConv2D' || prod.op === 'TransposeConv2D' || prod.op === 'FullyConnected') &&
      prod.attrs.activation === 'NONE' &&
      uses.length === 1 &&
      !g.outputs.includes(xName);
    if (foldable) {
      const w = tensorOf(g, prod.inputs[1]);
      const b = tensorOf(g, prod.inputs[2]);
      const wd = Float32Array.from(w.data!);
      const outC = prod.op === 'DepthwiseConv2D' ? w.shape[3] : w.shape[0];
      if (outC === C) {
        for (let i = 0; i < wd.length; i++) {
          // OHWI / transposed [OUT,KH,KW,IN] / [OUT, IN]: channel is the leading axis; depthwise [1,H,W,C*M]: the last axis
          const c = prod.op === 'DepthwiseConv2D' ? i % C : Math.floor(i / (wd.length / C));
          wd[i] *= mul[c];
        }
        const bd = Float32Array.from(b.data!, (v, c) => v * mul[c] + add[c]);
        prod.inputs[1] = addConstant(g, `${w.name}_bnfold`, w.shape, wd);
        prod.inputs[2] = addConstant(g, `${b.name}_bnfold`, b.shape, bd);
        replaceUses(g, n.outputs[0], xName);
        // the folded conv now produces what the BatchNorm produced: keep the BN output name
        continue;
      }
    }
    const x = tensorOf(g, xName);
    const cShape = x.shape.map((_, i) => (i === x.shape.length - 1 ? C : 1));
    const mulC = addConstant(g, `${n.name}_scale`, cShape, mul);
    const addC = addConstant(g, `${n.name}_shift`, cShape, add);
    const mid = addActivation(g, `${n.name}_scaled`, x.shape);
    out.push({ op: 'Mul', name: `${n.name}_mul`, inputs: [xName, mulC], outputs: [mid], attrs: { activation: 'NONE' } });
    out.push({ op: 'Add', name: `${n.name}_add`, inputs: [mid, addC], outputs: [n.outputs[0]], attrs: { activation: 'NONE' } });
  }
  g.nodes = out;
  return g;
}
