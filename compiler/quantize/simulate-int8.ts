/**
 * Float64 simulation of the quantised graph ("fake quant"): weights are the dequantised int8
 * values and every activation is rounded to its int8 grid after each op. It gives per-layer
 * int8-vs-float SNR without a runtime; it models the quantisation noise, not the exact integer
 * rounding of the kernels (the interpreter and tfjs-tflite do that).
 */
import { evaluateNodeFloat64, type Float64Tensor } from '../ir/evaluate-float64.js';
import type { Graph } from '../ir/graph.js';
import { tensorOf } from '../ir/graph.js';

function fakeQuant(t: Float64Tensor, scale: number, zp: number): Float64Tensor {
  return { shape: t.shape, data: t.data.map((v) => (Math.max(-128, Math.min(127, Math.round(v / scale) + zp)) - zp) * scale) };
}

export function simulateInt8Float64(q: Graph, inputs: ArrayLike<number>[]): Map<string, Float64Tensor> {
  const values = new Map<string, Float64Tensor>();
  const get = (name: string): Float64Tensor => {
    const v = values.get(name);
    if (v) return v;
    const t = tensorOf(q, name);
    const d = t.data!;
    const qp = t.quant;
    let data: Float64Array;
    if (!qp || t.dtype === 'float32') data = Float64Array.from(d);
    else {
      const C = qp.scale.length;
      const inner = C > 1 ? t.shape.slice(qp.axis + 1).reduce((a, b) => a * b, 1) : 1;
      data = Float64Array.from(d, (x, i) => {
        const c = C > 1 ? Math.floor(i / inner) % C : 0;
        return (x - qp.zeroPoint[c]) * qp.scale[c];
      });
    }
    const r = { shape: t.shape, data };
    values.set(name, r);
    return r;
  };
  q.inputs.forEach((name, i) => {
    const t = tensorOf(q, name);
    values.set(name, fakeQuant({ shape: t.shape, data: Float64Array.from(inputs[i]) }, t.quant!.scale[0], t.quant!.zeroPoint[0]));
  });
  for (const n of q.nodes) {
    const out = tensorOf(q, n.outputs[0]);
    const v = evaluateNodeFloat64(q, n, get);
    values.set(out.name, out.quant ? fakeQuant(v, out.quant.scale[0], out.quant.zeroPoint[0]) : v);
  }
  return values;
}
