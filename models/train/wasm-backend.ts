/**
 * Training backend: tfjs-backend-wasm in Node plus the gradient kernels it lacks.
 *
 * The WASM binary is read from node_modules (no network). tfjs-backend-wasm registers forward
 * kernels only for convolutions; the kernels in ./wasm/ add the gradients (hand-assembled WASM
 * SIMD on the backend's heap where the shapes allow, XNNPACK forward kernels otherwise), a fused
 * training batch norm (+ ReLU) and copy-free Identity/Cast. Multithreading: in Node the backend
 * reports WASM_HAS_MULTITHREAD_SUPPORT = false (its worker pool is built from Blob URLs, a
 * browser-only path), so `threads` here is the backend's own count (1); training uses two cores
 * by data parallelism instead (./parallel/).
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle carries no gradient functions; tfjs-layers' bundle registers all of them.
import '@tensorflow/tfjs-layers';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { conv2dBackpropFilterWasmConfig } from './wasm/conv2d-backprop-filter.js';
import { conv2dBackpropInputWasmConfig } from './wasm/conv2d-backprop-input.js';
import { depthwiseConv2dBackpropFilterWasmConfig } from './wasm/depthwise-conv2d-backprop-filter.js';
import { depthwiseConv2dBackpropInputWasmConfig } from './wasm/depthwise-conv2d-backprop-input.js';
import { fusedBatchNormBroadcastGradConfig } from './wasm/fused-batch-norm-grad.js';
import { fusedBatchNormAffineWasmConfig } from './wasm/fused-batch-norm-forward.js';
import { installLazyFusedConvGradients } from './wasm/lazy-fused-conv-gradients.js';
import { leadingAxesReduceConfigs } from './wasm/leading-axes-reduce.js';
import { batchNormTrainingGradConfig, batchNormTrainingGradWasmConfig, batchNormTrainingWasmConfig } from './wasm/batch-norm-training.js';
import { installBatchNormTrainingPatch } from './wasm/batch-norm-layer-patch.js';
import { conv2dSingleChannelWasmConfig } from './wasm/conv2d-single-channel.js';
import { castWasmConfig, identityShareWasmConfig, reluGradConfig, reluGradWasmConfig, reluWasmConfig } from './wasm/relu-and-identity.js';
import { TinyserError, errorMessage } from '../../common/errors.js';

export interface WasmBackendInfo {
  backend: string;
  simd: boolean;
  threads: number;
  /** Gradient kernels tinyser registered for 'wasm'. */
  gradientKernels: string[];
}

/** Kernel names tinyser adds (or replaces) on the WASM backend. */
export const WASM_GRADIENT_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'TinyserBatchNormTraining',
  'TinyserBatchNormTrainingGrad',
  'TinyserReluGrad',
] as const;

let initPromise: Promise<WasmBackendInfo> | undefined;

/** Registers the gradient kernels for backend 'wasm' (idempotent). Safe before or after init. */
export function registerWasmGradientKernels(): void {
  const configs = [
    conv2dBackpropFilterWasmConfig,
    conv2dBackpropInputWasmConfig,
    depthwiseConv2dBackpropFilterWasmConfig,
    depthwiseConv2dBackpropInputWasmConfig,
    fusedBatchNormAffineWasmConfig,
    batchNormTrainingWasmConfig,
    batchNormTrainingGradWasmConfig,
    reluGradWasmConfig,
    identityShareWasmConfig,
  ];
  for (const config of configs) {
    const existing = tf.getKernel(config.kernelName, 'wasm');
    if (existing?.kernelFunc === config.kernelFunc) continue;
    // tfjs-backend-wasm's own Conv2DBackpropInput is a scalar C loop and its FusedBatchNorm is
    // ~3x slower than two broadcasting XNNPACK ops; ours replace them.
    if (existing) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
  if (!gradientOverridden) {
    // Replaces tfjs-core's tiling FusedBatchNorm gradient (backend independent, same math).
    tf.registerGradient(fusedBatchNormBroadcastGradConfig);
    tf.registerGradient(batchNormTrainingGradConfig);
    tf.registerGradient(reluGradConfig);
    gradientOverridden = true;
  }
  installLazyFusedConvGradients();
  installBatchNormTrainingPatch();
  if (!reluReplaced) {
    const relu = tf.getKernel('Relu', 'wasm');
    const cast = tf.getKernel('Cast', 'wasm');
    const conv2d = tf.getKernel('Conv2D', 'wasm');
    if (relu && cast && conv2d) {
      // wrappers keep the library kernels (and their WASM setup) for the cases they do not cover
      const wrapped = [
        [reluWasmConfig(relu.kernelFunc), relu],
        [castWasmConfig(cast.kernelFunc), cast],
        [conv2dSingleChannelWasmConfig(conv2d.kernelFunc), conv2d],
      ] as const;
      for (const [config, lib] of wrapped) {
        tf.unregisterKernel(config.kernelName, 'wasm');
        tf.registerKernel({ ...config, setupFunc: lib.setupFunc });
      }
      reluReplaced = true;
    }
  }
  if (!reducesReplaced) {
    const sum = tf.getKernel('Sum', 'wasm');
    const mean = tf.getKernel('Mean', 'wasm');
    if (sum && mean) {
      for (const config of leadingAxesReduceConfigs(sum.kernelFunc, mean.kernelFunc)) {
        // keep the original setupFunc: the fallback path needs its cwrap'd WASM entry point
        const setupFunc = config.kernelName === 'Sum' ? sum.setupFunc : mean.setupFunc;
        tf.unregisterKernel(config.kernelName, 'wasm');
        tf.registerKernel({ ...config, setupFunc });
      }
      reducesReplaced = true;
    }
  }
}
let reducesReplaced = false;
let reluReplaced = false;
let gradientOverridden = false;

export function wasmBinaryDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
}

/** Initialises tfjs on the WASM backend for training; later calls return the same result. */
export function initWasmTraining(): Promise<WasmBackendInfo> {
  initPromise ??= (async () => {
    registerWasmGradientKernels();
    try {
      setWasmPaths(wasmBinaryDir());
    } catch {
      // already initialised by someone else in this process: the paths no longer matter
    }
    let ok: boolean;
    try {
      ok = await tf.setBackend('wasm');
    } catch (e) {
      throw new TinyserError('TOOLCHAIN', `could not start the tfjs WASM backend from ${wasmBinaryDir()}: ${errorMessage(e)}`);
    }
    if (!ok) throw new TinyserError('TOOLCHAIN', `tfjs WASM backend failed to initialise (binaries in ${wasmBinaryDir()})`);
    await tf.ready();
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    return { backend: tf.getBackend(), simd, threads: getThreadsCount(), gradientKernels: [...WASM_GRADIENT_KERNELS] };
  })();
  return initPromise;
}
