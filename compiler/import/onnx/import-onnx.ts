/**
 * ONNX (opset 11..20, as exported by PyTorch) -> IR. ONNX is NCHW, the IR is NHWC: every rank-4
 * activation is held in NHWC and tagged `nhwc`; other values keep the ONNX layout (`plain`).
 * Explicit Transposes are inserted where a value must change layout (e.g. Flatten of a CxHxW map,
 * which must flatten in C,H,W order); the cleanup pass removes those that move only size-1 axes.
 */
import { onnx } from './onnx-proto.js';
import type { OnnxTypes } from './onnx-proto.js';
import { ModelFormatError, UnsupportedOpError } from '../../errors.js';
import { TinyserError } from '../../../common/errors.js';
import type { ConvAttrs, FusedActivation, Graph, Node } from '../../ir/graph.js';
import { addActivation, addConstant, emptyGraph, numElements, tensorOf } from '../../ir/graph.js';
import { planTransposeConvKernel } from '../../ir/padding.js';
import { inferNodeShape, transposeConvOutSize } from '../../ir/shapes.js';
import { attrs, checkShape, decodeTensorProto, toNumber, type OnnxConstant } from './tensor-proto.js';

export const SUPPORTED_ONNX_OPS = [
  'Add', 'AveragePool', 'BatchNormalization', 'Clip', 'Concat', 'Constant', 'Conv', 'ConvTranspose', 'Dropout', 'Flatten', 'Gemm',
  'GlobalAveragePool', 'Identity', 'LeakyRelu', 'MatMul', 'MaxPool', 'Mul', 'Pad', 'ReduceMean', 'Relu', 'Reshape',
  'Sigmoid', 'Softmax', 'Squeeze', 'Tanh', 'Transpose', 'Unsqueeze',
] as const;

interface Val {
  /** IR tensor name. */
  ir: string;
  layout: 'nhwc' | 'plain';
}

const NCHW_TO_NHWC = [0, 2, 3, 1];
const NHWC_TO_NCHW = [0, 3, 1, 2];
/** NCHW axis -> NHWC axis. */
const AXIS_TO_NHWC = [0, 3, 1, 2];

export interface OnnxImportOptions {
  /** Name for diagnostics (file path). */
  source?: string;
}

export function importOnnx(bytes: Uint8Array, options: OnnxImportOptions = {}): Graph {
  const source = options.source ?? '<memory>';
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new ModelFormatError(`${source}: not a valid ONNX protobuf (${(e as Error).message})`, { file: source });
  }
  if (!model.graph) throw new ModelFormatError(`${source}: ONNX model has no graph`, { file: source });
  const opsetEntry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  const opset = opsetEntry ? toNumber(opsetEntry.version as number) : 13;
  const importer = new OnnxImporter(model.graph, opset, source);
  return importer.run();
}

class OnnxImporter {
  private readonly g: Graph;
  private readonly vals = new Map<string, Val>();
  private readonly consts = new Map<string, OnnxConstant>();
  private current = '';

  constructor(private readonly og: OnnxTypes.IGraphProto, private readonly opset: number, private readonly source: string) {
    this.g = emptyGraph(og.name || 'model');
  }

  run(): Graph {
    try {
      return this.build();
    } catch (e) {
      if (e instanceof TinyserError) throw e;
      // any other failure on a malformed model still becomes a typed error naming the node
      throw new ModelFormatError(`${this.source}: malformed model at node '${this.current}': ${(e as Error).message}`, {
        file: this.source,
        node: this.current,
      });
    }
  }

  private fail(msg: string): never {
    throw new ModelFormatError(`${this.source}: node '${this.current}': ${msg}`, { file: this.source, node: this.current });
  }

