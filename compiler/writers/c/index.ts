/** Generated-C writer: .tflite -> model.h / model.c calling firmware-assets/src/kernels/. */
export { generateModelC, generateModelCFromTflite, type GenerateCOptions, type GeneratedModelC, type GeneratedOpInfo } from './generate-c.js';
export { writeModelC } from './write-files.js';
export { prepareModelOps, type PreparedModel, type PreparedOp } from './prepared-ops.js';
export { KERNELS_DIR, kernelSourceFiles, kernelHeaderFiles } from './kernel-sources.js';
export { buildHostRunner, runHostRunner, benchHostRunner, crossCompileCheck, hostRunnerC, STRICT_C_FLAGS, CORTEX_M4_FLAGS, type HostBuildOptions, type RunnerRecord } from './host-runner.js';
export { verifyGeneratedC, seededInputs, type GeneratedCVerification, type GeneratedCMismatch } from './verify.js';
export { runOnQemuM4, haveQemuM4Tools, fnv1a32, INSTRUCTIONS_PER_SYSTICK, type QemuM4Run } from './qemu-m4.js';
