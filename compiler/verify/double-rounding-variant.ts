/**
 * A verification-only rewrite of a quantised graph so that the TFLite runtime in tfjs-tflite
 * computes every CONV_2D and FULLY_CONNECTED with TFLM's rounding.
 *
 * Why: TFLM (and our interpreter) requantise an int32 accumulator with double rounding
 * (SaturatingRoundingDoublingHighMul, then RoundingDivideByPOT). TFLite's builtin per-channel
 * CONV_2D runs through ruy, whose MultiplyByQuantizedMultiplier rounds once (64-bit product, one
 * rounding shift), and XNNPACK requantises in fp32: both differ from TFLM whenever the first of
 * the two roundings crosses a half-LSB boundary, about 2^-(r+1) of the values for a right shift of
 * r bits (0.2-0.6 % per conv in our fixtures), and those 1-LSB differences compound through a
 * model. TFLite's builtin DEPTHWISE_CONV_2D, however, requantises with double rounding exactly as
 * TFLM does (measured: 100 % equal op by op). A convolution is a depthwise convolution on a
 * reshaped view: NHWC [1,H,W,C] is the same memory as [1,H,W*C,1], and a KHx(KW*C) depthwise
 * kernel with depth multiplier = output channels and horizontal stride sw*C reads exactly the
 * KHxKWxC window of the convolution. The integer accumulator is the same sum (integer addition
 * is exact in any order), the per-channel scales and the bias are the same tensors, so the
 * requantised outputs must be identical to TFLM's CONV_2D: any difference is a real bug in our
 * compiler or interpreter, not rounding noise. A FULLY_CONNECTED is the 1x1-output case.
 *
 * Padding is made explicit (a PAD op with the input zero point, which is what a padded
 * convolution reads), so the depthwise runs VALID. Width dilation would break the contiguous
 * window: such convolutions are left as they are and listed in `kept`.
 */
import type { Graph, Node, Tensor } from '../ir/graph.js';
import { cloneGraph, tensorOf, uniqueName } from '../ir/graph.js';

export interface DoubleRoundingVariant {
  graph: Graph;
  /** Nodes re-expressed as DEPTHWISE_CONV_2D. */
  rewritten: string[];
  /** CONV_2D / FULLY_CONNECTED nodes that could not be (width dilation); TFLite runs them with ruy. */
  kept: string[];
}

function addTensor(g: Graph, base: string, like: Tensor, shape: number[], data?: Int8Array): string {
  const name = uniqueName(g, base);
  g.tensors.set(name, {
    name,
    shape,
    dtype: like.dtype,
    data,
    quant: like.quant ? { ...like.quant, scale: [...like.quant.scale], zeroPoint: [...like.quant.zeroPoint] } : undefined,
  });
  return name;
}

/** Depthwise weights [1, KH, KW*C, OUT] from conv OHWI weights [OUT, KH, KW, C]. */
function depthwiseWeightsOfConv(w: Int8Array, out: number, kh: number, kw: number, c: number): Int8Array {
  const dw = new Int8Array(w.length);
  for (let o = 0; o < out; o++)
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++)
        for (let i = 0; i < c; i++) dw[(y * kw * c + x * c + i) * out + o] = w[((o * kh + y) * kw + x) * c + i]!;
  return dw;
}

