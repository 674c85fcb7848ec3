/**
 * The int8 interpreter: prepares every operator once (TFLM AllocateTensors + Prepare), then runs
 * them in model order on each invoke(). Variable tensors keep their values across invoke() calls
 * (streaming state) until reset(), which restores TFLM's reset value (int8: zero_point written
 * as a byte memset; every other type: 0).
 */
import { TinyserError } from '../../common/errors.js';
import { ModelFormatError, UnsupportedOpError } from './errors.js';
import { OpContext, type Kernel } from './kernel.js';
import { kernelFor } from './kernels/index.js';
import { TFLITE_ARITHMETIC_KERNELS } from './tflite-arithmetic/index.js';
import { createRuntimeTensor, dequantize, tensorInfo, type RuntimeTensor, type TensorInfo } from './tensor.js';
import type { TfliteModel, TfliteOperator } from './tflite/model.js';
import { tensorTypeByteSize, type TensorTypeName } from './tflite/schema.js';

export interface InterpreterOptions {
  /** Subgraph to run (default 0). */
  subgraph?: number;
  /**
   * Upper bound on the bytes of all non-constant tensors (default 256 MiB): a corrupt shape is
   * reported as a ModelFormatError instead of exhausting memory.
   */
  maxTensorBytes?: number;
  /**
   * Whose integer arithmetic to reproduce: 'tflm' (default) is TFLite Micro's reference kernels,
   * what the device runs (bit-exact with the goldens, the C kernels and the firmware); 'tflite' is
   * the TFLite runtime's default CPU path (XNNPACK), what an app running the same .tflite through
   * TFLite gets (tflite-arithmetic/). The two differ by 1 LSB on a fraction of a percent of values
   * per layer.
   */
  arithmetic?: Arithmetic;
}

export type Arithmetic = 'tflm' | 'tflite';

export const DEFAULT_MAX_TENSOR_BYTES = 256 * 1024 * 1024;

/** Called after each operator ran, with its output tensors (live views: copy what you keep). */
export type OpObserver = (op: TfliteOperator, outputs: RuntimeTensor[]) => void;

export interface InvokeOptions {
  /** Return a copy of every non-constant tensor after the run. */
  dumpAll?: boolean;
  observer?: OpObserver;
}

/** One tensor's value captured after a run. */
export interface TensorDump {
  index: number;
  name: string;
  type: TensorTypeName;
  shape: number[];
  scale: number;
  zeroPoint: number;
  /** Per-channel scales when the tensor has more than one. */
  scales?: number[];
  bytes: Uint8Array;
  /** Dequantized (or plain float) values. */
  values: Float64Array;
  producedBy: number | null;
}

/** All captured tensors of one run, keyed by tensor index. */
export type RunDump = Map<number, TensorDump>;

interface PreparedOp {
  ctx: OpContext;
  kernel: Kernel<unknown>;
  data: unknown;
}

export class Interpreter {
  readonly model: TfliteModel;
  readonly subgraphIndex: number;
  readonly inputs: TensorInfo[];
  readonly outputs: TensorInfo[];
  private readonly tensors: RuntimeTensor[];
  private readonly ops: PreparedOp[];
  private readonly producer: Map<number, number>;
  /** Number of completed invoke() calls since creation or the last reset(). */
  invocations = 0;

  constructor(model: TfliteModel, opts: InterpreterOptions = {}) {
    this.model = model;
    this.subgraphIndex = opts.subgraph ?? 0;
    const sg = model.subgraphs[this.subgraphIndex];
    if (!sg) throw new ModelFormatError(`${model.name}: no subgraph ${this.subgraphIndex} (model has ${model.subgraphs.length})`, { subgraph: this.subgraphIndex });
    const limit = opts.maxTensorBytes ?? DEFAULT_MAX_TENSOR_BYTES;
    let total = 0;
    for (const t of sg.tensors) {
      if (t.data) continue;
      total += t.shape.reduce((n, d) => n * Math.max(d, 0), 1) * Math.max(tensorTypeByteSize(t.type), 1);
      if (total > limit) {
        throw new ModelFormatError(`${model.name}: non-constant tensors need more than ${limit} bytes (tensor ${t.index} ${JSON.stringify(t.name)} shape [${t.shape.join(',')}]); raise maxTensorBytes if this is intended`, { tensor: t.index, limit });
      }
    }
    this.tensors = sg.tensors.map((t) => createRuntimeTensor(t, model.name));
    this.producer = new Map();
    this.ops = [];
    for (const op of sg.operators) {
      const ctx = new OpContext(model, this.subgraphIndex, op, this.tensors);
      const kernel = (opts.arithmetic === 'tflite' ? TFLITE_ARITHMETIC_KERNELS.get(op.builtinCode) : undefined) ?? kernelFor(op);
      if (!kernel) {
        throw new UnsupportedOpError(
          `${model.name}: operator ${op.index} of subgraph ${this.subgraphIndex} is ${op.opName} version ${op.version}, which the interpreter does not implement`,
          { op: op.opName, version: op.version, operatorIndex: op.index, subgraph: this.subgraphIndex },
        );
      }
      for (const o of op.outputs) {
        const t = this.tensors[o]!;
        if (t.isConstant) ctx.invalid(`output tensor ${o} is a constant`);
        this.producer.set(o, op.index);
      }
      this.ops.push({ ctx, kernel, data: kernel.prepare(ctx) });
    }
    this.inputs = sg.inputs.map((i) => tensorInfo(this.tensors[i]!));
    this.outputs = sg.outputs.map((i) => tensorInfo(this.tensors[i]!));
    this.reset();
  }