  private build(): Graph {
    const og = this.og;
    for (const init of og.initializer ?? []) {
      if (!init.name) this.fail('initializer without a name');
      this.consts.set(init.name, decodeTensorProto(init, `${this.source}: initializer '${init.name}'`));
    }
    for (const inp of og.input ?? []) {
      if (!inp.name || this.consts.has(inp.name)) continue;
      this.current = inp.name;
      const dims = inp.type?.tensorType?.shape?.dim;
      if (!dims) this.fail(`graph input '${inp.name}' has no tensor shape`);
      // symbolic dimensions (batch) become 1: microcontroller models run one example at a time
      const shape = dims.map((d) => (d.dimValue !== undefined && d.dimValue !== null && toNumber(d.dimValue) > 0 ? toNumber(d.dimValue) : 1));
      checkShape(shape, `graph input '${inp.name}'`);
      const elem = inp.type?.tensorType?.elemType;
      if (elem !== onnx.TensorProto.DataType.FLOAT) this.fail(`graph input '${inp.name}' must be float32 (elem type ${elem})`);
      const isImage = shape.length === 4;
      const ir = addActivation(this.g, inp.name, isImage ? NCHW_TO_NHWC.map((p) => shape[p]) : shape);
      this.g.inputs.push(ir);
      this.vals.set(inp.name, { ir, layout: isImage ? 'nhwc' : 'plain' });
    }
    if (this.g.inputs.length === 0) throw new ModelFormatError(`${this.source}: ONNX graph has no non-constant input`, { file: this.source });
    for (const node of og.node ?? []) {
      this.current = node.name || `${node.opType}#${(og.node ?? []).indexOf(node)}`;
      this.convert(node);
    }
    for (const out of og.output ?? []) {
      this.current = out.name ?? '';
      const v = this.val(out.name ?? '');
      this.g.outputs.push(this.asPlain(v).ir);
    }
    return this.g;
  }

  // ---- value helpers ----
  private val(name: string): Val {
    const v = this.vals.get(name);
    if (v) return v;
    const c = this.consts.get(name);
    if (c) {
      const ir = addConstant(this.g, name || 'const', c.shape, Float32Array.from(c.values));
      const nv: Val = { ir, layout: 'plain' };
      this.vals.set(name, nv);
      return nv;
    }
    this.fail(`input '${name}' is not produced by any earlier node, initializer or graph input`);
  }

  private constOf(name: string | undefined, what: string): OnnxConstant {
    const c = name ? this.consts.get(name) : undefined;
    if (!c) this.fail(`${what} ('${name}') must be a constant initializer`);
    return c;
  }

  private shapeOf(v: Val): number[] {
    return tensorOf(this.g, v.ir).shape;
  }

  /** The ONNX-layout shape of a value. */
  private onnxShape(v: Val): number[] {
    const s = this.shapeOf(v);
    return v.layout === 'nhwc' ? NHWC_TO_NCHW.map((p) => s[p]) : s;
  }

  private emit(node: Omit<Node, 'name' | 'outputs'> & { outputs?: string[] }, outBase: string): string {
    const out = addActivation(this.g, outBase);
    const n = { ...node, name: this.current + (this.g.nodes.some((m) => m.name === this.current) ? `_${this.g.nodes.length}` : ''), outputs: [out] } as Node;
    this.g.nodes.push(n);
    tensorOf(this.g, out).shape = inferNodeShape(this.g, n);
    return out;
  }

  private asPlain(v: Val): Val {
    if (v.layout === 'plain') return v;
    return { ir: this.emit({ op: 'Transpose', inputs: [v.ir], attrs: { perm: NHWC_TO_NCHW } }, `${v.ir}_nchw`), layout: 'plain' };
  }

  private asNhwc(v: Val): Val {
    if (v.layout === 'nhwc') return v;
    if (this.shapeOf(v).length !== 4) this.fail(`expects a rank-4 NCHW input, got shape [${this.shapeOf(v)}]`);
    return { ir: this.emit({ op: 'Transpose', inputs: [v.ir], attrs: { perm: NCHW_TO_NHWC } }, `${v.ir}_nhwc`), layout: 'nhwc' };
  }

  private set(node: OnnxTypes.INodeProto, v: Val): void {
    const out = node.output?.[0];
    if (!out) this.fail('node has no output');
    this.vals.set(out, v);
  }

  private unsupported(op: string, why?: string): never {
    throw new UnsupportedOpError(op, this.current, this.opset, SUPPORTED_ONNX_OPS, why);
  }

  /** Constant folding on ONNX constants (shape arithmetic etc.). Returns true if folded. */
  private foldConstant(node: OnnxTypes.INodeProto): boolean {
    const ins = node.input ?? [];
    if (ins.length === 0 || !ins.every((i) => i === '' || this.consts.has(i))) return false;
    const c = (i: number) => this.consts.get(ins[i])!;
    const out = node.output?.[0] ?? '';
    const a = attrs(node);
    switch (node.opType) {
      case 'Identity':
        this.consts.set(out, c(0));
        return true;
      case 'Unsqueeze':
      case 'Squeeze':
      case 'Reshape':
      case 'Flatten': {
        const shape = this.reshapeTarget(node, c(0).shape);
        this.consts.set(out, { ...c(0), shape });
        return true;
      }
      case 'Transpose': {
        const x = c(0);
        const perm = a.ints('perm', x.shape.map((_, i) => x.shape.length - 1 - i));
        this.consts.set(out, { shape: perm.map((p) => x.shape[p]), values: transposeValues(x.values, x.shape, perm), isInteger: x.isInteger });
        return true;
      }
      default:
        return false;
    }
  }

