/**
 * Makes the TFLite runtime in tfjs-tflite run its builtin kernels instead of the XNNPACK delegate.
 *
 * Why: tfjs-tflite's model runner builds its interpreter with `BuiltinOpResolver`, which applies
 * XNNPACK as the default delegate (int8 included); its options (numThreads, enableProfiling,
 * maxProfilingBufferEntries) offer no way to turn that off. XNNPACK requantises in fp32
 * (`round(acc * scale)`), TFLM and TFLite's builtin kernels in fixed point (Q31 multiplier with
 * double rounding), so XNNPACK drifts from TFLM by 1 LSB on about 0.1-0.3 % of the values of each
 * conv, and the drift compounds through a model. The builtin kernels are the ones TFLM's reference
 * kernels were ported from.
 *
 * How: TFLite only applies a default delegate that does not support dynamic tensors when the
 * graph has none (Subgraph::ModifyGraphWithDelegate returns kTfLiteApplicationError, and
 * Interpreter::ApplyLazyDelegateProviders then carries on without it). We give the graph one
 * dynamic tensor that no output depends on: RESHAPE(input, MAXIMUM(SHAPE(input), SHAPE(input))),
 * appended after the model's own operators. SHAPE's output can be persistent-read-only in newer
 * runtimes, which RESHAPE would treat as a constant; MAXIMUM's output is a plain arena tensor, so
 * RESHAPE cannot resolve its output size in Prepare and marks it dynamic. Every original operator,
 * tensor and buffer is left byte-identical: the model's outputs are computed exactly as before,
 * only by other kernels.
 *
 * The rewrite prepends new tables (model, subgraph 0, operator codes, tensors, operators) in front
 * of the untouched original bytes. FlatBuffers offsets must point forward, and everything in the
 * original file lies after the new head, so the new tables can reference the original ones
 * (strings, buffers, tensors, operators) directly. The head is padded to 16 bytes so every original
 * buffer keeps its alignment.
 */
import { ModelFormatError } from '../errors.js';

const TFLITE_IDENTIFIER = 'TFL3';
/** tensorflow/lite/schema/schema.fbs codes used here. */
const OP_RESHAPE = 22;
const OP_MAXIMUM = 55;
const OP_SHAPE = 77;
const OPTIONS_SHAPE = 55;
const OPTIONS_MAXIMUM_MINIMUM = 39;
const TENSOR_TYPE_INT32 = 2;
/** Field kinds of the two tables rebuilt here (schema field id -> kind); anything else is refused. */
export const MODEL_FIELDS: Record<number, FieldKind> = { 0: 'u32', 1: 'ref', 2: 'ref', 3: 'ref', 4: 'ref', 5: 'ref', 6: 'ref', 7: 'ref' };
export const SUBGRAPH_FIELDS: Record<number, FieldKind> = { 0: 'ref', 1: 'ref', 2: 'ref', 3: 'ref', 4: 'ref', 5: 'i32' };
export const MODEL = { operator_codes: 1, subgraphs: 2 };
export const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, operators: 3 };
const TENSOR = { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4 };

export type FieldKind = 'u32' | 'i32' | 'ref';

/** A field of a table written into the new head. */
export type HeadField =
  | { kind: 'i8' | 'u8'; value: number }
  | { kind: 'i32' | 'u32'; value: number }
  /** Reference to an object of the original file (its absolute position there). */
  | { kind: 'old'; target: number }
  /** Reference to a new object, written after the referring table. */
  | { kind: 'new'; write: (h: HeadWriter) => number };

const SIZE = { i8: 1, u8: 1, i32: 4, u32: 4, old: 4, new: 4 } as const;

