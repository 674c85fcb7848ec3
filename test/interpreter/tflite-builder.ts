/**
 * A tiny .tflite writer for tests: enough of the schema to hand-build single-subgraph models with
 * quantized tensors, constant buffers and builtin options. It lays the flatbuffer out front to
 * back (vtable, then table, then the children it references), which the format allows since every
 * reference only has to point forward.
 */

type Scalar = { id: number; kind: 'u8' | 'i8' | 'bool' | 'i32' | 'u32' | 'f32' | 'u64'; value: number | boolean };
type Ref = { id: number; kind: 'ref'; node: FbNode };
export type FbField = Scalar | Ref;
export type FbNode =
  | { type: 'table'; fields: FbField[] }
  | { type: 'vec'; elem: 'u8' | 'i32' | 'f32' | 'i64'; values: ArrayLike<number> }
  | { type: 'tvec'; items: FbNode[] }
  | { type: 'str'; value: string };

class Out {
  buf = new Uint8Array(1024);
  view = new DataView(this.buf.buffer);
  len = 0;
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf);
    this.buf = b;
    this.view = new DataView(b.buffer);
  }
  align(a: number, extra = 0): void {
    while ((this.len + extra) % a !== 0) this.u8(0);
  }
  u8(v: number): void { this.ensure(1); this.view.setUint8(this.len, v); this.len += 1; }
  u16(v: number): void { this.ensure(2); this.view.setUint16(this.len, v, true); this.len += 2; }
  i32(v: number): void { this.ensure(4); this.view.setInt32(this.len, v, true); this.len += 4; }
  u32(v: number): void { this.ensure(4); this.view.setUint32(this.len, v >>> 0, true); this.len += 4; }
  f32(v: number): void { this.ensure(4); this.view.setFloat32(this.len, v, true); this.len += 4; }
  i64(v: number): void { this.ensure(8); this.view.setBigInt64(this.len, BigInt(v), true); this.len += 8; }
}

const SIZE: Record<Scalar['kind'] | 'ref', number> = { u8: 1, i8: 1, bool: 1, i32: 4, u32: 4, f32: 4, u64: 8, ref: 4 };

function emit(o: Out, node: FbNode): number {
  if (node.type === 'str') {
    const bytes = new TextEncoder().encode(node.value);
    o.align(4);
    const pos = o.len;
    o.u32(bytes.length);
    for (const b of bytes) o.u8(b);
    o.u8(0);
    return pos;
  }
  if (node.type === 'vec') {
    const es = node.elem === 'u8' ? 1 : node.elem === 'i64' ? 8 : 4;
    o.align(Math.max(4, es), 4); // elements aligned to their size after the u32 length
    const pos = o.len;
    o.u32(node.values.length);
    for (let i = 0; i < node.values.length; i++) {
      const v = node.values[i]!;
      if (node.elem === 'u8') o.u8(v);
      else if (node.elem === 'i32') o.i32(v);
      else if (node.elem === 'f32') o.f32(v);
      else o.i64(v);
    }
    return pos;
  }
  if (node.type === 'tvec') {
    o.align(4);
    const pos = o.len;
    o.u32(node.items.length);
    const slots = node.items.map(() => { const s = o.len; o.u32(0); return s; });
    node.items.forEach((item, i) => {
      const at = emit(o, item);
      o.view.setUint32(slots[i]!, at - slots[i]!, true);
    });
    return pos;
  }
  // Table: vtable first, then the table (soffset = table - vtable > 0), then referenced children.
  const fields = [...node.fields].sort((a, b) => SIZE[b.kind] - SIZE[a.kind]);
  const maxId = node.fields.reduce((m, f) => Math.max(m, f.id), -1);
  const layout = new Map<number, number>();
  let off = 4;
  for (const f of fields) {
    const s = SIZE[f.kind];
    while (off % s !== 0) off++;
    layout.set(f.id, off);
    off += s;
  }
  const tableSize = off;
  o.align(2);
  const vt = o.len;
  o.u16(4 + 2 * (maxId + 1));
  o.u16(tableSize);
  for (let id = 0; id <= maxId; id++) o.u16(layout.get(id) ?? 0);
  o.align(4);
  const pos = o.len;
  o.i32(pos - vt);
  o.ensure(tableSize);
  o.len = pos + tableSize;
  o.buf.fill(0, pos + 4, pos + tableSize);
  const refs: [number, FbNode][] = [];
  for (const f of fields) {
    const at = pos + layout.get(f.id)!;
    switch (f.kind) {
      case 'u8': case 'i8': o.view.setInt8(at, Number(f.value)); break;
      case 'bool': o.view.setUint8(at, f.value ? 1 : 0); break;
      case 'i32': o.view.setInt32(at, Number(f.value), true); break;
      case 'u32': o.view.setUint32(at, Number(f.value) >>> 0, true); break;
      case 'f32': o.view.setFloat32(at, Number(f.value), true); break;
      case 'u64': o.view.setBigUint64(at, BigInt(Number(f.value)), true); break;
      case 'ref': refs.push([at, f.node]); break;
    }
  }
  for (const [at, child] of refs) {
    const c = emit(o, child);
    o.view.setUint32(at, c - at, true);
  }
  return pos;
}