  /** Output shape (ONNX layout) of Reshape / Flatten / Squeeze / Unsqueeze. */
  private reshapeTarget(node: OnnxTypes.INodeProto, inShape: number[]): number[] {
    const a = attrs(node);
    const ins = node.input ?? [];
    const axesOf = () => {
      const ax = this.opset >= 13 && ins[1] ? Array.from(this.constOf(ins[1], 'axes').values) : a.ints('axes', []);
      return ax;
    };
    switch (node.opType) {
      case 'Flatten': {
        const axis = a.int('axis', 1);
        const ax = axis < 0 ? axis + inShape.length : axis;
        return [numElements(inShape.slice(0, ax)), numElements(inShape.slice(ax))];
      }
      case 'Squeeze': {
        const ax = axesOf().map((x) => (x < 0 ? x + inShape.length : x));
        return inShape.filter((d, i) => (ax.length ? !ax.includes(i) : d !== 1));
      }
      case 'Unsqueeze': {
        const ax = axesOf();
        const r = inShape.length + ax.length;
        const norm = ax.map((x) => (x < 0 ? x + r : x));
        const out: number[] = [];
        let j = 0;
        for (let i = 0; i < r; i++) out.push(norm.includes(i) ? 1 : inShape[j++]);
        return out;
      }
      default: {
        const target = Array.from(this.constOf(ins[1], 'Reshape shape').values);
        const allowZero = a.int('allowzero', 0) === 1;
        const out = target.map((d, i) => (d === 0 && !allowZero ? inShape[i] : d));
        const known = out.filter((d) => d !== -1).reduce((x, y) => x * y, 1);
        const total = numElements(inShape);
        if (out.filter((d) => d === -1).length > 1) this.fail('Reshape shape has more than one -1');
        const res = out.map((d) => (d === -1 ? total / known : d));
        if (numElements(res) !== total || res.some((d) => !Number.isInteger(d) || d < 0)) this.fail(`cannot reshape [${inShape}] to [${target}]`);
        return res;
      }
    }
  }

  private activationOf(node: OnnxTypes.INodeProto): { min: number; max: number } {
    const a = attrs(node);
    const ins = node.input ?? [];
    if (this.opset < 11) return { min: a.float('min', -Infinity), max: a.float('max', Infinity) };
    const min = ins[1] ? this.constOf(ins[1], 'Clip min').values[0] : -Infinity;
    const max = ins[2] ? this.constOf(ins[2], 'Clip max').values[0] : Infinity;
    return { min, max };
  }

  private convPads(a: ReturnType<typeof attrs>, inHW: [number, number], k: [number, number], s: [number, number], d: [number, number]): [number, number, number, number] {
    const autoPad = a.string('auto_pad', 'NOTSET');
    if (autoPad === 'NOTSET') {
      const p = a.ints('pads', [0, 0, 0, 0]);
      if (p.length !== 4 || p.some((x) => x < 0 || !Number.isInteger(x))) this.fail(`pads [${p}] must be 4 non-negative integers`);
      return [p[0], p[1], p[2], p[3]];
    }
    if (autoPad === 'VALID') return [0, 0, 0, 0];
    const pads: number[] = [];
    for (let i = 0; i < 2; i++) {
      const out = Math.ceil(inHW[i] / s[i]);
      const total = Math.max(0, (out - 1) * s[i] + (k[i] - 1) * d[i] + 1 - inHW[i]);
      const small = Math.floor(total / 2);
      pads.push(autoPad === 'SAME_UPPER' ? small : total - small, autoPad === 'SAME_UPPER' ? total - small : small);
    }
    return [pads[0], pads[2], pads[1], pads[3]];
  }

  private pair(v: number[], name: string): [number, number] {
    if (v.length !== 2 || v.some((x) => !Number.isInteger(x) || x < 1)) this.fail(`${name} [${v}] must be two positive integers (2-D ops only)`);
    return [v[0], v[1]];
  }

