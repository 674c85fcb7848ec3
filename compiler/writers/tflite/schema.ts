/**
 * The subset of tensorflow/lite/schema/schema.fbs the writer uses: enum values and field ids
 * (field id = declaration order in the schema; union fields take two ids: type then value).
 */
export const TFLITE_SCHEMA_VERSION = 3;
export const TFLITE_FILE_IDENTIFIER = 'TFL3';

export const TensorType = { FLOAT32: 0, INT32: 2, INT8: 9 } as const;

export const BuiltinOperator = {
  ADD: 0,
  AVERAGE_POOL_2D: 1,
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  FULLY_CONNECTED: 9,
  LOGISTIC: 14,
  MAX_POOL_2D: 17,
  MUL: 18,
  RELU: 19,
  RELU6: 21,
  RESHAPE: 22,
  SOFTMAX: 25,
  TANH: 28,
  PAD: 34,
  TRANSPOSE: 39,
  MEAN: 40,
  TRANSPOSE_CONV: 67,
  LEAKY_RELU: 98,
} as const;
export type BuiltinOperatorName = keyof typeof BuiltinOperator;

export const BuiltinOptions = {
  NONE: 0,
  Conv2DOptions: 1,
  DepthwiseConv2DOptions: 2,
  Pool2DOptions: 5,
  FullyConnectedOptions: 8,
  SoftmaxOptions: 9,
  ConcatenationOptions: 10,
  AddOptions: 11,
  ReshapeOptions: 17,
  MulOptions: 21,
  PadOptions: 22,
  TransposeOptions: 26,
  ReducerOptions: 27,
  TransposeConvOptions: 49,
  LeakyReluOptions: 75,
} as const;

export const Padding = { SAME: 0, VALID: 1 } as const;
export const ActivationFunctionType = { NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3 } as const;

/** Field ids per table. */
export const F = {
  Model: { version: 0, operator_codes: 1, subgraphs: 2, description: 3, buffers: 4, metadata_buffer: 5, metadata: 6 },
  OperatorCode: { deprecated_builtin_code: 0, custom_code: 1, version: 2, builtin_code: 3 },
  SubGraph: { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 },
  Tensor: { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4, is_variable: 5 },
  QuantizationParameters: { min: 0, max: 1, scale: 2, zero_point: 3, details_type: 4, details: 5, quantized_dimension: 6 },
  Operator: { opcode_index: 0, inputs: 1, outputs: 2, builtin_options_type: 3, builtin_options: 4 },
  Buffer: { data: 0 },
  Metadata: { name: 0, buffer: 1 },
  Conv2DOptions: { padding: 0, stride_w: 1, stride_h: 2, fused_activation_function: 3, dilation_w_factor: 4, dilation_h_factor: 5 },
  DepthwiseConv2DOptions: { padding: 0, stride_w: 1, stride_h: 2, depth_multiplier: 3, fused_activation_function: 4, dilation_w_factor: 5, dilation_h_factor: 6 },
  Pool2DOptions: { padding: 0, stride_w: 1, stride_h: 2, filter_width: 3, filter_height: 4, fused_activation_function: 5 },
  FullyConnectedOptions: { fused_activation_function: 0, weights_format: 1, keep_num_dims: 2 },
  SoftmaxOptions: { beta: 0 },
  ConcatenationOptions: { axis: 0, fused_activation_function: 1 },
  AddOptions: { fused_activation_function: 0 },
  MulOptions: { fused_activation_function: 0 },
  ReshapeOptions: { new_shape: 0 },
  ReducerOptions: { keep_dims: 0 },
  LeakyReluOptions: { alpha: 0 },
  TransposeConvOptions: { padding: 0, stride_w: 1, stride_h: 2, fused_activation_function: 3 },
} as const;

/**
 * Operator versions for int8 kernels (tensorflow/lite/tools/versioning/op_version.cc):
 * int8 CONV_2D and DEPTHWISE_CONV_2D are 3, int8 FULLY_CONNECTED is 4, most other int8 ops 2.
 */
export const INT8_OP_VERSION: Record<BuiltinOperatorName, number> = {
  ADD: 2,
  AVERAGE_POOL_2D: 2,
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 3,
  FULLY_CONNECTED: 4,
  LOGISTIC: 2,
  MAX_POOL_2D: 2,
  MUL: 2,
  RELU: 2,
  RELU6: 2,
  RESHAPE: 1,
  SOFTMAX: 2,
  TANH: 2,
  PAD: 2,
  TRANSPOSE: 2,
  MEAN: 2,
  // v3: int8 with a bias operand (4 inputs). v4 (fused activation, TFLite 2.13) is never written:
  // TFLM's int8 TRANSPOSE_CONV ignores the fused activation, so a ReLU after it stays a RELU op.
  TRANSPOSE_CONV: 3,
  LEAKY_RELU: 1,
};

/**
 * The TFLite release that introduced each (op, version) we emit (op_version's runtime table);
 * the file's "min_runtime_version" metadata is the maximum over its operators.
 */
export const MIN_RUNTIME_VERSION: Record<BuiltinOperatorName, string> = {
  ADD: '1.14.0',
  AVERAGE_POOL_2D: '1.14.0',
  CONCATENATION: '1.14.0',
  CONV_2D: '1.14.0',
  DEPTHWISE_CONV_2D: '1.14.0',
  FULLY_CONNECTED: '1.14.0',
  LOGISTIC: '1.14.0',
  MAX_POOL_2D: '1.14.0',
  MUL: '1.14.0',
  RELU: '2.1.0',
  RELU6: '2.1.0',
  RESHAPE: '1.5.0',
  SOFTMAX: '1.14.0',
  TANH: '1.14.0',
  PAD: '1.14.0',
  TRANSPOSE: '1.14.0',
  MEAN: '1.14.0',
  TRANSPOSE_CONV: '2.3.0',
  LEAKY_RELU: '1.14.0',
};

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
