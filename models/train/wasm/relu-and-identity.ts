/**
 * Elementwise kernels the WASM backend runs on every activation of a training step:
 * - Relu: SIMD forward (relu-simd.ts) for float32 tensors whose size is a multiple of 4;
 * - a Relu gradient as one SIMD kernel (TinyserReluGrad) instead of mul(dy, step(cast(x)));
 * - Identity sharing the input's data (a reference count, as Reshape does) instead of copying:
 *   tfjs-core clones every tensor it saves for the backward pass through Identity, and the WASM
 *   backend's Identity copies, ~30 full activation copies per DS-CNN step. Tensors are immutable,
 *   so sharing is safe; the data lives until the last reference is disposed. Same for a Cast to
 *   the tensor's own dtype.
 */
import * as tf from '@tensorflow/tfjs-core';
import { util, type GradConfig, type KernelConfig, type KernelFunc, type Tensor, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapPointer, trainingSimdKernels } from './training-simd-module.js';

export const RELU_GRAD = 'TinyserReluGrad';

function simdEligible(t: TensorInfo): boolean {
  return t.dtype === 'float32' && util.sizeFromShape(t.shape) % 4 === 0;
}

export function reluWasmConfig(libraryRelu: KernelFunc): KernelConfig {
  return {
    kernelName: 'Relu',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs.x as TensorInfo;
      const simd = simdEligible(x) ? trainingSimdKernels(args.backend) : null;
      if (!simd) return libraryRelu(args);
      const wasm = args.backend as unknown as BackendWasm;
      const y = wasm.makeOutput([...x.shape], 'float32');
      simd.reluForward(heapPointer(wasm, x), heapPointer(wasm, y), 4 * util.sizeFromShape(x.shape));
      return y;
    },
  };
}

const reluGradKernel: KernelFunc = ({ inputs, backend }) => {
  const dy = inputs.dy as TensorInfo;
  const x = inputs.x as TensorInfo;
  const simd = trainingSimdKernels(backend)!;
  const wasm = backend as unknown as BackendWasm;
  const dx = wasm.makeOutput([...x.shape], 'float32');
  simd.reluGrad(heapPointer(wasm, dy), heapPointer(wasm, x), heapPointer(wasm, dx), 4 * util.sizeFromShape(x.shape));
  return dx;
};

export const reluGradWasmConfig: KernelConfig = { kernelName: RELU_GRAD, backendName: 'wasm', kernelFunc: reluGradKernel };

/** Replaces tfjs-core's Relu gradient: the SIMD kernel on WASM, the library's math elsewhere. */
export const reluGradConfig: GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const g = dy as Tensor;
    const [x] = saved as [Tensor];
    const fused = tf.getBackend() === 'wasm' && simdEligible(x) && g.dtype === 'float32' && trainingSimdKernels(tf.backend()) !== null;
    return {
      x: () => (fused ? (tf.engine().runKernel(RELU_GRAD, { dy: g, x }) as Tensor) : tf.mul(g, tf.step(tf.cast(x, 'float32')))),
    };
  },
};

/** Cast to the same dtype (the Identity gradient casts dy to float32) shares data like Identity. */
export function castWasmConfig(libraryCast: KernelFunc): KernelConfig {
  return {
    kernelName: 'Cast',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs.x as TensorInfo;
      if ((args.attrs as { dtype?: string }).dtype !== x.dtype || x.dtype === 'string') return libraryCast(args);
      (args.backend as unknown as BackendWasm).incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    },
  };
}

export const identityShareWasmConfig: KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs.x as TensorInfo;
    (backend as unknown as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  },
};