  /**
   * ConvTranspose (opset 1..22 attribute semantics): weights ONNX [IN, OUT, KH, KW] -> IR/TFLite
   * [OUT, KH, KW, IN]; pads from `pads`, `output_shape` or `auto_pad` as the ONNX spec defines them,
   * output_padding as a negative end crop. The kernel then gets zero taps where TFLite's SAME/VALID
   * padding needs them (ir/padding.ts planTransposeConvKernel): exact, and costs only MACs on zeros.
   */
  private convTranspose(node: OnnxTypes.INodeProto, xv: Val, base: string): string {
    const op = 'ConvTranspose';
    const ins = node.input ?? [];
    const a = attrs(node);
    const w = this.constOf(ins[1], 'ConvTranspose weight');
    if (w.shape.length !== 4) this.unsupported(op, `only 2-D transposed convolution is supported (weight shape [${w.shape}])`);
    const [IN, OperG, KH, KW] = w.shape;
    const [, H, W, C] = this.shapeOf(xv);
    const group = a.int('group', 1);
    if (group !== 1) this.unsupported(op, `group ${group} (only group 1; TFLite's TRANSPOSE_CONV has no groups)`);
    if (IN !== C) this.fail(`weight [${w.shape}] does not match ${C} input channels`);
    const strides = this.pair(a.ints('strides', [1, 1]), 'strides');
    const dilations = this.pair(a.ints('dilations', [1, 1]), 'dilations');
    if (dilations.some((d) => d !== 1)) this.unsupported(op, `dilations [${dilations}] (only 1; TFLite's TRANSPOSE_CONV has no dilation)`);
    const ks = a.ints('kernel_shape', [KH, KW]);
    if (ks[0] !== KH || ks[1] !== KW) this.fail(`kernel_shape [${ks}] does not match weight [${w.shape}]`);
    const outPad = a.ints('output_padding', [0, 0]);
    if (outPad.length !== 2 || outPad.some((p, i) => !Number.isInteger(p) || p < 0 || p >= strides[i]))
      this.fail(`output_padding [${outPad}] must be two integers in [0, stride)`);
    const inHW = [H, W];
    const k = [KH, KW];
    // [top, left, bottom, right] crops of the full scattered map (ONNX begin/end pads)
    let crop: [number, number, number, number];
    const outputShape = a.ints('output_shape', []);
    const autoPad = a.string('auto_pad', 'NOTSET');
    if (outputShape.length > 0 || autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      const target = outputShape.length > 0 ? outputShape.slice(-2) : inHW.map((d, i) => d * strides[i]);
      if (target.length !== 2) this.fail(`output_shape [${outputShape}] must end with H, W`);
      const c: number[] = [0, 0, 0, 0];
      for (let i = 0; i < 2; i++) {
        const total = strides[i] * (inHW[i] - 1) + outPad[i] + k[i] - target[i];
        if (total < 0) this.unsupported(op, `output_shape [${target}] larger than the scattered extent (total padding ${total})`);
        const half = Math.floor(total / 2);
        const [begin, end] = autoPad === 'SAME_UPPER' ? [half, total - half] : [total - half, half];
        c[i] = begin;
        c[i + 2] = end;
      }
      crop = [c[0], c[1], c[2], c[3]];
    } else if (autoPad === 'VALID' || autoPad === 'NOTSET') {
      const p = autoPad === 'VALID' ? [0, 0, 0, 0] : a.ints('pads', [0, 0, 0, 0]);
      if (p.length !== 4 || p.some((v) => v < 0 || !Number.isInteger(v))) this.fail(`pads [${p}] must be 4 non-negative integers`);
      crop = [p[0], p[1], p[2], p[3]];
    } else this.unsupported(op, `auto_pad '${autoPad}'`);
    const pads: [number, number, number, number] = [crop[0], crop[1], crop[2] - outPad[0], crop[3] - outPad[1]];
    const outHW: [number, number] = [transposeConvOutSize(H, KH, strides[0], pads[0], pads[2]), transposeConvOutSize(W, KW, strides[1], pads[1], pads[3])];
    if (outHW.some((d) => d <= 0)) this.fail(`output would be empty ([${outHW}]) for input [${inHW}]`);
    const plan = planTransposeConvKernel([H, W], outHW, [KH, KW], strides, pads);
    if (!plan)
      this.unsupported(
        op,
        `pads [${crop}] with output_padding [${outPad}] give output [${outHW}] from input [${H},${W}], which TFLite's SAME/VALID ` +
          `TRANSPOSE_CONV cannot express even with zero kernel taps (SAME needs an output in ((in-1)*stride, in*stride])`,
      );
    const [[eT, eB], [eL, eR]] = plan.extend;
    const kh2 = KH + eT + eB;
    const kw2 = KW + eL + eR;
    const ohwi = transposeValues(w.values, w.shape, [1, 2, 3, 0]);
    const wd = new Float32Array(OperG * kh2 * kw2 * IN);
    for (let o = 0; o < OperG; o++)
      for (let y = 0; y < KH; y++)
        for (let xk = 0; xk < KW; xk++)
          for (let i = 0; i < IN; i++) wd[((o * kh2 + y + eT) * kw2 + xk + eL) * IN + i] = ohwi[((o * KH + y) * KW + xk) * IN + i];
    const wIr = addConstant(this.g, `${base}_weight_ohwi`, [OperG, kh2, kw2, IN], wd);
    const bias = ins[2] ? Float32Array.from(this.constOf(ins[2], 'ConvTranspose bias').values) : new Float32Array(OperG);
    if (bias.length !== OperG) this.fail(`bias has ${bias.length} values, ${OperG} output channels`);
    const bName = addConstant(this.g, `${base}_bias`, [OperG], bias);
    const irPads: [number, number, number, number] = [pads[0] + eT, pads[1] + eL, pads[2] + eB, pads[3] + eR];
    return this.emit({ op: 'TransposeConv2D', inputs: [xv.ir, wIr, bName], attrs: { strides, pads: irPads, activation: 'NONE' } }, base);
  }

