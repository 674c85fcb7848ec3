/**
 * TF.js Layers model (model.json + weights .bin, or the in-memory ModelArtifacts the training code
 * gets from `tf.io.withSaveHandler`) -> IR. TF.js is channels-last already, so only weight layouts
 * change: Conv2D [KH,KW,IN,OUT] -> OHWI, DepthwiseConv2D [KH,KW,IN,M] -> [1,KH,KW,IN*M] (same
 * element order), Dense [IN,OUT] -> [OUT,IN].
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TinyserError } from '../../../common/errors.js';
import { ModelFormatError, UnsupportedOpError } from '../../errors.js';
import type { FusedActivation, Graph, Node } from '../../ir/graph.js';
import { addActivation, addConstant, emptyGraph, numElements, tensorOf } from '../../ir/graph.js';
import { samePadding } from '../../ir/padding.js';
import { inferNodeShape } from '../../ir/shapes.js';
import { transposeValues } from '../onnx/import-onnx.js';

export const SUPPORTED_TFJS_LAYERS = [
  'InputLayer', 'Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'BatchNormalization', 'Dense', 'Activation', 'ReLU',
  'MaxPooling2D', 'AveragePooling2D', 'GlobalAveragePooling2D', 'Flatten', 'Reshape', 'Dropout',
  'Add', 'Multiply', 'Concatenate', 'Softmax',
] as const;

export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype?: string;
}

/** The in-memory form (tf.io ModelArtifacts subset). */
export interface TfjsArtifacts {
  modelTopology: unknown;
  weightSpecs: TfjsWeightSpec[];
  weightData: ArrayBuffer | Uint8Array;
}

interface LayerJson {
  class_name: string;
  config: Record<string, unknown> & { name?: string };
  name?: string;
  inbound_nodes?: unknown[];
}

export function importTfjsModelFile(modelJsonPath: string): Graph {
  let json: { modelTopology?: unknown; weightsManifest?: { paths: string[]; weights: TfjsWeightSpec[] }[] };
  try {
    json = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as typeof json;
  } catch (e) {
    throw new ModelFormatError(`${modelJsonPath}: not a readable TF.js model.json (${(e as Error).message})`, { file: modelJsonPath });
  }
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest))
    throw new ModelFormatError(`${modelJsonPath}: model.json needs modelTopology and weightsManifest`, { file: modelJsonPath });
  const specs: TfjsWeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...(group.weights ?? []));
    for (const p of group.paths ?? []) {
      try {
        chunks.push(new Uint8Array(readFileSync(join(dirname(modelJsonPath), p))));
      } catch (e) {
        throw new ModelFormatError(`${modelJsonPath}: cannot read weight file ${p} (${(e as Error).message})`, { file: modelJsonPath });
      }
    }
  }
  const total = chunks.reduce((a, c) => a + c.length, 0);
  const data = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    data.set(c, off);
    off += c.length;
  }
  return importTfjsArtifacts({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: data }, modelJsonPath);
}

export function importTfjsArtifacts(a: TfjsArtifacts, source = '<memory>'): Graph {
  try {
    return new TfjsImporter(a, source).run();
  } catch (e) {
    if (e instanceof TinyserError) throw e;
    throw new ModelFormatError(`${source}: malformed TF.js model: ${(e as Error).message}`, { file: source });
  }
}

class TfjsImporter {
  private readonly g: Graph;
  private readonly weights = new Map<string, { shape: number[]; values: Float64Array }>();
  /** layer name -> IR output tensor */
  private readonly outs = new Map<string, string>();
  private current = '';

  constructor(private readonly a: TfjsArtifacts, private readonly source: string) {
    this.g = emptyGraph('tfjs_model');
    const bytes = a.weightData instanceof Uint8Array ? a.weightData : new Uint8Array(a.weightData);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let off = 0;
    for (const s of a.weightSpecs) {
      if ((s.dtype ?? 'float32') !== 'float32') throw new ModelFormatError(`${source}: weight ${s.name} has dtype ${s.dtype}; only float32`, { file: source });
      const n = numElements(s.shape);
      if (off + 4 * n > bytes.length) throw new ModelFormatError(`${source}: weight data ends before ${s.name} (needs ${off + 4 * n} bytes, has ${bytes.length})`, { file: source });
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = dv.getFloat32(off + 4 * i, true);
      off += 4 * n;
      this.weights.set(s.name, { shape: s.shape, values });
    }
  }

