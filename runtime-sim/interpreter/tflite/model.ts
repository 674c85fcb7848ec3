/**
 * Loads a .tflite flatbuffer into plain typed objects (no interpretation of the numbers yet).
 *
 * Schema field ids used (schema.fbs declaration order):
 * - Model: 0 version, 1 operator_codes, 2 subgraphs, 3 description, 4 buffers, 5 metadata_buffer,
 *   6 metadata, 7 signature_defs (ignored)
 * - OperatorCode: 0 deprecated_builtin_code (int8), 1 custom_code, 2 version (default 1),
 *   3 builtin_code (int32). Old writers fill only the int8 field, new ones both (the int8 one
 *   saturates at 127 = PLACEHOLDER_FOR_GREATER_OP_CODES), so the code is the max of both.
 * - SubGraph: 0 tensors, 1 inputs, 2 outputs, 3 operators, 4 name
 * - Tensor: 0 shape, 1 type, 2 buffer, 3 name, 4 quantization, 5 is_variable, 6 sparsity,
 *   7 shape_signature, 8 has_rank
 * - QuantizationParameters: 0 min, 1 max, 2 scale, 3 zero_point (int64), 4/5 details union,
 *   6 quantized_dimension
 * - Buffer: 0 data, 1 offset (u64), 2 size (u64)
 * - Operator: 0 opcode_index, 1 inputs, 2 outputs, 3 builtin_options_type, 4 builtin_options,
 *   5 custom_options, 6 custom_options_format, 7 mutating_variable_inputs, 8 intermediates
 * - Metadata: 0 name, 1 buffer
 */
import { FlatBufferReader, type FbTable } from './flatbuffer.js';
import {
  TENSOR_TYPE_NAMES, builtinOperatorName, decodeBuiltinOptions, tensorTypeByteSize,
  type BuiltinOptions, type TensorTypeName,
} from './schema.js';

export interface TfliteQuantization {
  /** float32 scales, one per channel for per-channel quantization. */
  scale: Float32Array;
  zeroPoint: number[];
  quantizedDimension: number;
  min: Float32Array | null;
  max: Float32Array | null;
}

export interface TfliteTensor {
  index: number;
  name: string;
  type: TensorTypeName;
  shape: number[];
  shapeSignature: number[] | null;
  buffer: number;
  /** Constant data (a view into the model bytes), null when the buffer is empty. */
  data: Uint8Array | null;
  quantization: TfliteQuantization | null;
  isVariable: boolean;
  hasSparsity: boolean;
}

export interface TfliteOperatorCode {
  builtinCode: number;
  name: string;
  customCode: string | null;
  version: number;
}

export interface TfliteOperator {
  index: number;
  opcodeIndex: number;
  /** Builtin op name (e.g. CONV_2D), or CUSTOM:<custom_code>. */
  opName: string;
  builtinCode: number;
  version: number;
  /** Tensor indices; -1 marks an omitted optional input. */
  inputs: number[];
  outputs: number[];
  intermediates: number[];
  options: BuiltinOptions;
  customOptions: Uint8Array | null;
}

export interface TfliteSubgraph {
  index: number;
  name: string;
  tensors: TfliteTensor[];
  inputs: number[];
  outputs: number[];
  operators: TfliteOperator[];
}

export interface TfliteMetadata {
  name: string;
  buffer: number;
  data: Uint8Array | null;
}

export interface TfliteModel {
  /** Where the bytes came from (file name), used in error messages. */
  name: string;
  version: number;
  description: string | null;
  operatorCodes: TfliteOperatorCode[];
  subgraphs: TfliteSubgraph[];
  buffers: (Uint8Array | null)[];
  metadata: TfliteMetadata[];
  bytes: Uint8Array;
}

/** Largest tensor the interpreter will allocate (elements); guards against corrupt shapes. */
export const MAX_TENSOR_ELEMENTS = 1 << 28;

