/** Public API of the compiler (see compiler/README.md). */
export { compileGraph, loadModelFile, writeCompileOutputs, estimatePersistentBytes, type CompileOptions, type CompileResult } from './compile.js';
export { importOnnx, SUPPORTED_ONNX_OPS, type OnnxImportOptions } from './import/onnx/import-onnx.js';
export { importTfjsArtifacts, importTfjsModelFile, SUPPORTED_TFJS_LAYERS, type TfjsArtifacts, type TfjsWeightSpec } from './import/tfjs/import-tfjs.js';
export type { Graph, Node, Tensor, QuantParams, DType, FusedActivation, OpType } from './ir/graph.js';
export { evaluateGraphFloat64, type Float64Tensor, type Float64Run } from './ir/evaluate-float64.js';
export { optimizeGraph, STANDARD_PASSES, foldTransposeIntoFullyConnected, inferShapes, foldConstants, foldBatchNorm, fuseActivations, fuseBiasAdd, removeDeadNodes, cleanupTransposeReshape, legalizePadding } from './passes/index.js';
export { quantizeGraph, type QuantizeOptions, type QuantizeResult } from './quantize/quantize.js';
export { loadCalibration, registerWavFeatureExtractor, parseNpy, type WavFeatureExtractor } from './quantize/calibration-source.js';
export type { CalibrationSet } from './quantize/calibrate.js';
export type { RangeMethod } from './quantize/range.js';
export { writeTflite, type TfliteWriteResult } from './writers/tflite/tflite-writer.js';
export { writeTflmArtifacts, type TflmArtifacts } from './writers/tflm/tflm-writer.js';
export { planArena, lifetimesFromGraph, lowerBound, type ArenaPlan, type PlanTensor } from './writers/planner.js';
export { reportHtml, type CompileReport, type LayerReport, type AgreementReport } from './writers/report/report.js';
export { loadTfliteRuntime, openTfliteRuntime, runTfliteRuntime, type TfliteRuntimeSession } from './verify/tflite-runtime.js';
export { compareOpByOp, runInt8WithInterpreter, runInt8WithTfliteRuntime, quantizeInt8, dequantizeInt8 } from './verify/agreement.js';
export { ModelFormatError, UnsupportedOpError } from './errors.js';
export { CORTEX_M4_168, CORTEX_M7_480, estimateLatencyMs } from './cost-model.js';
