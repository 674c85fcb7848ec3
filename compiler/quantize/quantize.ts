/**
 * Post-training full-integer quantisation to the TFLite int8 spec:
 *  - Conv2D / DepthwiseConv2D / TransposeConv2D weights: per-channel symmetric int8 in [-127, 127]
 *    (zp 0) on the output-channel axis (0 for conv and transposed conv, 3 for depthwise);
 *  - FullyConnected weights: per-tensor symmetric (the TFLite spec restricts FC weights to
 *    per-tensor, and older runtimes reject per-channel FC);
 *  - biases: int32 with scale = input_scale * weight_scale[c], zp 0;
 *  - activations: asymmetric int8 from calibration ranges (minmax / percentile / mse);
 *  - ops whose int8 kernels do no requantisation (max/avg pool, reshape, transpose, pad, concat)
 *    get one shared scale/zp for inputs and output (the union of their ranges);
 *  - Softmax and Sigmoid outputs are fixed at 1/256, -128 and Tanh at 1/128, 0, as TFLite requires.
 */
import { ModelFormatError } from '../errors.js';
import type { Graph, QuantParams, Tensor } from '../ir/graph.js';
import { cloneGraph, isConstant, tensorOf } from '../ir/graph.js';
import { observeActivations, type CalibrationSet } from './calibrate.js';
import { int8ParamsForRange, type FloatRange, type RangeMethod } from './range.js';

export interface QuantizeOptions {
  range?: RangeMethod;
  percentile?: number;
}

const SHARED_QUANT_OPS = new Set(['MaxPool2D', 'AveragePool2D', 'Reshape', 'Transpose', 'Pad', 'Concat']);

class UnionFind {
  private parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    if (p !== x) {
      p = this.find(p);
      this.parent.set(x, p);
    }
    return p;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

function quantizeWeightsPerChannel(t: Tensor, axis: number): { data: Int8Array; quant: QuantParams } {
  const w = t.data as Float32Array;
  const C = t.shape[axis];
  const inner = t.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const maxAbs = new Float64Array(C);
  for (let i = 0; i < w.length; i++) {
    const c = Math.floor(i / inner) % C;
    maxAbs[c] = Math.max(maxAbs[c], Math.abs(w[i]));
  }
  const scale = Array.from(maxAbs, (m) => Math.fround(m > 0 ? m / 127 : 1e-8));
  const data = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const c = Math.floor(i / inner) % C;
    data[i] = Math.max(-127, Math.min(127, Math.round(w[i] / scale[c])));
  }
  return { data, quant: { scale, zeroPoint: new Array(C).fill(0), axis } };
}

function quantizeWeightsPerTensor(t: Tensor): { data: Int8Array; quant: QuantParams } {
  const w = t.data as Float32Array;
  let m = 0;
  for (const v of w) m = Math.max(m, Math.abs(v));
  const scale = Math.fround(m > 0 ? m / 127 : 1e-8);
  const data = Int8Array.from(w, (v) => Math.max(-127, Math.min(127, Math.round(v / scale))));
  return { data, quant: { scale: [scale], zeroPoint: [0], axis: 0 } };
}

function quantizeAsymmetric(t: Tensor): { data: Int8Array; quant: QuantParams } {
  const w = t.data as Float32Array;
  let min = 0;
  let max = 0;
  for (const v of w) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const { scale, zeroPoint } = int8ParamsForRange({ min, max });
  const data = Int8Array.from(w, (v) => Math.max(-128, Math.min(127, Math.round(v / scale) + zeroPoint)));
  return { data, quant: { scale: [scale], zeroPoint: [zeroPoint], axis: 0, min, max } };
}

export interface QuantizeResult {
  graph: Graph;
  /** Float ranges chosen per activation tensor (after sharing). */
  ranges: Map<string, FloatRange>;
}

