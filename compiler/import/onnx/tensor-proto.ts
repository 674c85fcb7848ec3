/** Decoding of ONNX TensorProto / attribute values into plain numbers (int64 via Long or number). */
import { onnx } from './onnx-proto.js';
import type { OnnxTypes } from './onnx-proto.js';
import { ModelFormatError } from '../../errors.js';

/** Caps the size of any single tensor so a corrupt dimension cannot exhaust memory. */
export const MAX_TENSOR_ELEMENTS = 1 << 26;

type LongLike = number | { toNumber(): number } | { low: number; high: number };

export function toNumber(v: LongLike | null | undefined): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if ('toNumber' in v) return v.toNumber();
  return v.high * 4294967296 + (v.low >>> 0);
}

export interface OnnxConstant {
  shape: number[];
  /** Float values (also holds integer tensors converted to numbers). */
  values: Float64Array;
  isInteger: boolean;
}

export function checkShape(shape: number[], what: string): void {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ModelFormatError(`${what}: invalid dimension ${d} in shape [${shape}]`, {});
    n *= d;
  }
  if (n > MAX_TENSOR_ELEMENTS) throw new ModelFormatError(`${what}: shape [${shape}] has ${n} elements, above the limit ${MAX_TENSOR_ELEMENTS}`, {});
}

export function decodeTensorProto(t: OnnxTypes.ITensorProto, what: string): OnnxConstant {
  const shape = (t.dims ?? []).map((d) => toNumber(d as LongLike));
  checkShape(shape, what);
  const n = shape.reduce((a, b) => a * b, 1);
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
  const dv = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  const out = new Float64Array(n);
  const need = (bytes: number) => {
    if (dv && dv.byteLength < n * bytes)
      throw new ModelFormatError(`${what}: raw_data holds ${dv.byteLength} bytes, ${n * bytes} needed for shape [${shape}]`, {});
  };
  const fromList = (list: ArrayLike<LongLike> | null | undefined) => {
    if (!list || list.length < n) throw new ModelFormatError(`${what}: holds ${list?.length ?? 0} values, ${n} needed for shape [${shape}]`, {});
    for (let i = 0; i < n; i++) out[i] = toNumber(list[i]);
  };
  switch (t.dataType) {
    case onnx.TensorProto.DataType.FLOAT:
      if (dv) {
        need(4);
        for (let i = 0; i < n; i++) out[i] = dv.getFloat32(i * 4, true);
      } else fromList(t.floatData);
      return { shape, values: out, isInteger: false };
    case onnx.TensorProto.DataType.DOUBLE:
      if (dv) {
        need(8);
        for (let i = 0; i < n; i++) out[i] = dv.getFloat64(i * 8, true);
      } else fromList(t.doubleData);
      return { shape, values: out, isInteger: false };
    case onnx.TensorProto.DataType.INT64:
      if (dv) {
        need(8);
        for (let i = 0; i < n; i++) out[i] = Number(dv.getBigInt64(i * 8, true));
      } else fromList(t.int64Data as LongLike[]);
      return { shape, values: out, isInteger: true };
    case onnx.TensorProto.DataType.INT32:
      if (dv) {
        need(4);
        for (let i = 0; i < n; i++) out[i] = dv.getInt32(i * 4, true);
      } else fromList(t.int32Data);
      return { shape, values: out, isInteger: true };
    default:
      throw new ModelFormatError(`${what}: tensor data type ${t.dataType} is not supported (float, double, int32, int64 are)`, {});
  }
}

export interface AttrReader {
  int(name: string, dflt: number): number;
  float(name: string, dflt: number): number;
  ints(name: string, dflt: number[]): number[];
  string(name: string, dflt: string): string;
  tensor(name: string): OnnxTypes.ITensorProto | undefined;
}

export function attrs(node: OnnxTypes.INodeProto): AttrReader {
  const m = new Map<string, OnnxTypes.IAttributeProto>();
  for (const a of node.attribute ?? []) if (a.name) m.set(a.name, a);
  return {
    int: (n, d) => (m.has(n) ? toNumber(m.get(n)!.i as LongLike) : d),
    float: (n, d) => (m.has(n) ? (m.get(n)!.f ?? d) : d),
    ints: (n, d) => (m.has(n) ? (m.get(n)!.ints ?? []).map((v) => toNumber(v as LongLike)) : d),
    string: (n, d) => {
      const s = m.get(n)?.s;
      return s ? new TextDecoder().decode(s) : d;
    },
    tensor: (n) => m.get(n)?.t ?? undefined,
  };
}