  /** Copies raw bytes (or a typed array / number list of the tensor's element type) into input `i`. */
  setInput(i: number, value: Uint8Array | ArrayBufferView | ArrayLike<number>): void {
    const info = this.inputs[i];
    if (!info) throw new ModelFormatError(`${this.model.name}: no input ${i} (model has ${this.inputs.length})`, { input: i });
    const t = this.tensors[info.index]!;
    if (value instanceof Uint8Array && !(t.data instanceof Uint8Array)) {
      if (value.length !== t.bytes.length) {
        throw new TinyserError('INPUT', `${this.model.name}: input ${i} (${t.name}) needs ${t.bytes.length} bytes, got ${value.length}`, { input: i, expected: t.bytes.length, got: value.length });
      }
      t.bytes.set(value);
      return;
    }
    if (ArrayBuffer.isView(value) && !(value instanceof DataView) && value.constructor === t.data.constructor) {
      const v = value as unknown as ArrayLike<number> & ArrayBufferView;
      if (v.length !== t.size) throw new TinyserError('INPUT', `${this.model.name}: input ${i} (${t.name}) needs ${t.size} elements, got ${v.length}`, { input: i });
      t.bytes.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      return;
    }
    if (ArrayBuffer.isView(value) && !('length' in value)) {
      const b = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      if (b.length !== t.bytes.length) throw new TinyserError('INPUT', `${this.model.name}: input ${i} (${t.name}) needs ${t.bytes.length} bytes, got ${b.length}`, { input: i });
      t.bytes.set(b);
      return;
    }
    const arr = value as ArrayLike<number>;
    if (arr.length !== t.size) throw new TinyserError('INPUT', `${this.model.name}: input ${i} (${t.name}) needs ${t.size} elements, got ${arr.length}`, { input: i });
    if (t.data instanceof BigInt64Array) for (let k = 0; k < arr.length; k++) t.data[k] = BigInt(arr[k]!);
    else for (let k = 0; k < arr.length; k++) t.data[k] = arr[k]!;
  }

  /** Runs every operator once. Returns a dump of all non-constant tensors when asked. */
  invoke(opts: InvokeOptions = {}): RunDump | undefined {
    for (const p of this.ops) {
      p.kernel.eval(p.ctx, p.data);
      if (opts.observer) opts.observer(p.ctx.op, p.ctx.op.outputs.map((o) => this.tensors[o]!));
    }
    this.invocations++;
    return opts.dumpAll ? this.dumpAll() : undefined;
  }

  /** Output tensor `i` (live: its data changes on the next invoke()). */
  output(i: number): RuntimeTensor {
    const info = this.outputs[i];
    if (!info) throw new ModelFormatError(`${this.model.name}: no output ${i} (model has ${this.outputs.length})`, { output: i });
    return this.tensors[info.index]!;
  }

  input(i: number): RuntimeTensor {
    const info = this.inputs[i];
    if (!info) throw new ModelFormatError(`${this.model.name}: no input ${i} (model has ${this.inputs.length})`, { input: i });
    return this.tensors[info.index]!;
  }

  /** Any tensor by subgraph tensor index (live). */
  tensor(index: number): RuntimeTensor {
    const t = this.tensors[index];
    if (!t) throw new ModelFormatError(`${this.model.name}: no tensor ${index} (subgraph has ${this.tensors.length})`, { tensor: index });
    return t;
  }

  get tensorCount(): number {
    return this.tensors.length;
  }

  /** Restores variable tensors to TFLM's reset value (int8: zero_point; others: 0). */
  reset(): void {
    for (const t of this.tensors) {
      if (!t.isVariable) continue;
      if (t.type === 'int8') (t.data as Int8Array).fill(t.zeroPoint);
      else t.bytes.fill(0);
    }
    this.invocations = 0;
  }

  /** Copies every non-constant tensor (inputs, activations, variable state, outputs). */
  dumpAll(): RunDump {
    const out: RunDump = new Map();
    for (const t of this.tensors) {
      if (t.isConstant) continue;
      out.set(t.index, dumpTensor(t, this.producer.get(t.index) ?? null));
    }
    return out;
  }
}

export function dumpTensor(t: RuntimeTensor, producedBy: number | null = null): TensorDump {
  const d: TensorDump = {
    index: t.index,
    name: t.name,
    type: t.type,
    shape: [...t.shape],
    scale: t.scale,
    zeroPoint: t.zeroPoint,
    bytes: t.bytes.slice(),
    values: dequantize(t),
    producedBy,
  };
  if (t.quantization && t.quantization.scale.length > 1) d.scales = Array.from(t.quantization.scale);
  return d;
}

export function createInterpreter(model: TfliteModel, opts: InterpreterOptions = {}): Interpreter {
  return new Interpreter(model, opts);
}
