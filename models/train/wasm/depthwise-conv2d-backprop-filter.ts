/**
 * DepthwiseConv2dNativeBackpropFilter for the WASM backend. With channel multiplier M,
 *   dW[kh,kw,c,m] = sum_{n,i,j} xPad[n, i*sh+kh, j*sw+kw, c] * dy[n,i,j,c*M+m].
 * Folding the batch into the channel axis turns this into ONE depthwise convolution: input xPad as
 * [1, H, W, n*C], filter dy as [Ho, Wo, n*C, M] dilated by the stride, 'valid'; the output
 * [1, kh, kw, n*C*M] is summed over n. (The batch<->channel swap used for dense conv would compute
 * all C x C channel pairs and keep only the diagonal.)
 *
 * That XNNPACK route runs a [Ho, Wo]-sized kernel over n*C channels, which XNNPACK's depthwise
 * microkernels (built for 3x3/5x5) do slowly: ~300 ms per DS-CNN block on [32,75,10,64]. The work
 * is only n*Ho*Wo*kh*kw*C*M multiply-adds (14 M there), so small filters (kh*kw <= 49) are
 * accumulated by a direct loop over the WASM heap instead (float64 accumulators), ~10x faster.
 */
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { patchExtentInput, release, requireUnitDilation, runWasmKernel } from './kernel-utils.js';
import { heapF32, heapPointer, trainingSimdKernels, type TrainingSimdKernels } from './training-simd-module.js';

const depthwiseBackpropFilterWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: [number, number] | number;
    dilations?: [number, number] | number;
    pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  requireUnitDilation('DepthwiseConv2dNativeBackpropFilter', dilations);
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, true);
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, inHeight, inWidth, outHeight, outWidth } = info;
  const [n, , , c] = x.shape as [number, number, number, number];
  const m = filterShape[3];
  if (m === 1 && c % 4 === 0 && x.dtype === 'float32') {
    const simd = trainingSimdKernels(backend);
    if (simd) {
      return depthwiseFilterGradSimd(backend as unknown as BackendWasm, simd, x, dy, {
        kh, kw, sh, sw, outHeight, outWidth, inHeight, inWidth, padTop: info.padInfo.top, padLeft: info.padInfo.left,
      });
    }
  }
  if (kh * kw <= 49) {
    return depthwiseFilterGradDirect(backend as unknown as BackendWasm, x, dy, {
      kh, kw, sh, sw, m, outHeight, outWidth, inHeight, inWidth, padTop: info.padInfo.top, padLeft: info.padInfo.left,
    });
  }
  const { xPad, needH, needW } = patchExtentInput(backend, x, info);
  const xT = runWasmKernel(backend, 'Transpose', { x: xPad }, { perm: [1, 2, 0, 3] });
  const xFold = runWasmKernel(backend, 'Reshape', { x: xT }, { shape: [1, needH, needW, n * c] });
  const dyT = runWasmKernel(backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const dyFold = runWasmKernel(backend, 'Reshape', { x: dyT }, { shape: [outHeight, outWidth, n * c, m] });
  const conv = runWasmKernel(backend, 'DepthwiseConv2dNative', { x: xFold, filter: dyFold }, {
    strides: [1, 1],
    pad: 'valid',
    dilations: [sh, sw],
  });
  const perExample = runWasmKernel(backend, 'Reshape', { x: conv }, { shape: [kh, kw, n, c * m] });
  const summed = runWasmKernel(backend, 'Sum', { x: perExample }, { axis: [2], keepDims: false });
  const dW = runWasmKernel(backend, 'Reshape', { x: summed }, { shape: [kh, kw, c, m] });
  release(backend, xPad, xT, xFold, dyT, dyFold, conv, perExample, summed);
  return dW;
};

function depthwiseFilterGradDirect(
  wasm: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  g: { kh: number; kw: number; sh: number; sw: number; m: number; outHeight: number; outWidth: number; inHeight: number; inWidth: number; padTop: number; padLeft: number },
): TensorInfo {
  const [n, , , c] = x.shape as [number, number, number, number];
  const cm = c * g.m;
  const xv = wasm.typedArrayFromHeap(x) as Float32Array;
  const dyv = wasm.typedArrayFromHeap(dy) as Float32Array;
  const acc = new Float64Array(g.kh * g.kw * cm);
  for (let e = 0; e < n; e++) {
    for (let i = 0; i < g.outHeight; i++) {
      for (let j = 0; j < g.outWidth; j++) {
        const dyOff = ((e * g.outHeight + i) * g.outWidth + j) * cm;
        for (let a = 0; a < g.kh; a++) {
          const yy = i * g.sh + a - g.padTop;
          if (yy < 0 || yy >= g.inHeight) continue;
          for (let b = 0; b < g.kw; b++) {
            const xx = j * g.sw + b - g.padLeft;
            if (xx < 0 || xx >= g.inWidth) continue;
            const xOff = ((e * g.inHeight + yy) * g.inWidth + xx) * c;
            const accOff = (a * g.kw + b) * cm;
            if (g.m === 1) {
              for (let k = 0; k < c; k++) acc[accOff + k] += xv[xOff + k]! * dyv[dyOff + k]!;
            } else {
              for (let k = 0; k < c; k++) {
                const xk = xv[xOff + k]!;
                for (let q = 0; q < g.m; q++) acc[accOff + k * g.m + q] += xk * dyv[dyOff + k * g.m + q]!;
              }
            }
          }
        }
      }
    }
  }
  const out = wasm.makeOutput([g.kh, g.kw, c, g.m], 'float32');
  (wasm.typedArrayFromHeap(out) as Float32Array).set(acc);
  return out;
}

/**
 * Multiplier 1, C % 4 == 0: the SIMD loop (depthwise-grad-simd.ts) accumulates each image in
 * float32 lanes, and the per-image sums are added in float64 here, in image order.
 */
function depthwiseFilterGradSimd(
  wasm: BackendWasm,
  simd: TrainingSimdKernels,
  x: TensorInfo,
  dy: TensorInfo,
  g: { kh: number; kw: number; sh: number; sw: number; outHeight: number; outWidth: number; inHeight: number; inWidth: number; padTop: number; padLeft: number },
): TensorInfo {
  const [n, , , c] = x.shape as [number, number, number, number];
  const taps = g.kh * g.kw * c;
  const scratch = wasm.makeOutput([taps], 'float32');
  const out = wasm.makeOutput([g.kh, g.kw, c, 1], 'float32');
  const xPtr = heapPointer(wasm, x);
  const dyPtr = heapPointer(wasm, dy);
  const accPtr = heapPointer(wasm, scratch);
  const xImage = g.inHeight * g.inWidth * c * 4;
  const dyImage = g.outHeight * g.outWidth * c * 4;
  const total = new Float64Array(taps);
  for (let e = 0; e < n; e++) {
    simd.zeroBytes(accPtr, taps * 4);
    simd.dwFilterGradImage(xPtr + e * xImage, dyPtr + e * dyImage, accPtr, g.inHeight, g.inWidth, g.outHeight, g.outWidth, c * 4,
      g.kh, g.kw, g.sh, g.sw, g.padTop, g.padLeft);
    const acc = heapF32(simd, accPtr, taps);
    for (let k = 0; k < taps; k++) total[k] += acc[k]!;
  }
  heapF32(simd, heapPointer(wasm, out), taps).set(total);
  release(wasm, scratch);
  return out;
}

export const depthwiseConv2dBackpropFilterWasmConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilterWasm,
};
