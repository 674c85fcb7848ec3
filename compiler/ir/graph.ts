/**
 * The one graph representation of the compiler (tinygrad style: import produces it, passes
 * transform it, writers consume it).
 *
 * Conventions, chosen so that the TFLite writer is a plain serialisation:
 * - activations are NHWC (rank-4) or [N, K] (rank-2); the ONNX importer converts from NCHW;
 * - Conv2D weights are OHWI, DepthwiseConv2D weights are [1, KH, KW, C*M], FullyConnected
 *   weights are [OUT, IN], TransposeConv2D weights are [OUT, KH, KW, IN] (TFLite layouts);
 * - constants hold Float32Array until quantisation, after which int8 weights hold Int8Array and
 *   biases Int32Array; `quant` carries TFLite-style scale/zero point (per channel for weights).
 */
export type DType = 'float32' | 'int8' | 'int32';
export type TensorData = Float32Array | Int8Array | Int32Array;

export interface QuantParams {
  scale: number[];
  zeroPoint: number[];
  /** Channel axis of per-channel parameters (TFLite quantized_dimension). */
  axis: number;
  /** The float range the activation scale was derived from (written to the .tflite as min/max). */
  min?: number;
  max?: number;
}

export interface Tensor {
  name: string;
  shape: number[];
  dtype: DType;
  data?: TensorData;
  quant?: QuantParams;
}

export type FusedActivation = 'NONE' | 'RELU' | 'RELU6' | 'RELU_N1_TO_1';

export interface ConvAttrs {
  strides: [number, number];
  dilations: [number, number];
  /** Explicit padding [top, left, bottom, right]; the padding pass maps it to SAME/VALID. */
  pads: [number, number, number, number];
  activation: FusedActivation;
  depthMultiplier?: number;
}

/**
 * Transposed convolution (dilation 1, no groups). Every input pixel (y, x) scatters its kernel
 * into the "full" output at (y*sh + ky, x*sw + kx); the result is that full map cropped by `pads`
 * [top, left, bottom, right]. A negative bottom/right pad extends the map (ONNX output_padding:
 * rows that only get the bias). TFLite's TRANSPOSE_CONV can express only top/left crops that equal
 * its SAME/VALID padding for the output size; the importer makes them so (ir/padding.ts).
 */
export interface TransposeConvAttrs {
  strides: [number, number];
  pads: [number, number, number, number];
  activation: FusedActivation;
}

export interface PoolAttrs {
  kernel: [number, number];
  strides: [number, number];
  pads: [number, number, number, number];
  activation: FusedActivation;
}

export type Node =
  | { op: 'Conv2D'; name: string; inputs: string[]; outputs: string[]; attrs: ConvAttrs }
  | { op: 'DepthwiseConv2D'; name: string; inputs: string[]; outputs: string[]; attrs: ConvAttrs & { depthMultiplier: number } }
  | { op: 'TransposeConv2D'; name: string; inputs: string[]; outputs: string[]; attrs: TransposeConvAttrs }
  | { op: 'FullyConnected'; name: string; inputs: string[]; outputs: string[]; attrs: { activation: FusedActivation } }
  | { op: 'MaxPool2D' | 'AveragePool2D'; name: string; inputs: string[]; outputs: string[]; attrs: PoolAttrs }
  | { op: 'Mean'; name: string; inputs: string[]; outputs: string[]; attrs: { axes: number[]; keepDims: boolean } }
  | { op: 'Add' | 'Mul'; name: string; inputs: string[]; outputs: string[]; attrs: { activation: FusedActivation } }
  | { op: 'Concat'; name: string; inputs: string[]; outputs: string[]; attrs: { axis: number; activation: FusedActivation } }
  | { op: 'Reshape'; name: string; inputs: string[]; outputs: string[]; attrs: { shape: number[] } }
  | { op: 'Transpose'; name: string; inputs: string[]; outputs: string[]; attrs: { perm: number[] } }
  | { op: 'Pad'; name: string; inputs: string[]; outputs: string[]; attrs: { pads: [number, number][] } }
  | { op: 'Softmax'; name: string; inputs: string[]; outputs: string[]; attrs: { beta: number } }
  | { op: 'Relu' | 'Relu6' | 'Sigmoid' | 'Tanh'; name: string; inputs: string[]; outputs: string[]; attrs: Record<string, never> }
  | { op: 'LeakyRelu'; name: string; inputs: string[]; outputs: string[]; attrs: { alpha: number } }
  | { op: 'Clip'; name: string; inputs: string[]; outputs: string[]; attrs: { min: number; max: number } }
  /** Inputs: x, gamma, beta, mean, var (all per channel on the last axis). Folded away by a pass. */
  | { op: 'BatchNorm'; name: string; inputs: string[]; outputs: string[]; attrs: { epsilon: number } };