/** Minimal FlatBuffer reader over the original file (the interpreter's loader validates it in full). */
export class Reader {
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private at(o: number, n: number, what: string): number {
    if (o < 0 || o + n > this.bytes.length) throw new ModelFormatError(`.tflite: ${what} at byte offset ${o} lies outside the ${this.bytes.length}-byte file`, { offset: o });
    return o;
  }
  u16(o: number, what: string): number {
    return this.view.getUint16(this.at(o, 2, what), true);
  }
  u32(o: number, what: string): number {
    return this.view.getUint32(this.at(o, 4, what), true);
  }
  i32(o: number, what: string): number {
    return this.view.getInt32(this.at(o, 4, what), true);
  }
  deref(o: number, what: string): number {
    return o + this.u32(o, what);
  }
  /** Absolute position of field `id` of the table at `t`, or 0 if absent. */
  field(t: number, id: number, what: string): number {
    const vt = t - this.i32(t, `${what} vtable offset`);
    const vtSize = this.u16(vt, `${what} vtable size`);
    if (4 + 2 * id >= vtSize) return 0;
    const off = this.u16(vt + 4 + 2 * id, `${what} field ${id}`);
    return off === 0 ? 0 : t + off;
  }
  fieldIds(t: number, what: string): number[] {
    const vt = t - this.i32(t, `${what} vtable offset`);
    const n = (this.u16(vt, `${what} vtable size`) - 4) / 2;
    const ids: number[] = [];
    for (let id = 0; id < n; id++) if (this.u16(vt + 4 + 2 * id, `${what} field ${id}`) !== 0) ids.push(id);
    return ids;
  }
  /** Positions of the tables a vector of tables (at `v`, the length prefix) points to. */
  tableVector(v: number, what: string): number[] {
    const n = this.u32(v, `${what} length`);
    return Array.from({ length: n }, (_, i) => this.deref(v + 4 + 4 * i, `${what}[${i}]`));
  }
  intVector(v: number, what: string): number[] {
    const n = this.u32(v, `${what} length`);
    return Array.from({ length: n }, (_, i) => this.i32(v + 4 + 4 * i, `${what}[${i}]`));
  }
}

/** Writes new tables front to back; references to the original file are patched once the head size is known. */
export class HeadWriter {
  buf = new Uint8Array(4096);
  view = new DataView(this.buf.buffer);
  pos = 8;
  private fixups: { at: number; target: number }[] = [];

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const nb = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    nb.set(this.buf);
    this.buf = nb;
    this.view = new DataView(nb.buffer);
  }
  private align(a: number, extra = 0): void {
    const pad = (a - ((this.pos + extra) % a)) % a;
    this.ensure(pad);
    this.pos += pad;
  }
  private skip(n: number): number {
    this.ensure(n);
    const p = this.pos;
    this.pos += n;
    return p;
  }
  private ref(at: number, f: Extract<HeadField, { kind: 'old' | 'new' }>): void {
    if (f.kind === 'old') this.fixups.push({ at, target: f.target });
    else {
      const child = f.write(this);
      this.view.setUint32(at, child - at, true);
    }
  }

  /** Table layout as in compiler/writers/tflite/flatbuffer-builder.ts: vtable, then the table, then children. */
  table(fields: (HeadField | undefined)[]): number {
    const present = fields.map((f, id) => ({ f, id })).filter((x): x is { f: HeadField; id: number } => x.f !== undefined);
    const order = [...present].sort((a, b) => SIZE[b.f.kind] - SIZE[a.f.kind]);
    const offsets = new Map<number, number>();
    let inline = 4;
    for (const p of order) {
      const sz = SIZE[p.f.kind];
      inline = Math.ceil(inline / sz) * sz;
      offsets.set(p.id, inline);
      inline += sz;
    }
    inline = Math.ceil(inline / 4) * 4;
    this.align(2);
    const vt = this.skip(4 + 2 * fields.length);
    this.view.setUint16(vt, 4 + 2 * fields.length, true);
    this.view.setUint16(vt + 2, inline, true);
    for (let id = 0; id < fields.length; id++) this.view.setUint16(vt + 4 + 2 * id, offsets.get(id) ?? 0, true);
    this.align(4);
    const t = this.skip(inline);
    this.view.setInt32(t, t - vt, true);
    const refs: { at: number; f: Extract<HeadField, { kind: 'old' | 'new' }> }[] = [];
    for (const p of present) {
      const at = t + offsets.get(p.id)!;
      switch (p.f.kind) {
        case 'i8':
          this.view.setInt8(at, p.f.value);
          break;
        case 'u8':
          this.view.setUint8(at, p.f.value);
          break;
        case 'i32':
          this.view.setInt32(at, p.f.value, true);
          break;
        case 'u32':
          this.view.setUint32(at, p.f.value, true);
          break;
        default:
          refs.push({ at, f: p.f });
      }
    }
    for (const r of refs) this.ref(r.at, r.f);
    return t;
  }

  refVector(items: Extract<HeadField, { kind: 'old' | 'new' }>[]): number {
    this.align(4);
    const v = this.skip(4 + 4 * items.length);
    this.view.setUint32(v, items.length, true);
    items.forEach((it, i) => this.ref(v + 4 + 4 * i, it));
    return v;
  }

  int32Vector(values: number[]): number {
    this.align(4);
    const v = this.skip(4 + 4 * values.length);
    this.view.setUint32(v, values.length, true);
    values.forEach((x, i) => this.view.setInt32(v + 4 + 4 * i, x, true));
    return v;
  }

  string(s: string): number {
    const b = new TextEncoder().encode(s);
    this.align(4);
    const p = this.skip(4 + b.length + 1);
    this.view.setUint32(p, b.length, true);
    this.buf.set(b, p + 4);
    return p;
  }

  /** Head + original bytes; the original file moves by the (16-aligned) head size. */
  finish(root: number, original: Uint8Array): Uint8Array {
    this.align(16);
    const head = this.pos;
    for (const f of this.fixups) this.view.setUint32(f.at, f.target + head - f.at, true);
    this.view.setUint32(0, root, true);
    this.buf.set(new TextEncoder().encode(TFLITE_IDENTIFIER), 4);
    const out = new Uint8Array(head + original.length);
    out.set(this.buf.subarray(0, head));
    out.set(original, head);
    return out;
  }
}