export function loadTfliteModel(bytes: Uint8Array, name = 'model.tflite'): TfliteModel {
  const r = new FlatBufferReader(bytes, name);
  if (bytes.length < 8) r.fail(0, 'file header', `file too short (${bytes.length} bytes) to be a .tflite flatbuffer`);
  const ident = String.fromCharCode(bytes[4]!, bytes[5]!, bytes[6]!, bytes[7]!);
  if (ident !== 'TFL3') r.fail(4, 'file identifier', `expected file identifier "TFL3", found ${JSON.stringify(ident)}`);
  const m = r.root('Model');
  const version = m.u32(0, 'version');

  const buffers = m.tableVector(4, 'buffers').map((b, i) => readBuffer(r, b, i));
  const operatorCodes = m.tableVector(1, 'operator_codes').map((oc): TfliteOperatorCode => {
    const deprecated = oc.i8(0, 'deprecated_builtin_code');
    const code = Math.max(deprecated, oc.i32(3, 'builtin_code'));
    const customCode = oc.string(1, 'custom_code');
    return {
      builtinCode: code,
      name: code === 32 ? `CUSTOM:${customCode ?? ''}` : builtinOperatorName(code),
      customCode,
      version: oc.i32(2, 'version', 1),
    };
  });
  const subgraphTables = m.tableVector(2, 'subgraphs');
  if (subgraphTables.length === 0) r.fail(m.pos, 'Model.subgraphs', 'model has no subgraph');
  const subgraphs = subgraphTables.map((sg, si) => readSubgraph(r, sg, si, buffers, operatorCodes));
  const metadata = m.tableVector(6, 'metadata').map((md): TfliteMetadata => {
    const buffer = md.u32(1, 'buffer');
    if (buffer >= buffers.length) r.fail(md.pos, 'Metadata.buffer', `buffer index ${buffer} >= ${buffers.length} buffers`);
    return { name: md.string(0, 'name') ?? '', buffer, data: buffers[buffer] ?? null };
  });
  return { name, version, description: m.string(3, 'description'), operatorCodes, subgraphs, buffers, metadata, bytes };
}

function readBuffer(r: FlatBufferReader, b: FbTable, index: number): Uint8Array | null {
  const data = b.bytesVector(0, 'data');
  const offset = b.u64(1, 'offset');
  const size = b.u64(2, 'size');
  // offset/size are how >2 GB models keep weights outside the flatbuffer; an offset of 0 or 1 is
  // the writer's "unused" marker.
  if (offset > 1) {
    r.fail(b.pos, `Buffer[${index}]`, `buffer stores its data outside the flatbuffer (offset ${offset}, size ${size}); external buffers are not supported: re-export the model below 2 GB`);
  }
  return data && data.length > 0 ? data : null;
}

function readSubgraph(
  r: FlatBufferReader,
  sg: FbTable,
  si: number,
  buffers: (Uint8Array | null)[],
  codes: TfliteOperatorCode[],
): TfliteSubgraph {
  const where = `SubGraph[${si}]`;
  const tensors = sg.tableVector(0, 'tensors').map((t, ti) => readTensor(r, t, ti, si, buffers));
  const n = tensors.length;
  const checkIdx = (list: number[], what: string, allowOmitted: boolean, pos: number): number[] => {
    for (const i of list) {
      if (i === -1 && allowOmitted) continue;
      if (!(i >= 0 && i < n)) r.fail(pos, `${where}.${what}`, `tensor index ${i} out of range (subgraph has ${n} tensors)`);
    }
    return list;
  };
  const inputs = checkIdx(sg.int32Vector(1, 'inputs') ?? [], 'inputs', false, sg.pos);
  const outputs = checkIdx(sg.int32Vector(2, 'outputs') ?? [], 'outputs', false, sg.pos);
  const operators = sg.tableVector(3, 'operators').map((op, oi): TfliteOperator => {
    const opcodeIndex = op.u32(0, 'opcode_index');
    const code = codes[opcodeIndex];
    if (!code) r.fail(op.pos, `${where}.operators[${oi}].opcode_index`, `opcode index ${opcodeIndex} >= ${codes.length} operator codes`);
    const optType = op.u8(3, 'builtin_options_type');
    const options = decodeBuiltinOptions(optType, optType === 0 ? null : op.table(4, 'builtin_options'));
    return {
      index: oi,
      opcodeIndex,
      opName: code.name,
      builtinCode: code.builtinCode,
      version: code.version,
      inputs: checkIdx(op.int32Vector(1, 'inputs') ?? [], `operators[${oi}].inputs`, true, op.pos),
      outputs: checkIdx(op.int32Vector(2, 'outputs') ?? [], `operators[${oi}].outputs`, false, op.pos),
      intermediates: checkIdx(op.int32Vector(8, 'intermediates') ?? [], `operators[${oi}].intermediates`, true, op.pos),
      options,
      customOptions: op.bytesVector(5, 'custom_options'),
    };
  });
  return { index: si, name: sg.string(4, 'name') ?? '', tensors, inputs, outputs, operators };
}

