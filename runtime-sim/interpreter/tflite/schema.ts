/**
 * The subset of TFLite's schema.fbs (tensorflow/lite/schema/schema.fbs) this reader understands:
 * enum values and the builtin options tables of every operator the interpreter implements. Field ids
 * follow the schema's declaration order; defaults are the schema's defaults.
 */
import type { FbTable } from './flatbuffer.js';

export type TensorTypeName =
  | 'float32' | 'float16' | 'int32' | 'uint8' | 'int64' | 'string' | 'bool' | 'int16' | 'complex64'
  | 'int8' | 'float64' | 'complex128' | 'uint64' | 'resource' | 'variant' | 'uint32' | 'uint16' | 'int4'
  | 'bfloat16';

/** TensorType enum, indexed by code. */
export const TENSOR_TYPE_NAMES: readonly TensorTypeName[] = [
  'float32', 'float16', 'int32', 'uint8', 'int64', 'string', 'bool', 'int16', 'complex64', 'int8',
  'float64', 'complex128', 'uint64', 'resource', 'variant', 'uint32', 'uint16', 'int4', 'bfloat16',
];

/** Bytes per element; 0 for types without a fixed element size. */
export function tensorTypeByteSize(t: TensorTypeName): number {
  switch (t) {
    case 'int8': case 'uint8': case 'bool': return 1;
    case 'int16': case 'uint16': case 'float16': case 'bfloat16': return 2;
    case 'int32': case 'uint32': case 'float32': return 4;
    case 'int64': case 'uint64': case 'float64': case 'complex64': return 8;
    case 'complex128': return 16;
    default: return 0;
  }
}

/** BuiltinOperator enum of schema.fbs, indexed by code (0..161). */
export const BUILTIN_OPERATOR_NAMES: readonly string[] = [
  'ADD', 'AVERAGE_POOL_2D', 'CONCATENATION', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'DEPTH_TO_SPACE', 'DEQUANTIZE',
  'EMBEDDING_LOOKUP', 'FLOOR', 'FULLY_CONNECTED', 'HASHTABLE_LOOKUP', 'L2_NORMALIZATION', 'L2_POOL_2D',
  'LOCAL_RESPONSE_NORMALIZATION', 'LOGISTIC', 'LSH_PROJECTION', 'LSTM', 'MAX_POOL_2D', 'MUL', 'RELU',
  'RELU_N1_TO_1', 'RELU6', 'RESHAPE', 'RESIZE_BILINEAR', 'RNN', 'SOFTMAX', 'SPACE_TO_DEPTH', 'SVDF', 'TANH',
  'CONCAT_EMBEDDINGS', 'SKIP_GRAM', 'CALL', 'CUSTOM', 'EMBEDDING_LOOKUP_SPARSE', 'PAD',
  'UNIDIRECTIONAL_SEQUENCE_RNN', 'GATHER', 'BATCH_TO_SPACE_ND', 'SPACE_TO_BATCH_ND', 'TRANSPOSE', 'MEAN',
  'SUB', 'DIV', 'SQUEEZE', 'UNIDIRECTIONAL_SEQUENCE_LSTM', 'STRIDED_SLICE', 'BIDIRECTIONAL_SEQUENCE_RNN',
  'EXP', 'TOPK_V2', 'SPLIT', 'LOG_SOFTMAX', 'DELEGATE', 'BIDIRECTIONAL_SEQUENCE_LSTM', 'CAST', 'PRELU',
  'MAXIMUM', 'ARG_MAX', 'MINIMUM', 'LESS', 'NEG', 'PADV2', 'GREATER', 'GREATER_EQUAL', 'LESS_EQUAL',
  'SELECT', 'SLICE', 'SIN', 'TRANSPOSE_CONV', 'SPARSE_TO_DENSE', 'TILE', 'EXPAND_DIMS', 'EQUAL', 'NOT_EQUAL',
  'LOG', 'SUM', 'SQRT', 'RSQRT', 'SHAPE', 'POW', 'ARG_MIN', 'FAKE_QUANT', 'REDUCE_PROD', 'REDUCE_MAX',
  'PACK', 'LOGICAL_OR', 'ONE_HOT', 'LOGICAL_AND', 'LOGICAL_NOT', 'UNPACK', 'REDUCE_MIN', 'FLOOR_DIV',
  'REDUCE_ANY', 'SQUARE', 'ZEROS_LIKE', 'FILL', 'FLOOR_MOD', 'RANGE', 'RESIZE_NEAREST_NEIGHBOR',
  'LEAKY_RELU', 'SQUARED_DIFFERENCE', 'MIRROR_PAD', 'ABS', 'SPLIT_V', 'UNIQUE', 'CEIL', 'REVERSE_V2',
  'ADD_N', 'GATHER_ND', 'COS', 'WHERE', 'RANK', 'ELU', 'REVERSE_SEQUENCE', 'MATRIX_DIAG', 'QUANTIZE',
  'MATRIX_SET_DIAG', 'ROUND', 'HARD_SWISH', 'IF', 'WHILE', 'NON_MAX_SUPPRESSION_V4',
  'NON_MAX_SUPPRESSION_V5', 'SCATTER_ND', 'SELECT_V2', 'DENSIFY', 'SEGMENT_SUM', 'BATCH_MATMUL',
  'PLACEHOLDER_FOR_GREATER_OP_CODES', 'CUMSUM', 'CALL_ONCE', 'BROADCAST_TO', 'RFFT2D', 'CONV_3D', 'IMAG',
  'REAL', 'COMPLEX_ABS', 'HASHTABLE', 'HASHTABLE_FIND', 'HASHTABLE_IMPORT', 'HASHTABLE_SIZE', 'REDUCE_ALL',
  'CONV_3D_TRANSPOSE', 'VAR_HANDLE', 'READ_VARIABLE', 'ASSIGN_VARIABLE', 'BROADCAST_ARGS',
  'RANDOM_STANDARD_NORMAL', 'BUCKETIZE', 'RANDOM_UNIFORM', 'MULTINOMIAL', 'GELU', 'DYNAMIC_UPDATE_SLICE',
  'RELU_0_TO_1', 'UNSORTED_SEGMENT_PROD', 'UNSORTED_SEGMENT_MAX', 'UNSORTED_SEGMENT_SUM', 'ATAN2',
  'UNSORTED_SEGMENT_MIN', 'SIGN', 'BITCAST', 'BITWISE_XOR', 'RIGHT_SHIFT',
];