  private fail(msg: string): never {
    throw new ModelFormatError(`${this.source}: layer '${this.current}': ${msg}`, { file: this.source, node: this.current });
  }

  private weight(layer: string, suffix: string): { shape: number[]; values: Float64Array } {
    const w = this.weights.get(`${layer}/${suffix}`) ?? [...this.weights].find(([k]) => k.endsWith(`${layer}/${suffix}`))?.[1];
    if (!w) this.fail(`weight '${layer}/${suffix}' not found in the weights manifest`);
    return w;
  }

  private emit(node: Omit<Node, 'name' | 'outputs'>, base: string): string {
    const out = addActivation(this.g, base);
    const n = { ...node, name: base, outputs: [out] } as Node;
    this.g.nodes.push(n);
    tensorOf(this.g, out).shape = inferNodeShape(this.g, n);
    return out;
  }

  private activation(x: string, act: string | undefined, base: string): string {
    switch (act ?? 'linear') {
      case 'linear':
        return x;
      case 'relu':
        return this.emit({ op: 'Relu', inputs: [x], attrs: {} }, `${base}_relu`);
      case 'relu6':
        return this.emit({ op: 'Relu6', inputs: [x], attrs: {} }, `${base}_relu6`);
      case 'sigmoid':
        return this.emit({ op: 'Sigmoid', inputs: [x], attrs: {} }, `${base}_sigmoid`);
      case 'tanh':
        return this.emit({ op: 'Tanh', inputs: [x], attrs: {} }, `${base}_tanh`);
      case 'softmax':
        return this.emit({ op: 'Softmax', inputs: [x], attrs: { beta: 1 } }, `${base}_softmax`);
      default:
        throw new UnsupportedOpError(`activation ${act}`, this.current, undefined, ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax']);
    }
  }

  private pads(x: string, kernel: [number, number], strides: [number, number], dil: [number, number], padding: unknown): [number, number, number, number] {
    if (padding === 'valid' || padding === undefined) return [0, 0, 0, 0];
    if (padding !== 'same') this.fail(`padding '${String(padding)}' (same or valid)`);
    const s = tensorOf(this.g, x).shape;
    const [t, b] = samePadding(s[1], kernel[0], strides[0], dil[0]);
    const [l, r] = samePadding(s[2], kernel[1], strides[1], dil[1]);
    return [t, l, b, r];
  }

  private pair(v: unknown, dflt: number): [number, number] {
    if (v === undefined || v === null) return [dflt, dflt];
    if (typeof v === 'number') return [v, v];
    if (Array.isArray(v) && v.length === 2 && v.every((x) => Number.isInteger(x) && x > 0)) return [v[0] as number, v[1] as number];
    this.fail(`expected a pair of positive integers, got ${JSON.stringify(v)}`);
  }

  run(): Graph {
    const topo = this.a.modelTopology as { class_name?: string; config?: unknown; model_config?: unknown };
    const root = (topo.model_config ?? topo) as { class_name?: string; config?: { layers?: LayerJson[]; input_layers?: unknown[]; output_layers?: unknown[] } | LayerJson[] };
    const cfg = root.config;
    const layers: LayerJson[] | undefined = Array.isArray(cfg) ? cfg : cfg?.layers;
    if (!Array.isArray(layers)) throw new ModelFormatError(`${this.source}: modelTopology has no layer list`, { file: this.source });
    const sequential = root.class_name === 'Sequential';
    let prev: string | undefined;
    for (const layer of layers) {
      const c = layer.config ?? {};
      const name = String(c.name ?? layer.name ?? `layer${this.g.nodes.length}`);
      this.current = name;
      let inputs: string[];
      if (sequential) {
        if (!prev) {
          const bis = (c.batch_input_shape ?? c.batchInputShape) as (number | null)[] | undefined;
          if (!bis) this.fail('the first layer needs batch_input_shape');
          prev = this.addInput('input', bis);
          if (layer.class_name === 'InputLayer') {
            this.outs.set(name, prev);
            continue;
          }
        }
        inputs = [prev];
      } else {
        if (layer.class_name === 'InputLayer') {
          const bis = (c.batch_input_shape ?? c.batchInputShape) as (number | null)[] | undefined;
          if (!bis) this.fail('InputLayer needs batch_input_shape');
          this.outs.set(name, this.addInput(name, bis));
          continue;
        }
        const inbound = (layer.inbound_nodes ?? []) as unknown[][];
        if (inbound.length !== 1) this.fail(`layer is called ${inbound.length} times; shared layers are not supported`);
        inputs = (inbound[0] as unknown[][]).map((e) => {
          const src = this.outs.get(String(e[0]));
          if (!src) this.fail(`input layer '${String(e[0])}' is not defined before this layer`);
          return src;
        });
      }
      const out = this.convertLayer(layer.class_name, c, name, inputs);
      this.outs.set(name, out);
      prev = out;
    }
    if (sequential) this.g.outputs.push(prev!);
    else {
      const outLayers = ((cfg as { output_layers?: unknown[][] }).output_layers ?? []) as unknown[][];
      for (const o of outLayers) {
        const t = this.outs.get(String(o[0]));
        if (!t) throw new ModelFormatError(`${this.source}: output layer '${String(o[0])}' not found`, { file: this.source });
        this.g.outputs.push(t);
      }
    }
    return this.g;
  }

  private addInput(name: string, bis: (number | null)[]): string {
    const shape = bis.map((d) => (d === null || d === undefined ? 1 : d));
    if (shape.some((d) => !Number.isInteger(d) || d <= 0)) this.fail(`bad input shape ${JSON.stringify(bis)}`);
    const t = addActivation(this.g, name, shape);
    this.g.inputs.push(t);
    return t;
  }

  private convertLayer(cls: string, c: Record<string, unknown>, name: string, inputs: string[]): string {
    const x = inputs[0];
    const act = c.activation as string | undefined;
    const useBias = c.use_bias !== false;
    switch (cls) {
      case 'Conv2D': {
        const k = this.weight(name, 'kernel');
        const [KH, KW, IN, OUT] = k.shape;
        const strides = this.pair(c.strides, 1);
        const dil = this.pair(c.dilation_rate, 1);
        const w = addConstant(this.g, `${name}_weight_ohwi`, [OUT, KH, KW, IN], Float32Array.from(transposeValues(k.values, k.shape, [3, 0, 1, 2])));
        const b = addConstant(this.g, `${name}_bias`, [OUT], useBias ? Float32Array.from(this.weight(name, 'bias').values) : new Float32Array(OUT));
        const y = this.emit({ op: 'Conv2D', inputs: [x, w, b], attrs: { strides, dilations: dil, pads: this.pads(x, [KH, KW], strides, dil, c.padding), activation: 'NONE' } }, name);
        return this.activation(y, act, name);
      }
      case 'DepthwiseConv2D':
      case 'SeparableConv2D': {
        const k = this.weight(name, 'depthwise_kernel');
        const [KH, KW, IN, M] = k.shape;
        const strides = this.pair(c.strides, 1);
        const dil = this.pair(c.dilation_rate, 1);
        const w = addConstant(this.g, `${name}_dw_weight`, [1, KH, KW, IN * M], Float32Array.from(k.values));
        const dwBias = cls === 'DepthwiseConv2D' && useBias ? Float32Array.from(this.weight(name, 'bias').values) : new Float32Array(IN * M);
        const b = addConstant(this.g, `${name}_dw_bias`, [IN * M], dwBias);
        let y = this.emit(
          { op: 'DepthwiseConv2D', inputs: [x, w, b], attrs: { strides, dilations: dil, pads: this.pads(x, [KH, KW], strides, dil, c.padding), activation: 'NONE', depthMultiplier: M } },
          cls === 'SeparableConv2D' ? `${name}_depthwise` : name,
        );
        if (cls === 'SeparableConv2D') {
          const p = this.weight(name, 'pointwise_kernel');
          const OUT = p.shape[3];
          const pw = addConstant(this.g, `${name}_pw_weight`, [OUT, 1, 1, IN * M], Float32Array.from(transposeValues(p.values, p.shape, [3, 0, 1, 2])));
          const pb = addConstant(this.g, `${name}_pw_bias`, [OUT], useBias ? Float32Array.from(this.weight(name, 'bias').values) : new Float32Array(OUT));
          y = this.emit({ op: 'Conv2D', inputs: [y, pw, pb], attrs: { strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], activation: 'NONE' } }, name);
        }
        return this.activation(y, act, name);
      }
      case 'Dense': {
        const k = this.weight(name, 'kernel');
        const [IN, OUT] = k.shape;
        const xs = tensorOf(this.g, x).shape;
        if (xs.length !== 2) this.fail(`Dense on a rank-${xs.length} input [${xs}] (add a Flatten)`);
        const w = addConstant(this.g, `${name}_weight`, [OUT, IN], Float32Array.from(transposeValues(k.values, k.shape, [1, 0])));
        const b = addConstant(this.g, `${name}_bias`, [OUT], useBias ? Float32Array.from(this.weight(name, 'bias').values) : new Float32Array(OUT));
        const y = this.emit({ op: 'FullyConnected', inputs: [x, w, b], attrs: { activation: 'NONE' as FusedActivation } }, name);
        return this.activation(y, act, name);
      }
      case 'BatchNormalization': {
        const C = tensorOf(this.g, x).shape.at(-1)!;
        const get = (s: string, dflt: number) => (this.weights.has(`${name}/${s}`) || [...this.weights.keys()].some((k) => k.endsWith(`${name}/${s}`)) ? Float32Array.from(this.weight(name, s).values) : new Float32Array(C).fill(dflt));
        const ins = [x, ...[['gamma', 1], ['beta', 0], ['moving_mean', 0], ['moving_variance', 1]].map(([s, d]) => addConstant(this.g, `${name}_${s}`, [C], get(s as string, d as number)))];
        return this.emit({ op: 'BatchNorm', inputs: ins, attrs: { epsilon: (c.epsilon as number | undefined) ?? 1e-3 } }, name);
      }
      case 'Activation':
        return this.activation(x, act, name);
      case 'ReLU': {
        const mv = c.max_value as number | null | undefined;
        if (mv === 6) return this.emit({ op: 'Relu6', inputs: [x], attrs: {} }, name);
        if (mv !== undefined && mv !== null) return this.emit({ op: 'Clip', inputs: [x], attrs: { min: 0, max: mv } }, name);
        return this.emit({ op: 'Relu', inputs: [x], attrs: {} }, name);
      }
      case 'Softmax':
        return this.emit({ op: 'Softmax', inputs: [x], attrs: { beta: 1 } }, name);
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const kernel = this.pair(c.pool_size, 2);
        const strides = this.pair(c.strides ?? c.pool_size, 2);
        const op = cls === 'MaxPooling2D' ? 'MaxPool2D' : 'AveragePool2D';
        return this.emit({ op, inputs: [x], attrs: { kernel, strides, pads: this.pads(x, kernel, strides, [1, 1], c.padding), activation: 'NONE' } }, name);
      }
      case 'GlobalAveragePooling2D':
        return this.emit({ op: 'Mean', inputs: [x], attrs: { axes: [1, 2], keepDims: false } }, name);
      case 'Flatten': {
        const s = tensorOf(this.g, x).shape;
        return this.emit({ op: 'Reshape', inputs: [x], attrs: { shape: [s[0], numElements(s.slice(1))] } }, name);
      }
      case 'Reshape': {
        const s = tensorOf(this.g, x).shape;
        const t = (c.target_shape as number[]) ?? this.fail('Reshape needs target_shape');
        const known = t.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
        const shape = [s[0], ...t.map((d) => (d === -1 ? numElements(s.slice(1)) / known : d))];
        return this.emit({ op: 'Reshape', inputs: [x], attrs: { shape } }, name);
      }
      case 'Dropout':
        return x;
      case 'Add': {
        let y = inputs[0];
        for (let i = 1; i < inputs.length; i++) y = this.emit({ op: 'Add', inputs: [y, inputs[i]], attrs: { activation: 'NONE' } }, i === inputs.length - 1 ? name : `${name}_${i}`);
        return y;
      }
      case 'Multiply': {
        // Keras Multiply broadcasts like numpy (attention weights [T,1,1] times features [T,1,C]): TFLite MUL.
        let y = inputs[0];
        for (let i = 1; i < inputs.length; i++) y = this.emit({ op: 'Mul', inputs: [y, inputs[i]], attrs: { activation: 'NONE' } }, i === inputs.length - 1 ? name : `${name}_${i}`);
        return y;
      }
      case 'Concatenate': {
        const r = tensorOf(this.g, x).shape.length;
        const axis = (c.axis as number | undefined) ?? -1;
        return this.emit({ op: 'Concat', inputs, attrs: { axis: axis < 0 ? axis + r : axis, activation: 'NONE' } }, name);
      }
      default:
        throw new UnsupportedOpError(cls, name, undefined, SUPPORTED_TFJS_LAYERS);
    }
  }
}
