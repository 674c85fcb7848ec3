/**
 * Writes a quantised IR graph as a .tflite FlatBuffer (schema v3, one subgraph, no signature).
 * Constant tensors get their own 16-byte-aligned buffer; buffer 0 is the empty sentinel the
 * schema reserves. Auxiliary int32 operands TFLite wants as tensors (reshape shape, transpose
 * perm, pad paddings, mean axes) are created here from node attributes.
 */
import { UnsupportedOpError } from '../../errors.js';
import type { FusedActivation, Graph, Node, Tensor } from '../../ir/graph.js';
import { tensorOf } from '../../ir/graph.js';
import { tflitePaddingOf, tflitePaddingOfTransposeConv } from '../../ir/padding.js';
import { buildFlatBuffer, fb, type FbTable } from './flatbuffer-builder.js';
import {
  ActivationFunctionType,
  BuiltinOperator,
  BuiltinOptions,
  compareVersions,
  F,
  INT8_OP_VERSION,
  MIN_RUNTIME_VERSION,
  Padding,
  TensorType,
  TFLITE_FILE_IDENTIFIER,
  TFLITE_SCHEMA_VERSION,
  type BuiltinOperatorName,
} from './schema.js';

export const TFLITE_SUPPORTED_IR_OPS = [
  'Conv2D', 'DepthwiseConv2D', 'TransposeConv2D', 'FullyConnected', 'MaxPool2D', 'AveragePool2D', 'Mean', 'Add', 'Mul', 'Concat',
  'Reshape', 'Transpose', 'Pad', 'Softmax', 'Relu', 'Relu6', 'Sigmoid', 'Tanh', 'LeakyRelu',
];

interface TensorEntry {
  table: FbTable;
}

export interface TfliteWriteResult {
  bytes: Uint8Array;
  /** Builtin operator names used, in opcode order (drives the TFLM op resolver). */
  operators: BuiltinOperatorName[];
  minRuntimeVersion: string;
  /** IR tensor name -> TFLite tensor index. */
  tensorIndex: Map<string, number>;
}

function act(a: FusedActivation): number {
  return ActivationFunctionType[a];
}

function tflOpOf(n: Node): BuiltinOperatorName {
  switch (n.op) {
    case 'Conv2D':
      return 'CONV_2D';
    case 'DepthwiseConv2D':
      return 'DEPTHWISE_CONV_2D';
    case 'TransposeConv2D':
      return 'TRANSPOSE_CONV';
    case 'FullyConnected':
      return 'FULLY_CONNECTED';
    case 'MaxPool2D':
      return 'MAX_POOL_2D';
    case 'AveragePool2D':
      return 'AVERAGE_POOL_2D';
    case 'Mean':
      return 'MEAN';
    case 'Add':
      return 'ADD';
    case 'Mul':
      return 'MUL';
    case 'Concat':
      return 'CONCATENATION';
    case 'Reshape':
      return 'RESHAPE';
    case 'Transpose':
      return 'TRANSPOSE';
    case 'Pad':
      return 'PAD';
    case 'Softmax':
      return 'SOFTMAX';
    case 'Relu':
      return 'RELU';
    case 'Relu6':
      return 'RELU6';
    case 'Sigmoid':
      return 'LOGISTIC';
    case 'Tanh':
      return 'TANH';
    case 'LeakyRelu':
      return 'LEAKY_RELU';
    default:
      throw new UnsupportedOpError(n.op, n.name, undefined, TFLITE_SUPPORTED_IR_OPS, 'no int8 TFLite builtin for it (was the graph optimised?)');
  }
}