export function serialize(root: FbNode): Uint8Array {
  const o = new Out();
  o.u32(0);
  for (const ch of 'TFL3') o.u8(ch.charCodeAt(0));
  const pos = emit(o, root);
  o.view.setUint32(0, pos, true);
  return o.buf.slice(0, o.len);
}

// ---- TFLite-level helpers -----------------------------------------------------------------

export const TYPE = { float32: 0, int32: 2, uint8: 3, int64: 4, bool: 6, int16: 7, int8: 9 } as const;

export interface TensorSpec {
  shape: number[];
  type: keyof typeof TYPE;
  name?: string;
  scale?: number[];
  zeroPoint?: number[];
  quantizedDimension?: number;
  /** Constant data (raw little-endian bytes). */
  data?: Uint8Array;
  isVariable?: boolean;
}

export interface OpSpec {
  builtinCode: number;
  version?: number;
  inputs: number[];
  outputs: number[];
  intermediates?: number[];
  optionsType?: number;
  options?: FbField[];
}

export interface ModelSpec {
  /** Extra fields for every Buffer table (tests of offset/size handling). */
  bufferFields?: FbField[];
  tensors: TensorSpec[];
  inputs: number[];
  outputs: number[];
  ops: OpSpec[];
}

const t = (fields: FbField[]): FbNode => ({ type: 'table', fields });
const ref = (id: number, node: FbNode): Ref => ({ id, kind: 'ref', node });

export function buildModel(spec: ModelSpec): Uint8Array {
  const buffers: FbNode[] = [t([])]; // buffer 0 is the empty sentinel, as converters write it
  const tensorNodes = spec.tensors.map((ts) => {
    let buffer = 0;
    if (ts.data) {
      buffers.push(t([ref(0, { type: 'vec', elem: 'u8', values: ts.data }), ...(spec.bufferFields ?? [])]));
      buffer = buffers.length - 1;
    }
    const fields: FbField[] = [
      ref(0, { type: 'vec', elem: 'i32', values: ts.shape }),
      { id: 1, kind: 'i8', value: TYPE[ts.type] },
      { id: 2, kind: 'u32', value: buffer },
      ref(3, { type: 'str', value: ts.name ?? '' }),
    ];
    if (ts.scale) {
      const q: FbField[] = [
        ref(2, { type: 'vec', elem: 'f32', values: ts.scale }),
        ref(3, { type: 'vec', elem: 'i64', values: ts.zeroPoint ?? ts.scale.map(() => 0) }),
      ];
      if (ts.quantizedDimension) q.push({ id: 6, kind: 'i32', value: ts.quantizedDimension });
      fields.push(ref(4, t(q)));
    }
    if (ts.isVariable) fields.push({ id: 5, kind: 'bool', value: true });
    return t(fields);
  });
  const codes: number[] = [];
  const codeIndex = (code: number, version: number): number => {
    const key = code * 1000 + version;
    let i = codes.indexOf(key);
    if (i < 0) { codes.push(key); i = codes.length - 1; }
    return i;
  };
  const opNodes = spec.ops.map((op) => {
    const fields: FbField[] = [
      { id: 0, kind: 'u32', value: codeIndex(op.builtinCode, op.version ?? 1) },
      ref(1, { type: 'vec', elem: 'i32', values: op.inputs }),
      ref(2, { type: 'vec', elem: 'i32', values: op.outputs }),
    ];
    if (op.optionsType) {
      fields.push({ id: 3, kind: 'u8', value: op.optionsType });
      fields.push(ref(4, t(op.options ?? [])));
    }
    if (op.intermediates) fields.push(ref(8, { type: 'vec', elem: 'i32', values: op.intermediates }));
    return t(fields);
  });
  const codeNodes = codes.map((key) => {
    const code = Math.floor(key / 1000);
    return t([
      { id: 0, kind: 'i8', value: Math.min(code, 127) },
      { id: 2, kind: 'i32', value: key % 1000 },
      { id: 3, kind: 'i32', value: code },
    ]);
  });
  const subgraph = t([
    ref(0, { type: 'tvec', items: tensorNodes }),
    ref(1, { type: 'vec', elem: 'i32', values: spec.inputs }),
    ref(2, { type: 'vec', elem: 'i32', values: spec.outputs }),
    ref(3, { type: 'tvec', items: opNodes }),
    ref(4, { type: 'str', value: 'main' }),
  ]);
  return serialize(t([
    { id: 0, kind: 'u32', value: 3 },
    ref(1, { type: 'tvec', items: codeNodes }),
    ref(2, { type: 'tvec', items: [subgraph] }),
    ref(3, { type: 'str', value: 'tinyser test model' }),
    ref(4, { type: 'tvec', items: buffers }),
  ]));
}