export function copyFields(r: Reader, t: number, kinds: Record<number, FieldKind>, what: string): (HeadField | undefined)[] {
  const fields: (HeadField | undefined)[] = [];
  for (const id of r.fieldIds(t, what)) {
    const kind = kinds[id];
    if (kind === undefined)
      throw new ModelFormatError(`.tflite: ${what} has field ${id}, which this rewrite does not know; the file is newer than the schema handled here`, { reading: what });
    const at = r.field(t, id, what);
    fields[id] = kind === 'ref' ? { kind: 'old', target: r.deref(at, `${what} field ${id}`) } : { kind, value: kind === 'u32' ? r.u32(at, what) : r.i32(at, what) };
  }
  return fields;
}

/**
 * Returns a copy of `tflite` that tfjs-tflite runs on its builtin kernels (no XNNPACK): the same
 * operators, tensors and buffers, plus a dead SHAPE -> MAXIMUM -> RESHAPE branch on input 0 whose
 * dynamic output keeps the default delegate away. For verification only; never deploy the copy.
 */
export function withBuiltinKernelsOnly(tflite: Uint8Array): Uint8Array {
  const r = new Reader(tflite);
  const model = r.deref(0, 'Model root offset');
  const modelFields = copyFields(r, model, MODEL_FIELDS, 'Model');
  const codesAt = r.field(model, MODEL.operator_codes, 'Model');
  const subgraphsAt = r.field(model, MODEL.subgraphs, 'Model');
  if (!codesAt || !subgraphsAt) throw new ModelFormatError('.tflite: Model has no operator_codes or no subgraphs', { reading: 'Model' });
  const codes = r.tableVector(r.deref(codesAt, 'Model.operator_codes'), 'Model.operator_codes');
  const subgraphs = r.tableVector(r.deref(subgraphsAt, 'Model.subgraphs'), 'Model.subgraphs');
  const sg = subgraphs[0]!;
  const sgFields = copyFields(r, sg, SUBGRAPH_FIELDS, 'SubGraph[0]');
  const tensorsAt = r.field(sg, SUBGRAPH.tensors, 'SubGraph[0]');
  const inputsAt = r.field(sg, SUBGRAPH.inputs, 'SubGraph[0]');
  const opsAt = r.field(sg, SUBGRAPH.operators, 'SubGraph[0]');
  if (!tensorsAt || !inputsAt) throw new ModelFormatError('.tflite: SubGraph[0] has no tensors or no inputs', { reading: 'SubGraph[0]' });
  const tensors = r.tableVector(r.deref(tensorsAt, 'SubGraph[0].tensors'), 'SubGraph[0].tensors');
  const inputs = r.intVector(r.deref(inputsAt, 'SubGraph[0].inputs'), 'SubGraph[0].inputs');
  const ops = opsAt ? r.tableVector(r.deref(opsAt, 'SubGraph[0].operators'), 'SubGraph[0].operators') : [];
  if (inputs.length === 0) throw new ModelFormatError('.tflite: SubGraph[0] has no inputs', { reading: 'SubGraph[0].inputs' });
  const input = tensors[inputs[0]!];
  if (input === undefined) throw new ModelFormatError(`.tflite: input tensor index ${inputs[0]} is out of range`, { reading: 'SubGraph[0].inputs' });
  const inputField = (id: number): HeadField | undefined => {
    const at = r.field(input, id, 'input Tensor');
    return at ? { kind: 'old', target: r.deref(at, `input Tensor field ${id}`) } : undefined;
  };
  const inputType = (() => {
    const at = r.field(input, TENSOR.type, 'input Tensor');
    return at ? r.view.getInt8(at) : 0;
  })();

  const opcodeBase = codes.length;
  const tensorBase = tensors.length;
  const [tShape1, tShape2, tDead] = [tensorBase, tensorBase + 1, tensorBase + 2];
  const newCode = (code: number, version: number): HeadField => ({
    kind: 'new',
    write: (h) => h.table([{ kind: 'i8', value: Math.min(code, 127) }, undefined, { kind: 'i32', value: version }, { kind: 'i32', value: code }]),
  });
  const int32Tensor = (name: string): HeadField => ({
    kind: 'new',
    write: (h) => {
      const rank = (() => {
        const at = r.field(input, TENSOR.shape, 'input Tensor');
        return at ? r.u32(r.deref(at, 'input Tensor shape'), 'input Tensor shape length') : 0;
      })();
      return h.table([
        { kind: 'new', write: (hh) => hh.int32Vector([rank]) },
        { kind: 'i8', value: TENSOR_TYPE_INT32 },
        { kind: 'u32', value: 0 },
        { kind: 'new', write: (hh) => hh.string(name) },
      ]);
    },
  });
  const deadTensor: HeadField = {
    kind: 'new',
    write: (h) =>
      h.table([
        inputField(TENSOR.shape),
        { kind: 'i8', value: inputType },
        { kind: 'u32', value: 0 },
        { kind: 'new', write: (hh) => hh.string('tinyser_verify_dynamic_reshape') },
        inputField(TENSOR.quantization),
      ]),
  };
  const op = (opcode: number, ins: number[], outs: number[], optType: number, opts?: (HeadField | undefined)[]): HeadField => ({
    kind: 'new',
    write: (h) =>
      h.table([
        { kind: 'u32', value: opcode },
        { kind: 'new', write: (hh) => hh.int32Vector(ins) },
        { kind: 'new', write: (hh) => hh.int32Vector(outs) },
        opts ? { kind: 'u8', value: optType } : undefined,
        opts ? { kind: 'new', write: (hh) => hh.table(opts) } : undefined,
      ]),
  });
  const old = (target: number) => ({ kind: 'old' as const, target });
  const asRef = (f: HeadField) => f as Extract<HeadField, { kind: 'old' | 'new' }>;

  sgFields[SUBGRAPH.tensors] = {
    kind: 'new',
    write: (h) => h.refVector([...tensors.map(old), asRef(int32Tensor('tinyser_verify_shape')), asRef(int32Tensor('tinyser_verify_shape_max')), asRef(deadTensor)]),
  };
  sgFields[SUBGRAPH.operators] = {
    kind: 'new',
    write: (h) =>
      h.refVector([
        ...ops.map(old),
        asRef(op(opcodeBase, [inputs[0]!], [tShape1], OPTIONS_SHAPE, [{ kind: 'i8', value: TENSOR_TYPE_INT32 }])),
        asRef(op(opcodeBase + 1, [tShape1, tShape1], [tShape2], OPTIONS_MAXIMUM_MINIMUM, [])),
        asRef(op(opcodeBase + 2, [inputs[0]!, tShape2], [tDead], 0)),
      ]),
  };
  modelFields[MODEL.operator_codes] = {
    kind: 'new',
    write: (h) => h.refVector([...codes.map(old), asRef(newCode(OP_SHAPE, 1)), asRef(newCode(OP_MAXIMUM, 1)), asRef(newCode(OP_RESHAPE, 1))]),
  };
  modelFields[MODEL.subgraphs] = {
    kind: 'new',
    write: (h) => h.refVector([{ kind: 'new', write: (hh) => hh.table(sgFields) }, ...subgraphs.slice(1).map(old)]),
  };
  const h = new HeadWriter();
  const root = h.table(modelFields);
  return h.finish(root, tflite);
}
