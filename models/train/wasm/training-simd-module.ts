/**
 * Instantiates tinyser's float32 SIMD training kernels against tfjs-backend-wasm's own memory
 * (imported, so the kernels read and write tensors in place by heap byte offset) and gives typed
 * access to them. Returns null when this runtime lacks WebAssembly SIMD or the backend does not
 * expose its memory; callers then keep their portable paths.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { encodeModuleImportingMemory } from './simd-assembler.js';
import { bnAffineFunction, bnGradInputFunction, bnGradSumsFunction, bnShiftedMomentsFunction } from './batch-norm-simd.js';
import { dwFilterGradImageFunction, dwInputGradImageFunction, zeroBytesFunction } from './depthwise-grad-simd.js';
import { patchGemmFunction } from './patch-gemm-simd.js';
import { patchConvForwardFunction } from './patch-conv-forward-simd.js';
import { reluForwardFunction, reluGradFunction } from './relu-simd.js';

type I32Fn<N extends number, A extends number[] = []> = A['length'] extends N ? (...args: A) => void : I32Fn<N, [...A, number]>;

export interface TrainingSimdKernels {
  memory: WebAssembly.Memory;
  bnShiftedMoments: I32Fn<10>;
  bnGradSums: I32Fn<10>;
  bnReluGradSums: I32Fn<10>;
  bnAffine: I32Fn<6>;
  bnAffineRelu: I32Fn<6>;
  bnGradInput: I32Fn<9>;
  bnReluGradInput: I32Fn<9>;
  dwFilterGradImage: I32Fn<14>;
  dwInputGradImage: I32Fn<14>;
  zeroBytes: I32Fn<2>;
  patchGemm: I32Fn<8>;
  patchConvForward: I32Fn<8>;
  reluForward: I32Fn<3>;
  reluGrad: I32Fn<4>;
}

let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, TrainingSimdKernels>();

function compiledModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  const bytes = encodeModuleImportingMemory([
    bnShiftedMomentsFunction(),
    bnGradSumsFunction(false),
    bnGradSumsFunction(true),
    bnAffineFunction(false),
    bnAffineFunction(true),
    bnGradInputFunction(false),
    bnGradInputFunction(true),
    dwFilterGradImageFunction(),
    dwInputGradImageFunction(),
    zeroBytesFunction(),
    patchGemmFunction(),
    patchConvForwardFunction(),
    reluForwardFunction(),
    reluGradFunction(),
  ]);
  // An invalid module is a bug in the assembler or a kernel body: let the CompileError (which names
  // the function and byte offset) surface instead of silently falling back.
  compiled = typeof WebAssembly === 'undefined' ? null : new WebAssembly.Module(bytes);
  return compiled;
}

/** The kernels bound to this backend's heap, or null (no SIMD, or a backend without memory). */
export function trainingSimdKernels(backend: object): TrainingSimdKernels | null {
  const memory = (backend as { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  const cached = instances.get(memory);
  if (cached) return cached;
  const mod = compiledModule();
  if (!mod) return null;
  const exports = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as Omit<TrainingSimdKernels, 'memory'>;
  const kernels: TrainingSimdKernels = { ...exports, memory };
  instances.set(memory, kernels);
  return kernels;
}

/** Byte offset of a tensor's data on the WASM heap. */
export function heapPointer(backend: object, t: TensorInfo): number {
  return ((backend as BackendWasm).typedArrayFromHeap(t) as Float32Array).byteOffset;
}

/** A float64 view of the heap (fresh each call: the heap may have grown since). */
export function heapF64(kernels: TrainingSimdKernels, byteOffset: number, length: number): Float64Array {
  return new Float64Array(kernels.memory.buffer, byteOffset, length);
}

export function heapF32(kernels: TrainingSimdKernels, byteOffset: number, length: number): Float32Array {
  return new Float32Array(kernels.memory.buffer, byteOffset, length);
}