export function builtinOperatorName(code: number): string {
  return BUILTIN_OPERATOR_NAMES[code] ?? `BUILTIN_${code}`;
}

export type Padding = 'SAME' | 'VALID';
export type FusedActivation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH' | 'SIGN_BIT';
const ACTIVATIONS: readonly FusedActivation[] = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'];

export interface Conv2DOptions {
  kind: 'Conv2DOptions';
  padding: Padding; strideW: number; strideH: number; activation: FusedActivation;
  dilationW: number; dilationH: number;
}
export interface DepthwiseConv2DOptions {
  kind: 'DepthwiseConv2DOptions';
  padding: Padding; strideW: number; strideH: number; depthMultiplier: number; activation: FusedActivation;
  dilationW: number; dilationH: number;
}
export interface Pool2DOptions {
  kind: 'Pool2DOptions';
  padding: Padding; strideW: number; strideH: number; filterWidth: number; filterHeight: number;
  activation: FusedActivation;
}
export interface SVDFOptions { kind: 'SVDFOptions'; rank: number; activation: FusedActivation; asymmetricQuantizeInputs: boolean }
export interface FullyConnectedOptions {
  kind: 'FullyConnectedOptions';
  activation: FusedActivation; weightsFormat: number; keepNumDims: boolean; asymmetricQuantizeInputs: boolean;
}
export interface SoftmaxOptions { kind: 'SoftmaxOptions'; beta: number }
export interface ConcatenationOptions { kind: 'ConcatenationOptions'; axis: number; activation: FusedActivation }
export interface AddOptions { kind: 'AddOptions'; activation: FusedActivation; potScaleInt16: boolean }
export interface SubOptions { kind: 'SubOptions'; activation: FusedActivation; potScaleInt16: boolean }
export interface MulOptions { kind: 'MulOptions'; activation: FusedActivation }
export interface ReshapeOptions { kind: 'ReshapeOptions'; newShape: number[] | null }
export interface ReducerOptions { kind: 'ReducerOptions'; keepDims: boolean }
export interface UnidirectionalSequenceLSTMOptions {
  kind: 'UnidirectionalSequenceLSTMOptions';
  activation: FusedActivation; cellClip: number; projClip: number; timeMajor: boolean;
  asymmetricQuantizeInputs: boolean; diagonalRecurrentTensors: boolean;
}
export interface LeakyReluOptions { kind: 'LeakyReluOptions'; alpha: number }
export interface TransposeConvOptions { kind: 'TransposeConvOptions'; padding: Padding; strideW: number; strideH: number; activation: FusedActivation }
/** An options table present in the file whose fields this interpreter does not read. */
export interface OtherOptions { kind: 'Other'; unionType: number }
export interface NoOptions { kind: 'None' }

export type BuiltinOptions =
  | Conv2DOptions | DepthwiseConv2DOptions | Pool2DOptions | SVDFOptions | FullyConnectedOptions
  | SoftmaxOptions | ConcatenationOptions | AddOptions | SubOptions | MulOptions | ReshapeOptions
  | ReducerOptions | UnidirectionalSequenceLSTMOptions | LeakyReluOptions | TransposeConvOptions | OtherOptions | NoOptions;