export type OpType = Node['op'];

export interface Graph {
  name: string;
  tensors: Map<string, Tensor>;
  /** Nodes in a valid execution (topological) order. */
  nodes: Node[];
  inputs: string[];
  outputs: string[];
}

export function emptyGraph(name: string): Graph {
  return { name, tensors: new Map(), nodes: [], inputs: [], outputs: [] };
}

export function numElements(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function tensorOf(g: Graph, name: string): Tensor {
  const t = g.tensors.get(name);
  if (!t) throw new Error(`internal: tensor '${name}' is not in graph '${g.name}'`);
  return t;
}

export function isConstant(g: Graph, name: string): boolean {
  return g.tensors.get(name)?.data !== undefined;
}

/** A fresh tensor name derived from `base` that is not yet used in the graph. */
export function uniqueName(g: Graph, base: string): string {
  if (!g.tensors.has(base)) return base;
  for (let i = 1; ; i++) if (!g.tensors.has(`${base}_${i}`)) return `${base}_${i}`;
}

export function addConstant(g: Graph, base: string, shape: number[], data: TensorData): string {
  const name = uniqueName(g, base);
  const dtype: DType = data instanceof Float32Array ? 'float32' : data instanceof Int8Array ? 'int8' : 'int32';
  g.tensors.set(name, { name, shape: [...shape], dtype, data });
  return name;
}

export function addActivation(g: Graph, base: string, shape: number[] = []): string {
  const name = uniqueName(g, base);
  g.tensors.set(name, { name, shape: [...shape], dtype: 'float32' });
  return name;
}

/** Map from tensor name to the nodes that read it (graph outputs count as one extra reader). */
export function consumers(g: Graph): Map<string, Node[]> {
  const m = new Map<string, Node[]>();
  for (const n of g.nodes) for (const i of n.inputs) m.set(i, [...(m.get(i) ?? []), n]);
  return m;
}

export function producers(g: Graph): Map<string, Node> {
  const m = new Map<string, Node>();
  for (const n of g.nodes) for (const o of n.outputs) m.set(o, n);
  return m;
}

/** Deep copy (tensor data arrays are shared: passes replace data, they never mutate it in place). */
export function cloneGraph(g: Graph): Graph {
  const tensors = new Map<string, Tensor>();
  for (const [k, t] of g.tensors)
    tensors.set(k, { ...t, shape: [...t.shape], quant: t.quant ? { ...t.quant, scale: [...t.quant.scale], zeroPoint: [...t.quant.zeroPoint] } : undefined });
  return {
    name: g.name,
    tensors,
    nodes: g.nodes.map((n) => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs], attrs: structuredClone(n.attrs) }) as Node),
    inputs: [...g.inputs],
    outputs: [...g.outputs],
  };
}

/** Replace every use of tensor `from` by `to` (node inputs and graph outputs). */
export function replaceUses(g: Graph, from: string, to: string): void {
  for (const n of g.nodes) n.inputs = n.inputs.map((i) => (i === from ? to : i));
  g.outputs = g.outputs.map((o) => (o === from ? to : o));
}
