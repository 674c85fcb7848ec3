/** Output shape of each IR op from its input shapes and attributes (NHWC conventions of graph.ts). */
import { ModelFormatError } from '../errors.js';
import type { Graph, Node } from './graph.js';
import { numElements, tensorOf } from './graph.js';

export function convOutSize(inSize: number, k: number, stride: number, dilation: number, padBefore: number, padAfter: number): number {
  return Math.floor((inSize + padBefore + padAfter - ((k - 1) * dilation + 1)) / stride) + 1;
}

/** Output size of a transposed convolution: the full scattered extent minus the crops. */
export function transposeConvOutSize(inSize: number, k: number, stride: number, cropBefore: number, cropAfter: number): number {
  return (inSize - 1) * stride + k - cropBefore - cropAfter;
}

export function broadcastShapes(a: readonly number[], b: readonly number[], node: string): number[] {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const da = a[a.length - r + i] ?? 1;
    const db = b[b.length - r + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1)
      throw new ModelFormatError(`node '${node}': shapes [${a}] and [${b}] do not broadcast`, { node });
    out.push(Math.max(da, db));
  }
  return out;
}

export function inferNodeShape(g: Graph, n: Node): number[] {
  const s = (i: number) => tensorOf(g, n.inputs[i]).shape;
  const x = s(0);
  switch (n.op) {
    case 'Conv2D':
    case 'DepthwiseConv2D': {
      const w = s(1);
      const [, kh, kw] = w;
      const outC = n.op === 'Conv2D' ? w[0] : w[3];
      const { strides, dilations, pads } = n.attrs;
      const oh = convOutSize(x[1], kh, strides[0], dilations[0], pads[0], pads[2]);
      const ow = convOutSize(x[2], kw, strides[1], dilations[1], pads[1], pads[3]);
      if (oh <= 0 || ow <= 0) throw new ModelFormatError(`node '${n.name}': convolution output is empty for input [${x}]`, { node: n.name });
      return [x[0], oh, ow, outC];
    }
    case 'TransposeConv2D': {
      // input [N, H, W, IN], weights [OUT, KH, KW, IN]
      const [outC, kh, kw] = s(1);
      const { strides, pads } = n.attrs;
      const oh = transposeConvOutSize(x[1], kh, strides[0], pads[0], pads[2]);
      const ow = transposeConvOutSize(x[2], kw, strides[1], pads[1], pads[3]);
      if (oh <= 0 || ow <= 0) throw new ModelFormatError(`node '${n.name}': transposed convolution output is empty for input [${x}]`, { node: n.name });
      return [x[0], oh, ow, outC];
    }
    case 'FullyConnected': {
      const w = s(1);
      return [numElements(x) / w[1], w[0]];
    }
    case 'MaxPool2D':
    case 'AveragePool2D': {
      const { kernel, strides, pads } = n.attrs;
      const oh = convOutSize(x[1], kernel[0], strides[0], 1, pads[0], pads[2]);
      const ow = convOutSize(x[2], kernel[1], strides[1], 1, pads[1], pads[3]);
      if (oh <= 0 || ow <= 0) throw new ModelFormatError(`node '${n.name}': pooling output is empty for input [${x}]`, { node: n.name });
      return [x[0], oh, ow, x[3]];
    }
    case 'Mean': {
      const axes = n.attrs.axes.map((a) => (a < 0 ? a + x.length : a));
      return n.attrs.keepDims ? x.map((d, i) => (axes.includes(i) ? 1 : d)) : x.filter((_, i) => !axes.includes(i));
    }
    case 'Add':
    case 'Mul':
      return broadcastShapes(x, s(1), n.name);
    case 'Concat': {
      const axis = n.attrs.axis < 0 ? n.attrs.axis + x.length : n.attrs.axis;
      const out = [...x];
      out[axis] = n.inputs.reduce((a, _, i) => a + s(i)[axis], 0);
      return out;
    }
    case 'Reshape': {
      if (numElements(n.attrs.shape) !== numElements(x))
        throw new ModelFormatError(`node '${n.name}': cannot reshape [${x}] to [${n.attrs.shape}]`, { node: n.name });
      return [...n.attrs.shape];
    }
    case 'Transpose':
      return n.attrs.perm.map((p) => x[p]);
    case 'Pad':
      return x.map((d, i) => d + n.attrs.pads[i][0] + n.attrs.pads[i][1]);
    default:
      return [...x];
  }
}