export function bytesOf(a: Int8Array | Int16Array | Int32Array | Float32Array | Uint8Array): Uint8Array {
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}

/** FC int8 model: input [1,4] -> FULLY_CONNECTED(3) -> output [1,3], used by fuzz and unit tests. */
export function tinyFullyConnectedModel(overrides: Partial<ModelSpec> = {}): Uint8Array {
  return buildModel({
    ...tinyFcSpec(),
    ...overrides,
  });
}

export function tinyFcSpec(): ModelSpec {
  return {
    tensors: [
      { shape: [1, 4], type: 'int8', name: 'x', scale: [0.05], zeroPoint: [-3] },
      { shape: [3, 4], type: 'int8', name: 'w', scale: [0.02], zeroPoint: [0], data: bytesOf(Int8Array.from([1, -2, 3, -4, 5, 6, -7, 8, 127, -128, 0, 9])) },
      { shape: [3], type: 'int32', name: 'b', scale: [0.001], zeroPoint: [0], data: bytesOf(Int32Array.from([100, -200, 300])) },
      { shape: [1, 3], type: 'int8', name: 'y', scale: [0.03], zeroPoint: [4] },
    ],
    inputs: [0],
    outputs: [3],
    ops: [{ builtinCode: 9, version: 4, inputs: [0, 1, 2], outputs: [3], optionsType: 8, options: [{ id: 0, kind: 'i8', value: 1 }] }],
  };
}

/**
 * A small int8 graph touching several kernels (PAD, ADD with a broadcast constant, MEAN,
 * CONCATENATION, LOGISTIC), for fuzzing the prepare-time checks of more ops.
 */
export function tinyMultiOpModel(): Uint8Array {
  const q = (scale: number, zp: number): Pick<TensorSpec, 'scale' | 'zeroPoint'> => ({ scale: [scale], zeroPoint: [zp] });
  return buildModel({
    tensors: [
      { shape: [1, 2, 2, 2], type: 'int8', name: 'x', ...q(0.1, 0) }, // 0
      { shape: [4, 2], type: 'int32', name: 'pads', data: bytesOf(Int32Array.from([0, 0, 1, 1, 1, 1, 0, 0])) }, // 1
      { shape: [1, 4, 4, 2], type: 'int8', name: 'padded', ...q(0.1, 0) }, // 2
      { shape: [2], type: 'int8', name: 'bias', ...q(0.05, 3), data: bytesOf(Int8Array.from([10, -20])) }, // 3
      { shape: [1, 4, 4, 2], type: 'int8', name: 'sum', ...q(0.15, -2) }, // 4
      { shape: [2], type: 'int32', name: 'axes', data: bytesOf(Int32Array.from([1, 2])) }, // 5
      { shape: [1, 2], type: 'int8', name: 'mean', ...q(0.15, -2) }, // 6
      { shape: [1, 4], type: 'int8', name: 'cat', ...q(0.15, -2) }, // 7
      { shape: [1, 4], type: 'int8', name: 'y', ...q(1 / 256, -128) }, // 8
    ],
    inputs: [0],
    outputs: [8],
    ops: [
      { builtinCode: 34, inputs: [0, 1], outputs: [2] },
      { builtinCode: 0, inputs: [2, 3], outputs: [4], optionsType: 11, options: [{ id: 0, kind: 'i8', value: 0 }] },
      { builtinCode: 40, inputs: [4, 5], outputs: [6], optionsType: 27, options: [{ id: 0, kind: 'bool', value: false }] },
      { builtinCode: 2, inputs: [6, 6], outputs: [7], optionsType: 10, options: [{ id: 0, kind: 'i32', value: 1 }] },
      { builtinCode: 14, inputs: [7], outputs: [8] },
    ],
  });
}