  private convert(node: OnnxTypes.INodeProto): void {
    const op = node.opType ?? '';
    const ins = node.input ?? [];
    const a = attrs(node);
    if (op === 'Constant') {
      const t = a.tensor('value');
      if (!t) this.unsupported(op, 'only the tensor form (attribute value) is supported');
      this.consts.set(node.output?.[0] ?? '', decodeTensorProto(t, `${this.source}: Constant '${this.current}'`));
      return;
    }
    if (!(SUPPORTED_ONNX_OPS as readonly string[]).includes(op)) this.unsupported(op);
    if (this.foldConstant(node)) return;
    if (ins.length === 0) this.fail('node has no inputs');
    const x = this.val(ins[0]);
    const base = node.output?.[0] || this.current;
    switch (op) {
      case 'Identity':
      case 'Dropout':
        return this.set(node, x);
      case 'Conv': {
        const xv = this.asNhwc(x);
        const w = this.constOf(ins[1], 'Conv weight');
        if (w.shape.length !== 4) this.unsupported(op, `only 2-D convolution is supported (weight shape [${w.shape}])`);
        const [O, IperG, KH, KW] = w.shape;
        const C = this.shapeOf(xv)[3];
        const group = a.int('group', 1);
        const strides = this.pair(a.ints('strides', [1, 1]), 'strides');
        const dilations = this.pair(a.ints('dilations', [1, 1]), 'dilations');
        const pads = this.convPads(a, [this.shapeOf(xv)[1], this.shapeOf(xv)[2]], [KH, KW], strides, dilations);
        if (IperG * group !== C) this.fail(`weight [${w.shape}] with group ${group} does not match ${C} input channels`);
        const bias = ins[2] ? Float32Array.from(this.constOf(ins[2], 'Conv bias').values) : new Float32Array(O);
        if (bias.length !== O) this.fail(`bias has ${bias.length} values, ${O} output channels`);
        const bName = addConstant(this.g, `${base}_bias`, [O], bias);
        const attrsConv: ConvAttrs = { strides, dilations, pads, activation: 'NONE' };
        if (group === 1) {
          const wIr = addConstant(this.g, `${base}_weight_ohwi`, [O, KH, KW, IperG], Float32Array.from(transposeValues(w.values, w.shape, [0, 2, 3, 1])));
          return this.set(node, { ir: this.emit({ op: 'Conv2D', inputs: [xv.ir, wIr, bName], attrs: attrsConv }, base), layout: 'nhwc' });
        }
        if (IperG === 1 && O % group === 0) {
          // depthwise: ONNX [C*M, 1, KH, KW] -> TFLite [1, KH, KW, C*M]; output channel o reads input o / M
          const wIr = addConstant(this.g, `${base}_weight_1hwc`, [1, KH, KW, O], Float32Array.from(transposeValues(w.values, w.shape, [1, 2, 3, 0])));
          return this.set(node, {
            ir: this.emit({ op: 'DepthwiseConv2D', inputs: [xv.ir, wIr, bName], attrs: { ...attrsConv, depthMultiplier: O / group } }, base),
            layout: 'nhwc',
          });
        }
        return this.unsupported(op, `grouped convolution (group ${group}, ${IperG} channels per group) is not supported; only group 1 or depthwise`);
      }
      case 'ConvTranspose':
        return this.set(node, { ir: this.convTranspose(node, this.asNhwc(x), base), layout: 'nhwc' });
      case 'BatchNormalization': {
        const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) => this.val(ins[i]).ir);
        const xv = this.shapeOf(x).length === 4 ? this.asNhwc(x) : x;
        const shape = this.shapeOf(xv);
        if (shape.length !== 4 && shape.length !== 2) this.unsupported(op, `only rank-2 or rank-4 inputs are supported, got [${shape}]`);
        return this.set(node, { ir: this.emit({ op: 'BatchNorm', inputs: [xv.ir, gamma, beta, mean, variance], attrs: { epsilon: a.float('epsilon', 1e-5) } }, base), layout: xv.layout });
      }
      case 'Relu':
      case 'Sigmoid':
      case 'Tanh':
        return this.set(node, { ir: this.emit({ op, inputs: [x.ir], attrs: {} }, base), layout: x.layout });
      case 'LeakyRelu':
        return this.set(node, { ir: this.emit({ op: 'LeakyRelu', inputs: [x.ir], attrs: { alpha: a.float('alpha', 0.01) } }, base), layout: x.layout });
      case 'Clip': {
        const { min, max } = this.activationOf(node);
        if (min === 0 && max === 6) return this.set(node, { ir: this.emit({ op: 'Relu6', inputs: [x.ir], attrs: {} }, base), layout: x.layout });
        if (min === 0 && max === Infinity) return this.set(node, { ir: this.emit({ op: 'Relu', inputs: [x.ir], attrs: {} }, base), layout: x.layout });
        return this.set(node, { ir: this.emit({ op: 'Clip', inputs: [x.ir], attrs: { min, max } }, base), layout: x.layout });
      }
      case 'MaxPool':
      case 'AveragePool': {
        const xv = this.asNhwc(x);
        const kernel = this.pair(a.ints('kernel_shape', []), 'kernel_shape');
        const strides = this.pair(a.ints('strides', [1, 1]), 'strides');
        if (a.ints('dilations', [1, 1]).some((d) => d !== 1)) this.unsupported(op, 'dilated pooling');
        if (a.int('ceil_mode', 0) !== 0) this.unsupported(op, 'ceil_mode=1');
        const pads = this.convPads(a, [this.shapeOf(xv)[1], this.shapeOf(xv)[2]], kernel, strides, [1, 1]);
        if (op === 'AveragePool' && a.int('count_include_pad', 0) !== 0 && pads.some((p) => p > 0))
          this.unsupported(op, 'count_include_pad=1 with padding (TFLite averages valid taps only)');
        const irOp = op === 'MaxPool' ? 'MaxPool2D' : 'AveragePool2D';
        return this.set(node, { ir: this.emit({ op: irOp, inputs: [xv.ir], attrs: { kernel, strides, pads, activation: 'NONE' } }, base), layout: 'nhwc' });
      }
      case 'GlobalAveragePool': {
        const xv = this.asNhwc(x);
        return this.set(node, { ir: this.emit({ op: 'Mean', inputs: [xv.ir], attrs: { axes: [1, 2], keepDims: true } }, base), layout: 'nhwc' });
      }
      case 'ReduceMean': {
        const shape = this.onnxShape(x);
        const rawAxes = this.opset >= 18 && ins[1] ? Array.from(this.constOf(ins[1], 'ReduceMean axes').values) : a.ints('axes', shape.map((_, i) => i));
        const axes = rawAxes.map((v) => (v < 0 ? v + shape.length : v));
        if (axes.some((v) => v < 0 || v >= shape.length)) this.fail(`axes [${rawAxes}] out of range for rank ${shape.length}`);
        const keep = a.int('keepdims', 1) === 1;
        let xv = x;
        if (x.layout === 'nhwc' && !keep) {
          // dropping axes keeps NHWC order equal to NCHW order only if at most one of C and H/W remains
          const remaining = [0, 1, 2, 3].filter((i) => !axes.includes(i));
          const spatialLeft = remaining.some((i) => i >= 2);
          if (remaining.includes(1) && spatialLeft) xv = this.asPlain(x);
        }
        const irAxes = xv.layout === 'nhwc' ? axes.map((v) => AXIS_TO_NHWC[v]).sort() : axes;
        const out = this.emit({ op: 'Mean', inputs: [xv.ir], attrs: { axes: irAxes, keepDims: keep } }, base);
        return this.set(node, { ir: out, layout: xv.layout === 'nhwc' && keep ? 'nhwc' : 'plain' });
      }
      case 'Gemm':
      case 'MatMul': {
        const xs = this.shapeOf(x);
        if (xs.length !== 2) this.unsupported(op, `only rank-2 inputs are supported, got [${this.onnxShape(x)}] (add a Flatten)`);
        const w = this.constOf(ins[1], `${op} weight`);
        if (w.shape.length !== 2) this.fail(`weight must be rank 2, got [${w.shape}]`);
        const transA = op === 'Gemm' ? a.int('transA', 0) : 0;
        if (transA) this.unsupported(op, 'transA=1');
        const transB = op === 'Gemm' ? a.int('transB', 0) : 0;
        const alpha = op === 'Gemm' ? a.float('alpha', 1) : 1;
        const betaG = op === 'Gemm' ? a.float('beta', 1) : 1;
        // IR FullyConnected weights are [OUT, IN]
        const wOI = transB ? w.values : transposeValues(w.values, w.shape, [1, 0]);
        const [O, K] = transB ? w.shape : [w.shape[1], w.shape[0]];
        if (K !== xs[1]) this.fail(`weight [${w.shape}] does not match input width ${xs[1]}`);
        const wIr = addConstant(this.g, `${base}_weight`, [O, K], Float32Array.from(wOI, (v) => v * alpha));
        const inputs = [x.ir, wIr];
        if (op === 'Gemm' && ins[2]) {
          const c = this.constOf(ins[2], 'Gemm bias');
          if (numElements(c.shape) !== O) this.unsupported(op, `bias of shape [${c.shape}] (only one value per output is supported)`);
          inputs.push(addConstant(this.g, `${base}_bias`, [O], Float32Array.from(c.values, (v) => v * betaG)));
        } else inputs.push(addConstant(this.g, `${base}_bias`, [O], new Float32Array(O)));
        return this.set(node, { ir: this.emit({ op: 'FullyConnected', inputs, attrs: { activation: 'NONE' } }, base), layout: 'plain' });
      }
      case 'Add':
      case 'Mul': {
        let y = this.vals.get(ins[1]) ?? undefined;
        let xv = x;
        if (!y) {
          // constant operand: bring it to the layout of x (NCHW broadcasting -> NHWC)
          const c = this.constOf(ins[1], `${op} operand`);
          let shape = c.shape;
          let values = c.values;
          if (x.layout === 'nhwc') {
            if (shape.length > 4) this.fail(`constant of rank ${shape.length}`);
            shape = [...new Array(4 - shape.length).fill(1), ...shape];
            values = transposeValues(values, shape, NCHW_TO_NHWC);
            shape = NCHW_TO_NHWC.map((p) => shape[p]);
          }
          y = { ir: addConstant(this.g, `${base}_const`, shape, Float32Array.from(values)), layout: x.layout };
        } else if (y.layout !== xv.layout) {
          if (this.shapeOf(xv).length === 4 && this.shapeOf(y).length === 4) {
            xv = this.asNhwc(xv);
            y = this.asNhwc(y);
          } else {
            xv = this.asPlain(xv);
            y = this.asPlain(y);
          }
        }
        return this.set(node, { ir: this.emit({ op, inputs: [xv.ir, y.ir], attrs: { activation: 'NONE' } }, base), layout: xv.layout });
      }
      case 'Concat': {
        let vs = ins.map((i) => this.val(i));
        const rank = this.onnxShape(vs[0]).length;
        const anyNhwc = vs.some((v) => v.layout === 'nhwc');
        vs = vs.map((v) => (anyNhwc && rank === 4 ? this.asNhwc(v) : this.asPlain(v)));
        let axis = a.int('axis', 1);
        if (axis < 0) axis += rank;
        if (axis < 0 || axis >= rank) this.fail(`axis ${a.int('axis', 1)} out of range for rank ${rank}`);
        const irAxis = vs[0].layout === 'nhwc' ? AXIS_TO_NHWC[axis] : axis;
        for (const v of vs) {
          const s = this.shapeOf(v);
          const s0 = this.shapeOf(vs[0]);
          if (s.length !== s0.length || s.some((d, i) => i !== irAxis && d !== s0[i])) this.fail(`inputs [${s0}] and [${s}] cannot be concatenated on axis ${axis}`);
        }
        return this.set(node, { ir: this.emit({ op: 'Concat', inputs: vs.map((v) => v.ir), attrs: { axis: irAxis, activation: 'NONE' } }, base), layout: vs[0].layout });
      }
      case 'Flatten':
      case 'Reshape':
      case 'Squeeze':
      case 'Unsqueeze': {
        const target = this.reshapeTarget(node, this.onnxShape(x));
        checkShape(target, `${this.source}: node '${this.current}' output`);
        const xs = this.shapeOf(x);
        // a flatten of NHWC data needs C,H,W order unless only one of C or H*W is > 1
        let xv = x;
        if (x.layout === 'nhwc' && !(xs[3] === 1 || xs[1] * xs[2] === 1)) xv = this.asPlain(x);
        const out = this.emit({ op: 'Reshape', inputs: [xv.ir], attrs: { shape: target } }, base);
        return this.set(node, { ir: out, layout: 'plain' });
      }
      case 'Transpose': {
        const xv = this.asPlain(x);
        const r = this.shapeOf(xv).length;
        const perm = a.ints('perm', [...Array(r).keys()].reverse());
        if (perm.length !== r || [...perm].sort().some((p, i) => p !== i)) this.fail(`perm [${perm}] is not a permutation of rank ${r}`);
        return this.set(node, { ir: this.emit({ op: 'Transpose', inputs: [xv.ir], attrs: { perm } }, base), layout: 'plain' });
      }
      case 'Pad': {
        const mode = a.string('mode', 'constant');
        if (mode !== 'constant') this.unsupported(op, `mode '${mode}' (only constant)`);
        const raw = this.opset >= 11 ? Array.from(this.constOf(ins[1], 'Pad pads').values) : a.ints('pads', []);
        const value = this.opset >= 11 && ins[2] ? this.constOf(ins[2], 'Pad value').values[0] : a.float('value', 0);
        if (value !== 0) this.unsupported(op, `pad value ${value} (only 0)`);
        const r = this.onnxShape(x).length;
        if (raw.length !== 2 * r || raw.some((p) => p < 0)) this.fail(`pads [${raw}] must hold ${2 * r} non-negative values`);
        const pairs: [number, number][] = [...Array(r).keys()].map((i) => [raw[i], raw[i + r]]);
        const irPairs = x.layout === 'nhwc' ? NCHW_TO_NHWC.map((p) => pairs[p]) : pairs;
        return this.set(node, { ir: this.emit({ op: 'Pad', inputs: [x.ir], attrs: { pads: irPairs } }, base), layout: x.layout });
      }
      case 'Softmax': {
        const xv = this.asPlain(x);
        const r = this.shapeOf(xv).length;
        let axis = a.int('axis', this.opset >= 13 ? -1 : 1);
        if (axis < 0) axis += r;
        if (axis !== r - 1) this.unsupported(op, `softmax over axis ${axis} of rank ${r} (only the last axis)`);
        return this.set(node, { ir: this.emit({ op: 'Softmax', inputs: [xv.ir], attrs: { beta: 1 } }, base), layout: 'plain' });
      }
      default:
        return this.unsupported(op);
    }
  }
}

export function transposeValues(values: Float64Array, shape: number[], perm: number[]): Float64Array {
  const outShape = perm.map((p) => shape[p]);
  const r = shape.length;
  const si = new Array<number>(r).fill(1);
  for (let i = r - 2; i >= 0; i--) si[i] = si[i + 1] * shape[i + 1];
  const so = new Array<number>(r).fill(1);
  for (let i = r - 2; i >= 0; i--) so[i] = so[i + 1] * outShape[i + 1];
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let rem = i;
    let src = 0;
    for (let d = 0; d < r; d++) {
      const c = Math.floor(rem / so[d]);
      rem -= c * so[d];
      src += c * si[perm[d]];
    }
    out[i] = values[src];
  }
  return out;
}

export type { FusedActivation };