function readTensor(r: FlatBufferReader, t: FbTable, ti: number, si: number, buffers: (Uint8Array | null)[]): TfliteTensor {
  const where = `SubGraph[${si}].tensors[${ti}]`;
  const shape = t.int32Vector(0, 'shape') ?? [];
  const typeCode = t.i8(1, 'type');
  const type = TENSOR_TYPE_NAMES[typeCode];
  if (type === undefined) r.fail(t.pos, `${where}.type`, `unknown TensorType ${typeCode}`);
  const buffer = t.u32(2, 'buffer');
  if (buffer >= buffers.length && !(buffer === 0 && buffers.length === 0)) {
    r.fail(t.pos, `${where}.buffer`, `buffer index ${buffer} >= ${buffers.length} buffers`);
  }
  let elements = 1;
  for (const d of shape) {
    if (d < 0 && d !== -1) r.fail(t.pos, `${where}.shape`, `negative dimension ${d}`);
    elements *= Math.max(d, 0);
    if (elements > MAX_TENSOR_ELEMENTS) r.fail(t.pos, `${where}.shape`, `tensor has more than ${MAX_TENSOR_ELEMENTS} elements`);
  }
  const data = buffers[buffer] ?? null;
  const elemSize = tensorTypeByteSize(type);
  if (data && elemSize > 0 && shape.every((d) => d >= 0) && data.length !== elements * elemSize && type !== 'int4') {
    r.fail(t.pos, `${where} (${JSON.stringify(t.string(3, 'name') ?? '')})`, `constant buffer ${buffer} holds ${data.length} bytes but shape [${shape.join(',')}] of ${type} needs ${elements * elemSize}`);
  }
  const q = t.table(4, 'quantization');
  let quantization: TfliteQuantization | null = null;
  if (q) {
    const scale = q.float32Vector(2, 'scale');
    const zeroPoint = q.int64Vector(3, 'zero_point');
    if (scale && scale.length > 0) {
      const zp = zeroPoint ?? [];
      if (zp.length !== 0 && zp.length !== scale.length) {
        r.fail(q.pos, `${where}.quantization`, `${scale.length} scales but ${zp.length} zero points`);
      }
      const quantizedDimension = q.i32(6, 'quantized_dimension');
      // Not validated against the shape here: converters leave the filter's quantized_dimension on
      // 1-D per-channel bias tensors (person_detect does), and TFLM ignores it there. Kernels that
      // use per-channel scales check the count against their channel dimension.
      if (quantizedDimension < 0) r.fail(q.pos, `${where}.quantization.quantized_dimension`, `negative quantized_dimension ${quantizedDimension}`);
      quantization = {
        scale,
        zeroPoint: zp.length ? zp : new Array<number>(scale.length).fill(0),
        quantizedDimension,
        min: q.float32Vector(0, 'min'),
        max: q.float32Vector(1, 'max'),
      };
    }
  }
  return {
    index: ti,
    name: t.string(3, 'name') ?? '',
    type,
    shape,
    shapeSignature: t.int32Vector(7, 'shape_signature'),
    buffer,
    data,
    quantization,
    isVariable: t.bool(5, 'is_variable'),
    hasSparsity: t.field(6, 4, 'sparsity') !== 0,
  };
}