/** BuiltinOptions union type codes of the tables decoded here. */
export const BUILTIN_OPTIONS_TYPE = {
  Conv2DOptions: 1, DepthwiseConv2DOptions: 2, Pool2DOptions: 5, SVDFOptions: 6, FullyConnectedOptions: 8,
  SoftmaxOptions: 9, ConcatenationOptions: 10, AddOptions: 11, ReshapeOptions: 17, MulOptions: 21,
  ReducerOptions: 27, SubOptions: 28, TransposeConvOptions: 49, UnidirectionalSequenceLSTMOptions: 71, LeakyReluOptions: 75,
} as const;

function padding(t: FbTable, id: number): Padding {
  const v = t.i8(id, 'padding');
  if (v === 0) return 'SAME';
  if (v === 1) return 'VALID';
  return t.r.fail(t.pos, `${t.what}.padding`, `unknown Padding value ${v}`);
}

function activation(t: FbTable, id: number): FusedActivation {
  const v = t.i8(id, 'fused_activation_function');
  const a = ACTIVATIONS[v];
  if (a === undefined) return t.r.fail(t.pos, `${t.what}.fused_activation_function`, `unknown ActivationFunctionType ${v}`);
  return a;
}

/** Decodes one builtin options table given its union type code. */
export function decodeBuiltinOptions(type: number, t: FbTable | null): BuiltinOptions {
  if (type === 0 || t === null) return { kind: 'None' };
  const T = BUILTIN_OPTIONS_TYPE;
  switch (type) {
    case T.Conv2DOptions:
      return {
        kind: 'Conv2DOptions', padding: padding(t, 0), strideW: t.i32(1, 'stride_w'), strideH: t.i32(2, 'stride_h'),
        activation: activation(t, 3), dilationW: t.i32(4, 'dilation_w_factor', 1), dilationH: t.i32(5, 'dilation_h_factor', 1),
      };
    case T.DepthwiseConv2DOptions:
      return {
        kind: 'DepthwiseConv2DOptions', padding: padding(t, 0), strideW: t.i32(1, 'stride_w'), strideH: t.i32(2, 'stride_h'),
        depthMultiplier: t.i32(3, 'depth_multiplier'), activation: activation(t, 4),
        dilationW: t.i32(5, 'dilation_w_factor', 1), dilationH: t.i32(6, 'dilation_h_factor', 1),
      };
    case T.Pool2DOptions:
      return {
        kind: 'Pool2DOptions', padding: padding(t, 0), strideW: t.i32(1, 'stride_w'), strideH: t.i32(2, 'stride_h'),
        filterWidth: t.i32(3, 'filter_width'), filterHeight: t.i32(4, 'filter_height'), activation: activation(t, 5),
      };
    case T.SVDFOptions:
      return { kind: 'SVDFOptions', rank: t.i32(0, 'rank'), activation: activation(t, 1), asymmetricQuantizeInputs: t.bool(2, 'asymmetric_quantize_inputs') };
    case T.FullyConnectedOptions:
      return {
        kind: 'FullyConnectedOptions', activation: activation(t, 0), weightsFormat: t.i8(1, 'weights_format'),
        keepNumDims: t.bool(2, 'keep_num_dims'), asymmetricQuantizeInputs: t.bool(3, 'asymmetric_quantize_inputs'),
      };
    case T.SoftmaxOptions:
      return { kind: 'SoftmaxOptions', beta: t.f32(0, 'beta') };
    case T.ConcatenationOptions:
      return { kind: 'ConcatenationOptions', axis: t.i32(0, 'axis'), activation: activation(t, 1) };
    case T.AddOptions:
      return { kind: 'AddOptions', activation: activation(t, 0), potScaleInt16: t.bool(1, 'pot_scale_int16', true) };
    case T.SubOptions:
      return { kind: 'SubOptions', activation: activation(t, 0), potScaleInt16: t.bool(1, 'pot_scale_int16', true) };
    case T.MulOptions:
      return { kind: 'MulOptions', activation: activation(t, 0) };
    case T.ReshapeOptions:
      return { kind: 'ReshapeOptions', newShape: t.int32Vector(0, 'new_shape') };
    case T.ReducerOptions:
      return { kind: 'ReducerOptions', keepDims: t.bool(0, 'keep_dims') };
    case T.UnidirectionalSequenceLSTMOptions:
      return {
        kind: 'UnidirectionalSequenceLSTMOptions', activation: activation(t, 0), cellClip: t.f32(1, 'cell_clip'),
        projClip: t.f32(2, 'proj_clip'), timeMajor: t.bool(3, 'time_major'),
        asymmetricQuantizeInputs: t.bool(4, 'asymmetric_quantize_inputs'),
        diagonalRecurrentTensors: t.bool(5, 'diagonal_recurrent_tensors'),
      };
    case T.LeakyReluOptions:
      return { kind: 'LeakyReluOptions', alpha: t.f32(0, 'alpha') };
    case T.TransposeConvOptions:
      return {
        kind: 'TransposeConvOptions', padding: padding(t, 0), strideW: t.i32(1, 'stride_w'), strideH: t.i32(2, 'stride_h'),
        activation: activation(t, 3),
      };
    default:
      return { kind: 'Other', unionType: type };
  }
}