function rewriteConv(g: Graph, n: Extract<Node, { op: 'Conv2D' }>): Node[] {
  const x = tensorOf(g, n.inputs[0]);
  const w = tensorOf(g, n.inputs[1]);
  const [, H, W, C] = x.shape as [number, number, number, number];
  const [OUT, KH, KW] = w.shape as [number, number, number, number];
  const [top, left, bottom, right] = n.attrs.pads;
  const nodes: Node[] = [];
  let src = n.inputs[0];
  const Hp = H + top + bottom;
  const Wp = W + left + right;
  if (top || left || bottom || right) {
    const padded = addTensor(g, `${n.name}_dr_pad`, x, [1, Hp, Wp, C]);
    nodes.push({ op: 'Pad', name: `${n.name}_dr_pad`, inputs: [src], outputs: [padded], attrs: { pads: [[0, 0], [top, bottom], [left, right], [0, 0]] } });
    src = padded;
  }
  const flat = addTensor(g, `${n.name}_dr_view`, x, [1, Hp, Wp * C, 1]);
  nodes.push({ op: 'Reshape', name: `${n.name}_dr_view`, inputs: [src], outputs: [flat], attrs: { shape: [1, Hp, Wp * C, 1] } });
  const dwName = addTensor(g, `${n.name}_dr_weights`, w, [1, KH, KW * C, OUT], depthwiseWeightsOfConv(w.data as Int8Array, OUT, KH, KW, C));
  g.tensors.get(dwName)!.quant!.axis = 3;
  nodes.push({
    op: 'DepthwiseConv2D',
    name: `${n.name}_dr`,
    inputs: [flat, dwName, n.inputs[2]],
    outputs: [n.outputs[0]],
    attrs: {
      strides: [n.attrs.strides[0], n.attrs.strides[1] * C],
      dilations: [n.attrs.dilations[0], 1],
      pads: [0, 0, 0, 0],
      activation: n.attrs.activation,
      depthMultiplier: OUT,
    },
  });
  return nodes;
}

function rewriteFullyConnected(g: Graph, n: Extract<Node, { op: 'FullyConnected' }>): Node[] {
  const x = tensorOf(g, n.inputs[0]);
  const w = tensorOf(g, n.inputs[1]);
  const y = tensorOf(g, n.outputs[0]);
  const [OUT, IN] = w.shape as [number, number];
  const batch = x.shape.reduce((a, b) => a * b, 1) / IN;
  const view = addTensor(g, `${n.name}_dr_view`, x, [1, batch, IN, 1]);
  const wq = w.data as Int8Array;
  const dw = new Int8Array(wq.length);
  for (let o = 0; o < OUT; o++) for (let i = 0; i < IN; i++) dw[i * OUT + o] = wq[o * IN + i]!;
  const dwName = addTensor(g, `${n.name}_dr_weights`, w, [1, 1, IN, OUT], dw);
  // per-tensor FC weights become per-channel with the one scale repeated: the same multiplier per channel
  const s = w.quant!.scale;
  g.tensors.get(dwName)!.quant = { scale: Array.from({ length: OUT }, (_, o) => s[s.length === 1 ? 0 : o]!), zeroPoint: new Array(OUT).fill(0), axis: 3 };
  const out4 = addTensor(g, `${n.name}_dr_out`, y, [1, batch, 1, OUT]);
  return [
    { op: 'Reshape', name: `${n.name}_dr_view`, inputs: [n.inputs[0]], outputs: [view], attrs: { shape: [1, batch, IN, 1] } },
    {
      op: 'DepthwiseConv2D',
      name: `${n.name}_dr`,
      inputs: [view, dwName, n.inputs[2]],
      outputs: [out4],
      attrs: { strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], activation: n.attrs.activation, depthMultiplier: OUT },
    },
    { op: 'Reshape', name: `${n.name}_dr_out`, inputs: [out4], outputs: [n.outputs[0]], attrs: { shape: [...y.shape] } },
  ];
}

/** Returns the rewritten copy; `q` is not modified. Expects a quantised graph (int8 weights). */
export function doubleRoundingVariant(q: Graph): DoubleRoundingVariant {
  const g = cloneGraph(q);
  const rewritten: string[] = [];
  const kept: string[] = [];
  const nodes: Node[] = [];
  for (const n of g.nodes) {
    if (n.op === 'Conv2D' && n.attrs.dilations[1] === 1 && tensorOf(g, n.inputs[0]).shape[0] === 1) {
      nodes.push(...rewriteConv(g, n));
      rewritten.push(n.name);
    } else if (n.op === 'FullyConnected' && n.inputs.length >= 3) {
      nodes.push(...rewriteFullyConnected(g, n));
      rewritten.push(n.name);
    } else {
      if (n.op === 'Conv2D' || n.op === 'FullyConnected') kept.push(n.name);
      nodes.push(n);
    }
  }
  g.nodes = nodes;
  // the original weights of rewritten nodes are no longer read; drop them so the writer skips them
  const used = new Set([...g.inputs, ...g.outputs, ...nodes.flatMap((n) => [...n.inputs, ...n.outputs])]);
  for (const k of [...g.tensors.keys()]) if (!used.has(k)) g.tensors.delete(k);
  return { graph: g, rewritten, kept };
}
