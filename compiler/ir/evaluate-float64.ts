/**
 * Float64 reference evaluator of the IR. It checks the importer against onnxruntime, gives the
 * calibration ranges for quantisation and the float reference of the report's int8-vs-float SNR.
 * Straight loops on purpose: it is a specification, not a fast path.
 */
import { ModelFormatError } from '../errors.js';
import type { FusedActivation, Graph, Node } from './graph.js';
import { numElements, tensorOf } from './graph.js';
import { inferNodeShape } from './shapes.js';

export interface Float64Tensor {
  shape: number[];
  data: Float64Array;
}

export function applyActivationFloat64(v: number, act: FusedActivation): number {
  switch (act) {
    case 'RELU':
      return v < 0 ? 0 : v;
    case 'RELU6':
      return v < 0 ? 0 : v > 6 ? 6 : v;
    case 'RELU_N1_TO_1':
      return v < -1 ? -1 : v > 1 ? 1 : v;
    default:
      return v;
  }
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

function broadcastBinary(a: Float64Tensor, b: Float64Tensor, outShape: number[], f: (x: number, y: number) => number): Float64Array {
  const r = outShape.length;
  const pa = [...new Array(r - a.shape.length).fill(1), ...a.shape];
  const pb = [...new Array(r - b.shape.length).fill(1), ...b.shape];
  const sa = strides(pa).map((s, i) => (pa[i] === 1 ? 0 : s));
  const sb = strides(pb).map((s, i) => (pb[i] === 1 ? 0 : s));
  const so = strides(outShape);
  const n = numElements(outShape);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let rem = i;
    let ia = 0;
    let ib = 0;
    for (let d = 0; d < r; d++) {
      const c = Math.floor(rem / so[d]);
      rem -= c * so[d];
      ia += c * sa[d];
      ib += c * sb[d];
    }
    out[i] = f(a.data[ia], b.data[ib]);
  }
  return out;
}

function conv(n: Extract<Node, { op: 'Conv2D' | 'DepthwiseConv2D' }>, x: Float64Tensor, w: Float64Tensor, b: Float64Tensor | undefined, outShape: number[]): Float64Array {
  const [N, H, W, C] = x.shape;
  const [, OH, OW, OC] = outShape;
  const KH = w.shape[1];
  const KW = w.shape[2];
  const [sh, sw] = n.attrs.strides;
  const [dh, dw] = n.attrs.dilations;
  const [pt, pl] = n.attrs.pads;
  const out = new Float64Array(numElements(outShape));
  const dm = n.op === 'DepthwiseConv2D' ? n.attrs.depthMultiplier : 1;
  const xd = x.data;
  const wd = w.data;
  const bd = b?.data;
  const act = n.attrs.activation;
  const isConv = n.op === 'Conv2D';
  const acc = new Float64Array(OC);
  for (let bn = 0; bn < N; bn++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++) {
        // accumulate all output channels of this pixel together: the input row is read once
        for (let oc = 0; oc < OC; oc++) acc[oc] = bd ? bd[oc] : 0;
        for (let ky = 0; ky < KH; ky++) {
          const iy = oy * sh - pt + ky * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < KW; kx++) {
            const ix = ox * sw - pl + kx * dw;
            if (ix < 0 || ix >= W) continue;
            const xBase = ((bn * H + iy) * W + ix) * C;
            if (isConv) {
              for (let oc = 0; oc < OC; oc++) {
                const wBase = ((oc * KH + ky) * KW + kx) * C;
                let s = 0;
                for (let ic = 0; ic < C; ic++) s += xd[xBase + ic] * wd[wBase + ic];
                acc[oc] += s;
              }
            } else {
              const wBase = (ky * KW + kx) * OC;
              for (let oc = 0; oc < OC; oc++) acc[oc] += xd[xBase + ((oc / dm) | 0)] * wd[wBase + oc];
            }
          }
        }
        const oBase = ((bn * OH + oy) * OW + ox) * OC;
        for (let oc = 0; oc < OC; oc++) out[oBase + oc] = applyActivationFloat64(acc[oc], act);
      }
  return out;
}

/**
 * Transposed convolution as its definition: each input pixel scatters its kernel into the output
 * (offset by the leading crop); taps that land outside the output are dropped.
 */
