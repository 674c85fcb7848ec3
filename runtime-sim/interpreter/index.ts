/** Public API of the int8 interpreter (see README.md). */
export { loadTfliteModel, type TfliteModel, type TfliteTensor, type TfliteOperator, type TfliteSubgraph, type TfliteQuantization } from './tflite/model.js';
export { createInterpreter, Interpreter, type Arithmetic, type InterpreterOptions, type InvokeOptions, type RunDump, type TensorDump, type OpObserver } from './interpreter.js';
export { dequantize, type RuntimeTensor, type TensorInfo, type TensorData } from './tensor.js';
export { ModelFormatError, UnsupportedOpError } from './errors.js';
export { diffRuns, diffTensors, type LayerDiff, type DiffOptions } from './diff.js';
export { supportedBuiltinCodes } from './kernels/index.js';
export { runModel, type RunModelResult, type RunModelOptions } from './run-model.js';
