/**
 * Runtime tensors: every tensor gets its own typed array (no arena sharing), so any tensor can be
 * read after invoke() (TFLM's preserve_all_tensors behaviour) and dumps are trivial.
 */
import { ModelFormatError } from './errors.js';
import type { TfliteQuantization, TfliteTensor } from './tflite/model.js';
import type { TensorTypeName } from './tflite/schema.js';

export type TensorData =
  | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array
  | Float32Array | Float64Array;

export interface RuntimeTensor {
  index: number;
  name: string;
  type: TensorTypeName;
  shape: number[];
  /** Element count. */
  size: number;
  /** Typed view of the values (bool is a Uint8Array of 0/1, int64 a BigInt64Array). */
  data: TensorData;
  /** Raw little-endian bytes of the same memory. */
  bytes: Uint8Array;
  /** First (or only) float32 scale, 0 when not quantized. */
  scale: number;
  zeroPoint: number;
  quantization: TfliteQuantization | null;
  isConstant: boolean;
  isVariable: boolean;
}

/** Public description of an input or output tensor. */
export interface TensorInfo {
  index: number;
  name: string;
  type: TensorTypeName;
  shape: number[];
  scale: number;
  zeroPoint: number;
  byteLength: number;
}

export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function allocate(type: TensorTypeName, n: number, where: string): TensorData {
  switch (type) {
    case 'int8': return new Int8Array(n);
    case 'uint8': case 'bool': return new Uint8Array(n);
    case 'int16': return new Int16Array(n);
    case 'uint16': return new Uint16Array(n);
    case 'int32': return new Int32Array(n);
    case 'uint32': return new Uint32Array(n);
    case 'int64': return new BigInt64Array(n);
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    default:
      throw new ModelFormatError(`${where}: tensor type ${type} is not supported by the interpreter`, { tensor: where, type });
  }
}

export function createRuntimeTensor(t: TfliteTensor, modelName: string): RuntimeTensor {
  const where = `${modelName}: tensor ${t.index} (${JSON.stringify(t.name)})`;
  const shape = t.shape.map((d) => Math.max(d, 0));
  const size = elementCount(shape);
  const data = allocate(t.type, size, where);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (t.data) {
    if (t.data.length !== bytes.length) {
      throw new ModelFormatError(`${where}: constant data has ${t.data.length} bytes, expected ${bytes.length}`, { tensor: t.index });
    }
    bytes.set(t.data); // copy so typed views are aligned whatever the flatbuffer alignment
  }
  const q = t.quantization;
  return {
    index: t.index,
    name: t.name,
    type: t.type,
    shape,
    size,
    data,
    bytes,
    scale: q ? q.scale[0]! : 0,
    zeroPoint: q ? q.zeroPoint[0]! : 0,
    quantization: q,
    isConstant: t.data !== null,
    isVariable: t.isVariable,
  };
}

export function tensorInfo(t: RuntimeTensor): TensorInfo {
  return { index: t.index, name: t.name, type: t.type, shape: [...t.shape], scale: t.scale, zeroPoint: t.zeroPoint, byteLength: t.bytes.length };
}

/** Real values of a tensor: (q - zero_point) * scale per element (per channel when quantized so). */
export function dequantize(t: RuntimeTensor): Float64Array {
  const out = new Float64Array(t.size);
  const q = t.quantization;
  if (t.data instanceof BigInt64Array) {
    for (let i = 0; i < t.size; i++) out[i] = Number(t.data[i]!);
  } else {
    for (let i = 0; i < t.size; i++) out[i] = t.data[i]!;
  }
  if (!q || t.type === 'float32' || t.type === 'float64') return out;
  if (q.scale.length === 1) {
    for (let i = 0; i < t.size; i++) out[i] = (out[i]! - t.zeroPoint) * t.scale;
    return out;
  }
  const dim = q.quantizedDimension;
  let inner = 1;
  for (let d = dim + 1; d < t.shape.length; d++) inner *= t.shape[d]!;
  const channels = t.shape[dim] ?? 1;
  for (let i = 0; i < t.size; i++) {
    const c = Math.floor(i / inner) % channels;
    out[i] = (out[i]! - (q.zeroPoint[c] ?? 0)) * (q.scale[c] ?? 0);
  }
  return out;
}