function transposeConv(n: Extract<Node, { op: 'TransposeConv2D' }>, x: Float64Tensor, w: Float64Tensor, b: Float64Tensor | undefined, outShape: number[]): Float64Array {
  const [N, H, W, C] = x.shape;
  const [, OH, OW, OC] = outShape;
  const KH = w.shape[1];
  const KW = w.shape[2];
  const [sh, sw] = n.attrs.strides;
  const [pt, pl] = n.attrs.pads;
  const acc = new Float64Array(numElements(outShape));
  for (let bn = 0; bn < N; bn++)
    for (let iy = 0; iy < H; iy++)
      for (let ix = 0; ix < W; ix++) {
        const xBase = ((bn * H + iy) * W + ix) * C;
        for (let ky = 0; ky < KH; ky++) {
          const oy = iy * sh - pt + ky;
          if (oy < 0 || oy >= OH) continue;
          for (let kx = 0; kx < KW; kx++) {
            const ox = ix * sw - pl + kx;
            if (ox < 0 || ox >= OW) continue;
            const oBase = ((bn * OH + oy) * OW + ox) * OC;
            for (let oc = 0; oc < OC; oc++) {
              const wBase = ((oc * KH + ky) * KW + kx) * C;
              let s = 0;
              for (let ic = 0; ic < C; ic++) s += x.data[xBase + ic] * w.data[wBase + ic];
              acc[oBase + oc] += s;
            }
          }
        }
      }
  for (let i = 0; i < acc.length; i++) acc[i] = applyActivationFloat64(acc[i] + (b ? b.data[i % OC] : 0), n.attrs.activation);
  return acc;
}

function pool(n: Extract<Node, { op: 'MaxPool2D' | 'AveragePool2D' }>, x: Float64Tensor, outShape: number[]): Float64Array {
  const [N, H, W, C] = x.shape;
  const [, OH, OW] = outShape;
  const [kh, kw] = n.attrs.kernel;
  const [sh, sw] = n.attrs.strides;
  const [pt, pl] = n.attrs.pads;
  const out = new Float64Array(numElements(outShape));
  for (let bn = 0; bn < N; bn++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++)
        for (let c = 0; c < C; c++) {
          let acc = n.op === 'MaxPool2D' ? -Infinity : 0;
          let cnt = 0;
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * sh - pt + ky;
            if (iy < 0 || iy >= H) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * sw - pl + kx;
              if (ix < 0 || ix >= W) continue;
              const v = x.data[((bn * H + iy) * W + ix) * C + c];
              // average counts only the valid taps, as TFLite does and ONNX count_include_pad=0
              if (n.op === 'MaxPool2D') acc = Math.max(acc, v);
              else acc += v;
              cnt++;
            }
          }
          const v = n.op === 'MaxPool2D' ? acc : acc / cnt;
          out[((bn * OH + oy) * OW + ox) * C + c] = applyActivationFloat64(v, n.attrs.activation);
        }
  return out;
}

function transpose(x: Float64Tensor, perm: number[]): Float64Array {
  const outShape = perm.map((p) => x.shape[p]);
  const si = strides(x.shape);
  const so = strides(outShape);
  const n = numElements(outShape);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let rem = i;
    let src = 0;
    for (let d = 0; d < outShape.length; d++) {
      const c = Math.floor(rem / so[d]);
      rem -= c * so[d];
      src += c * si[perm[d]];
    }
    out[i] = x.data[src];
  }
  return out;
}

