/**
 * Conv2D forward on WASM for single-input-channel layers (NHWC, dilation 1, float32, Co % 16 == 0,
 * an even number of output positions) through patch-conv-forward-simd.ts: x is zero-padded once
 * to the extent the conv reads, then each output position reads its taps through offset tables.
 * The DS-CNN's first 10x4 conv over [300, 40, 1] is a third of the model's MACs, and XNNPACK runs
 * it at ~4 GMAC/s. Every other Conv2D goes to the library kernel.
 */
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { patchExtentInput, release } from './kernel-utils.js';
import { heapPointer, trainingSimdKernels } from './training-simd-module.js';

export function conv2dSingleChannelWasmConfig(libraryConv2d: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const filter = args.inputs.filter as TensorInfo;
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as {
      strides: [number, number] | number;
      pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
      dataFormat?: string;
      dilations?: [number, number] | number;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
    };
    const unitDilation = dilations == null || (Array.isArray(dilations) ? dilations.every((d) => d === 1) : dilations === 1);
    const nhwc = dataFormat === undefined || dataFormat === 'NHWC' || dataFormat === 'channelsLast';
    if (x.shape[3] !== 1 || !unitDilation || !nhwc || x.dtype !== 'float32' || filter.dtype !== 'float32' || filter.shape[3]! % 16 !== 0) {
      return libraryConv2d(args);
    }
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, outHeight, outWidth, outChannels: co } = info;
    const n = x.shape[0]!;
    const positions = n * outHeight * outWidth;
    const simd = positions % 2 === 0 ? trainingSimdKernels(args.backend) : null;
    if (!simd) return libraryConv2d(args);
    const wasm = args.backend as unknown as BackendWasm;
    const { xPad, needH, needW } = patchExtentInput(wasm, x, info);
    const baseTable = wasm.makeOutput([positions], 'int32');
    const offTable = wasm.makeOutput([kh * kw], 'int32');
    const y = wasm.makeOutput([n, outHeight, outWidth, co], 'float32');
    const base = wasm.typedArrayFromHeap(baseTable) as Int32Array;
    let p = 0;
    for (let e = 0; e < n; e++) {
      for (let i = 0; i < outHeight; i++) {
        for (let j = 0; j < outWidth; j++) base[p++] = ((e * needH + i * sh) * needW + j * sw) * 4;
      }
    }
    const off = wasm.typedArrayFromHeap(offTable) as Int32Array;
    for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) off[a * kw + b] = (a * needW + b) * 4;
    simd.patchConvForward(heapPointer(wasm, xPad), heapPointer(wasm, baseTable), heapPointer(wasm, offTable), heapPointer(wasm, filter),
      heapPointer(wasm, y), positions, kh * kw, co * 4);
    release(wasm, xPad, baseTable, offTable);
    return y;
  };
  return { kernelName: 'Conv2D', backendName: 'wasm', kernelFunc };
}