export function quantizeGraph(graph: Graph, calibration: CalibrationSet, options: QuantizeOptions = {}): QuantizeResult {
  if (calibration.length === 0) throw new ModelFormatError('quantisation needs at least one calibration input', {});
  const method = options.range ?? 'minmax';
  const g = cloneGraph(graph);
  for (const t of g.tensors.values())
    if (t.data instanceof Float32Array && !t.data.every(Number.isFinite))
      throw new ModelFormatError(`constant '${t.name}' holds NaN or infinite values; the model cannot be quantised`, { tensor: t.name });
  const obs = observeActivations(g, calibration);
  for (const [name, o] of obs)
    if (!Number.isFinite(o.min) || !Number.isFinite(o.max))
      throw new ModelFormatError(`activation '${name}' reached NaN or infinite values on the calibration inputs`, { tensor: name });

  // 1. activation ranges, shared across ops that cannot requantise
  const uf = new UnionFind();
  for (const n of g.nodes) if (SHARED_QUANT_OPS.has(n.op)) for (const i of n.inputs) if (!isConstant(g, i)) uf.union(i, n.outputs[0]);
  const fixed = new Map<string, { scale: number; zeroPoint: number }>();
  for (const n of g.nodes) {
    if (n.op === 'Softmax' || n.op === 'Sigmoid') fixed.set(n.outputs[0], { scale: 1 / 256, zeroPoint: -128 });
    if (n.op === 'Tanh') fixed.set(n.outputs[0], { scale: 1 / 128, zeroPoint: 0 });
  }
  const groupRange = new Map<string, FloatRange>();
  const groupFixed = new Map<string, { scale: number; zeroPoint: number }>();
  const activations = [...g.tensors.values()].filter((t) => !isConstant(g, t.name));
  for (const t of activations) {
    const o = obs.get(t.name);
    const r = o ? o.range(method, options.percentile) : { min: 0, max: 0 };
    const root = uf.find(t.name);
    const prev = groupRange.get(root);
    groupRange.set(root, prev ? { min: Math.min(prev.min, r.min), max: Math.max(prev.max, r.max) } : r);
    const f = fixed.get(t.name);
    if (f) groupFixed.set(root, f);
  }
  const ranges = new Map<string, FloatRange>();
  for (const t of activations) {
    const root = uf.find(t.name);
    const r = groupRange.get(root)!;
    const p = groupFixed.get(root) ?? int8ParamsForRange(r);
    t.dtype = 'int8';
    t.quant = { scale: [p.scale], zeroPoint: [p.zeroPoint], axis: 0, min: r.min, max: r.max };
    ranges.set(t.name, r);
  }

  // 2. weights and biases
  const done = new Set<string>();
  for (const n of g.nodes) {
    if (n.op === 'Conv2D' || n.op === 'DepthwiseConv2D' || n.op === 'TransposeConv2D' || n.op === 'FullyConnected') {
      const w = tensorOf(g, n.inputs[1]);
      const inScale = tensorOf(g, n.inputs[0]).quant!.scale[0];
      if (done.has(w.name)) throw new ModelFormatError(`weight '${w.name}' is shared by several nodes; not supported`, { node: n.name });
      const q = n.op === 'FullyConnected' ? quantizeWeightsPerTensor(w) : quantizeWeightsPerChannel(w, n.op === 'DepthwiseConv2D' ? 3 : 0);
      w.data = q.data;
      w.dtype = 'int8';
      w.quant = q.quant;
      done.add(w.name);
      const b = tensorOf(g, n.inputs[2]);
      const outC = b.shape[0];
      const bScale = Array.from({ length: outC }, (_, c) => inScale * q.quant.scale[q.quant.scale.length === 1 ? 0 : c]);
      b.data = Int32Array.from(b.data as Float32Array, (v, c) => Math.max(-2147483647, Math.min(2147483647, Math.round(v / bScale[c]))));
      b.dtype = 'int32';
      // per-tensor weights get a per-tensor bias scale: TFLite reads a multi-scale bias as scale 0
      // and its FULLY_CONNECTED Prepare then fails "scale_diff / output_scale <= 0.02"
      b.quant = q.quant.scale.length === 1 ? { scale: [bScale[0]], zeroPoint: [0], axis: 0 } : { scale: bScale, zeroPoint: new Array(outC).fill(0), axis: 0 };
      done.add(b.name);
    }
  }
  for (const n of g.nodes)
    for (const i of n.inputs) {
      const t = tensorOf(g, i);
      if (t.data && t.dtype === 'float32' && !done.has(i)) {
        const q = quantizeAsymmetric(t);
        t.data = q.data;
        t.dtype = 'int8';
        t.quant = q.quant;
        done.add(i);
      }
    }
  return { graph: g, ranges };
}
