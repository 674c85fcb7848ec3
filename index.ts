/**
 * The tinyser library API: everything the CLI does is also a typed function here, grouped by the
 * part of the pipeline it belongs to (lower layers first).
 */
export * from './common/errors.js';
export * as audio from './runtime-sim/audio/index.js';
export * as frontend from './runtime-sim/frontend/index.js';
export * as tflmFrontend from './runtime-sim/frontend/tflm/index.js';
export * as interpreter from './runtime-sim/interpreter/index.js';
export * as compiler from './compiler/index.js';
export * as datasets from './models/datasets/index.js';
export * as augment from './models/augment/index.js';
export * as metrics from './models/metrics/index.js';
export * as architectures from './models/architectures/index.js';
export * as device from './device-bridge/index.js';
export * as training from './models/train/index.js';
export * as distillation from './models/distill/index.js';
export * as modelExport from './models/export/index.js';
export { runDemo, checkDemoTools } from './demo/run-demo.js';