export function evaluateNodeFloat64(g: Graph, n: Node, get: (name: string) => Float64Tensor): Float64Tensor {
  const x = get(n.inputs[0]);
  const outShape = inferNodeShape(g, n);
  const map = (f: (v: number) => number) => ({ shape: outShape, data: x.data.map(f) });
  switch (n.op) {
    case 'Conv2D':
    case 'DepthwiseConv2D':
      return { shape: outShape, data: conv(n, x, get(n.inputs[1]), n.inputs[2] ? get(n.inputs[2]) : undefined, outShape) };
    case 'TransposeConv2D':
      return { shape: outShape, data: transposeConv(n, x, get(n.inputs[1]), n.inputs[2] ? get(n.inputs[2]) : undefined, outShape) };
    case 'FullyConnected': {
      const w = get(n.inputs[1]);
      const b = n.inputs[2] ? get(n.inputs[2]) : undefined;
      const [rows, O] = outShape;
      const K = w.shape[1];
      const out = new Float64Array(rows * O);
      for (let r = 0; r < rows; r++)
        for (let o = 0; o < O; o++) {
          let acc = b ? b.data[o] : 0;
          for (let k = 0; k < K; k++) acc += x.data[r * K + k] * w.data[o * K + k];
          out[r * O + o] = applyActivationFloat64(acc, n.attrs.activation);
        }
      return { shape: outShape, data: out };
    }
    case 'MaxPool2D':
    case 'AveragePool2D':
      return { shape: outShape, data: pool(n, x, outShape) };
    case 'Mean': {
      const axes = n.attrs.axes.map((a) => (a < 0 ? a + x.shape.length : a));
      const keep = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const out = new Float64Array(numElements(keep));
      const si = strides(x.shape);
      const sk = strides(keep);
      const cnt = axes.reduce((a, ax) => a * x.shape[ax], 1);
      for (let i = 0; i < x.data.length; i++) {
        let rem = i;
        let dst = 0;
        for (let d = 0; d < x.shape.length; d++) {
          const c = Math.floor(rem / si[d]);
          rem -= c * si[d];
          if (!axes.includes(d)) dst += c * sk[d];
        }
        out[dst] += x.data[i];
      }
      for (let i = 0; i < out.length; i++) out[i] /= cnt;
      return { shape: outShape, data: out };
    }
    case 'Add':
    case 'Mul': {
      const act = n.attrs.activation;
      const f = n.op === 'Add' ? (a: number, b: number) => a + b : (a: number, b: number) => a * b;
      return { shape: outShape, data: broadcastBinary(x, get(n.inputs[1]), outShape, (a, b) => applyActivationFloat64(f(a, b), act)) };
    }
    case 'Concat': {
      const axis = n.attrs.axis < 0 ? n.attrs.axis + outShape.length : n.attrs.axis;
      const outer = numElements(outShape.slice(0, axis));
      const inner = numElements(outShape.slice(axis + 1));
      const out = new Float64Array(numElements(outShape));
      let off = 0;
      for (const name of n.inputs) {
        const t = get(name);
        const len = t.shape[axis] * inner;
        for (let o = 0; o < outer; o++)
          for (let j = 0; j < len; j++) out[o * outShape[axis] * inner + off + j] = applyActivationFloat64(t.data[o * len + j], n.attrs.activation);
        off += len;
      }
      return { shape: outShape, data: out };
    }
    case 'Reshape':
      return { shape: outShape, data: x.data };
    case 'Transpose':
      return { shape: outShape, data: transpose(x, n.attrs.perm) };
    case 'Pad': {
      const out = new Float64Array(numElements(outShape));
      const si = strides(x.shape);
      const so = strides(outShape);
      for (let i = 0; i < x.data.length; i++) {
        let rem = i;
        let dst = 0;
        for (let d = 0; d < x.shape.length; d++) {
          const c = Math.floor(rem / si[d]);
          rem -= c * si[d];
          dst += (c + n.attrs.pads[d][0]) * so[d];
        }
        out[dst] = x.data[i];
      }
      return { shape: outShape, data: out };
    }
    case 'Softmax': {
      const C = outShape[outShape.length - 1];
      const out = new Float64Array(x.data.length);
      for (let r = 0; r < x.data.length / C; r++) {
        let m = -Infinity;
        for (let c = 0; c < C; c++) m = Math.max(m, x.data[r * C + c]);
        let sum = 0;
        for (let c = 0; c < C; c++) sum += out[r * C + c] = Math.exp(n.attrs.beta * (x.data[r * C + c] - m));
        for (let c = 0; c < C; c++) out[r * C + c] /= sum;
      }
      return { shape: outShape, data: out };
    }
    case 'Relu':
      return map((v) => (v < 0 ? 0 : v));
    case 'Relu6':
      return map((v) => Math.min(6, Math.max(0, v)));
    case 'Clip':
      return map((v) => Math.min(n.attrs.max, Math.max(n.attrs.min, v)));
    case 'LeakyRelu':
      return map((v) => (v < 0 ? v * n.attrs.alpha : v));
    case 'Sigmoid':
      return map((v) => 1 / (1 + Math.exp(-v)));
    case 'Tanh':
      return map(Math.tanh);
    case 'BatchNorm': {
      const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) => get(n.inputs[i]).data);
      const C = x.shape[x.shape.length - 1];
      const out = new Float64Array(x.data.length);
      for (let i = 0; i < out.length; i++) {
        const c = i % C;
        out[i] = ((x.data[i] - mean[c]) / Math.sqrt(variance[c] + n.attrs.epsilon)) * gamma[c] + beta[c];
      }
      return { shape: outShape, data: out };
    }
  }
}

export interface Float64Run {
  outputs: Float64Tensor[];
  /** Every tensor's value (activations and constants), by name. */
  values: Map<string, Float64Tensor>;
}

/** Runs the graph on float inputs (row-major in the IR's input layout, i.e. NHWC). */
export function evaluateGraphFloat64(g: Graph, inputs: ArrayLike<number>[], keepAll = false): Float64Run {
  const values = new Map<string, Float64Tensor>();
  const get = (name: string): Float64Tensor => {
    const v = values.get(name);
    if (v) return v;
    const t = tensorOf(g, name);
    if (!t.data) throw new ModelFormatError(`tensor '${name}' has no value (is it an unconnected input?)`, { tensor: name });
    const c = { shape: t.shape, data: Float64Array.from(t.data) };
    values.set(name, c);
    return c;
  };
  g.inputs.forEach((name, i) => {
    const t = tensorOf(g, name);
    if (inputs[i].length !== numElements(t.shape))
      throw new ModelFormatError(`input '${name}' needs ${numElements(t.shape)} values [${t.shape}], got ${inputs[i].length}`, { tensor: name });
    values.set(name, { shape: t.shape, data: Float64Array.from(inputs[i]) });
  });
  const lastUse = new Map<string, number>();
  g.nodes.forEach((n, i) => n.inputs.forEach((x) => lastUse.set(x, i)));
  g.nodes.forEach((n, i) => {
    values.set(n.outputs[0], evaluateNodeFloat64(g, n, get));
    if (!keepAll) for (const x of n.inputs) if (lastUse.get(x) === i && !g.outputs.includes(x)) values.delete(x);
  });
  return { outputs: g.outputs.map(get), values };
}