export function writeTflite(g: Graph, description = 'tinyser compiler'): TfliteWriteResult {
  const buffers: FbTable[] = [[]];
  const tensors: TensorEntry[] = [];
  const tensorIndex = new Map<string, number>();

  const addTensorTable = (t: Tensor): number => {
    const existing = tensorIndex.get(t.name);
    if (existing !== undefined) return existing;
    let bufferIdx = 0;
    if (t.data) {
      const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      buffers.push([fb.vec('u8', bytes, 16)]);
      bufferIdx = buffers.length - 1;
    }
    const type = t.dtype === 'int8' ? TensorType.INT8 : t.dtype === 'int32' ? TensorType.INT32 : TensorType.FLOAT32;
    const table: FbTable = [];
    table[F.Tensor.shape] = fb.vec('i32', t.shape);
    table[F.Tensor.type] = fb.i8(type);
    table[F.Tensor.buffer] = fb.u32(bufferIdx);
    table[F.Tensor.name] = fb.str(t.name);
    if (t.quant) {
      const q: FbTable = [];
      if (t.quant.min !== undefined && t.quant.max !== undefined) {
        q[F.QuantizationParameters.min] = fb.vec('f32', [t.quant.min]);
        q[F.QuantizationParameters.max] = fb.vec('f32', [t.quant.max]);
      }
      q[F.QuantizationParameters.scale] = fb.vec('f32', t.quant.scale);
      q[F.QuantizationParameters.zero_point] = fb.vec('i64', t.quant.zeroPoint.map((z) => BigInt(z)));
      q[F.QuantizationParameters.quantized_dimension] = fb.i32(t.quant.axis);
      table[F.Tensor.quantization] = fb.table(q);
    }
    tensors.push({ table });
    tensorIndex.set(t.name, tensors.length - 1);
    return tensors.length - 1;
  };
  const addInt32Const = (name: string, shape: number[], values: number[]): number =>
    addTensorTable({ name, shape, dtype: 'int32', data: Int32Array.from(values) });

  // graph inputs first so they get the lowest indices (what most tools expect)
  for (const i of g.inputs) addTensorTable(tensorOf(g, i));

  const opcodes: BuiltinOperatorName[] = [];
  const operators: FbTable[] = [];
  for (const n of g.nodes) {
    const name = tflOpOf(n);
    let opcodeIdx = opcodes.indexOf(name);
    if (opcodeIdx < 0) {
      opcodes.push(name);
      opcodeIdx = opcodes.length - 1;
    }
    let inputs = n.inputs.map((i) => addTensorTable(tensorOf(g, i)));
    const outputs = n.outputs.map((o) => addTensorTable(tensorOf(g, o)));
    let optType: number = BuiltinOptions.NONE;
    let opts: FbTable | undefined;
    const x = tensorOf(g, n.inputs[0]).shape;
    switch (n.op) {
      case 'Conv2D':
      case 'DepthwiseConv2D': {
        const w = tensorOf(g, n.inputs[1]).shape;
        const pad = tflitePaddingOf([x[1], x[2]], [w[1], w[2]], n.attrs.strides, n.attrs.dilations, n.attrs.pads);
        if (pad === null) throw new UnsupportedOpError(n.op, n.name, undefined, TFLITE_SUPPORTED_IR_OPS, `padding [${n.attrs.pads}] is neither SAME nor VALID (run legalizePadding)`);
        if (n.op === 'Conv2D') {
          optType = BuiltinOptions.Conv2DOptions;
          opts = [];
          opts[F.Conv2DOptions.padding] = fb.i8(Padding[pad]);
          opts[F.Conv2DOptions.stride_w] = fb.i32(n.attrs.strides[1]);
          opts[F.Conv2DOptions.stride_h] = fb.i32(n.attrs.strides[0]);
          opts[F.Conv2DOptions.fused_activation_function] = fb.i8(act(n.attrs.activation));
          opts[F.Conv2DOptions.dilation_w_factor] = fb.i32(n.attrs.dilations[1]);
          opts[F.Conv2DOptions.dilation_h_factor] = fb.i32(n.attrs.dilations[0]);
        } else {
          optType = BuiltinOptions.DepthwiseConv2DOptions;
          opts = [];
          opts[F.DepthwiseConv2DOptions.padding] = fb.i8(Padding[pad]);
          opts[F.DepthwiseConv2DOptions.stride_w] = fb.i32(n.attrs.strides[1]);
          opts[F.DepthwiseConv2DOptions.stride_h] = fb.i32(n.attrs.strides[0]);
          opts[F.DepthwiseConv2DOptions.depth_multiplier] = fb.i32(n.attrs.depthMultiplier);
          opts[F.DepthwiseConv2DOptions.fused_activation_function] = fb.i8(act(n.attrs.activation));
          opts[F.DepthwiseConv2DOptions.dilation_w_factor] = fb.i32(n.attrs.dilations[1]);
          opts[F.DepthwiseConv2DOptions.dilation_h_factor] = fb.i32(n.attrs.dilations[0]);
        }
        break;
      }
      case 'TransposeConv2D': {
        // TFLite operand order: output_shape (int32 [4]), weights [OUT,KH,KW,IN], input, bias
        const w = tensorOf(g, n.inputs[1]).shape;
        const y = tensorOf(g, n.outputs[0]).shape;
        const pad = tflitePaddingOfTransposeConv([x[1], x[2]], [y[1], y[2]], [w[1], w[2]], n.attrs.strides, n.attrs.pads);
        if (pad === null) throw new UnsupportedOpError(n.op, n.name, undefined, TFLITE_SUPPORTED_IR_OPS, `crop [${n.attrs.pads}] is not TFLite's SAME/VALID padding for output [${y}] (the ONNX importer pads the kernel so that it is)`);
        if (n.attrs.activation !== 'NONE') throw new UnsupportedOpError(n.op, n.name, undefined, TFLITE_SUPPORTED_IR_OPS, `fused activation ${n.attrs.activation} (TFLM's int8 TRANSPOSE_CONV ignores it; keep a separate RELU)`);
        const shapeIdx = addInt32Const(`${n.name}_output_shape`, [4], y);
        inputs = [shapeIdx, inputs[1], inputs[0], ...(inputs.length > 2 ? [inputs[2]] : [])];
        optType = BuiltinOptions.TransposeConvOptions;
        opts = [];
        opts[F.TransposeConvOptions.padding] = fb.i8(Padding[pad]);
        opts[F.TransposeConvOptions.stride_w] = fb.i32(n.attrs.strides[1]);
        opts[F.TransposeConvOptions.stride_h] = fb.i32(n.attrs.strides[0]);
        break;
      }
      case 'MaxPool2D':
      case 'AveragePool2D': {
        const pad = tflitePaddingOf([x[1], x[2]], n.attrs.kernel, n.attrs.strides, [1, 1], n.attrs.pads);
        if (pad === null) throw new UnsupportedOpError(n.op, n.name, undefined, TFLITE_SUPPORTED_IR_OPS, `padding [${n.attrs.pads}] is neither SAME nor VALID`);
        optType = BuiltinOptions.Pool2DOptions;
        opts = [];
        opts[F.Pool2DOptions.padding] = fb.i8(Padding[pad]);
        opts[F.Pool2DOptions.stride_w] = fb.i32(n.attrs.strides[1]);
        opts[F.Pool2DOptions.stride_h] = fb.i32(n.attrs.strides[0]);
        opts[F.Pool2DOptions.filter_width] = fb.i32(n.attrs.kernel[1]);
        opts[F.Pool2DOptions.filter_height] = fb.i32(n.attrs.kernel[0]);
        opts[F.Pool2DOptions.fused_activation_function] = fb.i8(act(n.attrs.activation));
        break;
      }
      case 'FullyConnected':
        optType = BuiltinOptions.FullyConnectedOptions;
        opts = [];
        opts[F.FullyConnectedOptions.fused_activation_function] = fb.i8(act(n.attrs.activation));
        break;
      case 'Mean':
        inputs.push(addInt32Const(`${n.name}_axes`, [n.attrs.axes.length], n.attrs.axes));
        optType = BuiltinOptions.ReducerOptions;
        opts = [];
        opts[F.ReducerOptions.keep_dims] = fb.bool(n.attrs.keepDims);
        break;
      case 'Add':
        optType = BuiltinOptions.AddOptions;
        opts = [];
        opts[F.AddOptions.fused_activation_function] = fb.i8(act(n.attrs.activation));
        break;
      case 'Mul':
        optType = BuiltinOptions.MulOptions;
        opts = [];
        opts[F.MulOptions.fused_activation_function] = fb.i8(act(n.attrs.activation));
        break;
      case 'Concat':
        optType = BuiltinOptions.ConcatenationOptions;
        opts = [];
        opts[F.ConcatenationOptions.axis] = fb.i32(n.attrs.axis);
        opts[F.ConcatenationOptions.fused_activation_function] = fb.i8(act(n.attrs.activation));
        break;
      case 'Reshape':
        inputs.push(addInt32Const(`${n.name}_shape`, [n.attrs.shape.length], n.attrs.shape));
        optType = BuiltinOptions.ReshapeOptions;
        opts = [];
        opts[F.ReshapeOptions.new_shape] = fb.vec('i32', n.attrs.shape);
        break;
      case 'Transpose':
        inputs.push(addInt32Const(`${n.name}_perm`, [n.attrs.perm.length], n.attrs.perm));
        optType = BuiltinOptions.TransposeOptions;
        opts = [];
        break;
      case 'Pad':
        inputs.push(addInt32Const(`${n.name}_paddings`, [n.attrs.pads.length, 2], n.attrs.pads.flat()));
        optType = BuiltinOptions.PadOptions;
        opts = [];
        break;
      case 'Softmax':
        optType = BuiltinOptions.SoftmaxOptions;
        opts = [];
        opts[F.SoftmaxOptions.beta] = fb.f32(n.attrs.beta);
        break;
      case 'LeakyRelu':
        optType = BuiltinOptions.LeakyReluOptions;
        opts = [];
        opts[F.LeakyReluOptions.alpha] = fb.f32(n.attrs.alpha);
        break;
      default:
        break;
    }
    const op: FbTable = [];
    op[F.Operator.opcode_index] = fb.u32(opcodeIdx);
    op[F.Operator.inputs] = fb.vec('i32', inputs);
    op[F.Operator.outputs] = fb.vec('i32', outputs);
    if (opts) {
      op[F.Operator.builtin_options_type] = fb.u8(optType);
      op[F.Operator.builtin_options] = fb.table(opts);
    }
    operators.push(op);
  }

  const minRuntimeVersion = opcodes.map((o) => MIN_RUNTIME_VERSION[o]).reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b), '1.5.0');
  // TFLite converters store the version string NUL-padded to 16 bytes
  const mrv = new Uint8Array(16);
  mrv.set(new TextEncoder().encode(minRuntimeVersion));
  buffers.push([fb.vec('u8', mrv, 16)]);
  const metadataBuffer = buffers.length - 1;

  const subgraph: FbTable = [];
  subgraph[F.SubGraph.tensors] = fb.tables(tensors.map((t) => t.table));
  subgraph[F.SubGraph.inputs] = fb.vec('i32', g.inputs.map((i) => tensorIndex.get(i)!));
  subgraph[F.SubGraph.outputs] = fb.vec('i32', g.outputs.map((o) => tensorIndex.get(o)!));
  subgraph[F.SubGraph.operators] = fb.tables(operators);
  subgraph[F.SubGraph.name] = fb.str('main');

  const model: FbTable = [];
  model[F.Model.version] = fb.u32(TFLITE_SCHEMA_VERSION);
  model[F.Model.operator_codes] = fb.tables(
    opcodes.map((o) => {
      const code = BuiltinOperator[o];
      const t: FbTable = [];
      // builtin codes >= 127 live only in the int32 field; the byte field holds the placeholder 127
      t[F.OperatorCode.deprecated_builtin_code] = fb.i8(Math.min(code, 127));
      t[F.OperatorCode.version] = fb.i32(INT8_OP_VERSION[o]);
      t[F.OperatorCode.builtin_code] = fb.i32(code);
      return t;
    }),
  );
  model[F.Model.subgraphs] = fb.tables([subgraph]);
  model[F.Model.description] = fb.str(description);
  model[F.Model.buffers] = fb.tables(buffers);
  const meta: FbTable = [];
  meta[F.Metadata.name] = fb.str('min_runtime_version');
  meta[F.Metadata.buffer] = fb.u32(metadataBuffer);
  model[F.Model.metadata] = fb.tables([meta]);

  return { bytes: buildFlatBuffer(model, TFLITE_FILE_IDENTIFIER), operators: opcodes, minRuntimeVersion, tensorIndex };
}
