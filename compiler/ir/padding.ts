/** TFLite has only SAME and VALID padding: map explicit [top, left, bottom, right] pads to them. */
import { convOutSize } from './shapes.js';

export type TflitePadding = 'SAME' | 'VALID';

/** TFLite's SAME padding before/after one spatial axis (extra pixel goes after, as in TFLite). */
export function samePadding(inSize: number, k: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + (k - 1) * dilation + 1 - inSize, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * True when SAME padding on some axis would need a negative total, (out - 1) * stride + effective
 * kernel - in < 0: the last input rows or columns are never read and SAME pads nothing there.
 * TFLite's XNNPACK delegate (as built into tfjs-tflite) computes such convolutions wrongly (mostly
 * zeros; measured for kernels 1x3 / 3x1 at stride 2 on even sizes), so the compiler writes them
 * with an explicit Pad and VALID instead (passes/legalize-padding.ts). Pools are unaffected.
 */
export function sameHasNegativeSlack(inHW: [number, number], kernel: [number, number], strides: [number, number], dilations: [number, number]): boolean {
  for (let ax = 0; ax < 2; ax++) {
    const out = Math.ceil(inHW[ax]! / strides[ax]!);
    if ((out - 1) * strides[ax]! + (kernel[ax]! - 1) * dilations[ax]! + 1 - inHW[ax]! < 0) return true;
  }
  return false;
}

/** SAME or VALID if the explicit pads are exactly one of them, else null (a Pad op is needed). */
export function tflitePaddingOf(
  inHW: [number, number],
  kernel: [number, number],
  strides: [number, number],
  dilations: [number, number],
  pads: readonly [number, number, number, number],
): TflitePadding | null {
  if (pads.every((p) => p === 0)) return 'VALID';
  const [st, sb] = samePadding(inHW[0], kernel[0], strides[0], dilations[0]);
  const [sl, sr] = samePadding(inHW[1], kernel[1], strides[1], dilations[1]);
  if (pads[0] === st && pads[2] === sb && pads[1] === sl && pads[3] === sr) {
    const oh = convOutSize(inHW[0], kernel[0], strides[0], dilations[0], st, sb);
    const ow = convOutSize(inHW[1], kernel[1], strides[1], dilations[1], sl, sr);
    if (oh === Math.ceil(inHW[0] / strides[0]) && ow === Math.ceil(inHW[1] / strides[1])) return 'SAME';
  }
  return null;
}

/** TFLite's leading padding of TRANSPOSE_CONV for an output of `outSize` (padding.h, dilation 1). */
export function transposeConvLeadingPad(mode: TflitePadding, outSize: number, k: number, stride: number): number {
  // ComputePaddingHeightWidth runs the forward-conv formulas on the transposed conv's output size;
  // integer division truncates as in C++
  const fwdOut = mode === 'SAME' ? Math.trunc((outSize + stride - 1) / stride) : Math.trunc((outSize + stride - k) / stride);
  const total = Math.max((fwdOut - 1) * stride + k - outSize, 0);
  return Math.trunc(total / 2);
}

/**
 * TFLite's forward-conv view of a transposed convolution: the input size a convolution with this
 * padding would produce from the transposed conv's output. TFLite's optimised TRANSPOSE_CONV
 * (col2im) and XNNPACK derive the input rows from it, so it must equal the real input size, or they
 * scatter the wrong rows (TFLM's reference loop would not notice; measured here: 94 % of the values
 * differ for a k5 s3 layer whose output is one row too long).
 */
export function transposeConvForwardSize(mode: TflitePadding, outSize: number, k: number, stride: number): number {
  return mode === 'SAME' ? Math.trunc((outSize + stride - 1) / stride) : Math.trunc((outSize + stride - k) / stride);
}

/**
 * SAME or VALID if TFLite's TRANSPOSE_CONV crops exactly `pads[0]` rows and `pads[1]` columns at
 * the start for this output size and its forward-conv view gives back the input size, else null.
 * (The end needs no check: the output_shape operand sets the size, and rows past the scattered
 * extent get only the bias, as ONNX output_padding.)
 */
export function tflitePaddingOfTransposeConv(
  inHW: [number, number],
  outHW: [number, number],
  kernel: [number, number],
  strides: [number, number],
  pads: readonly [number, number, number, number],
): TflitePadding | null {
  const ok = (mode: TflitePadding, ax: number) =>
    transposeConvLeadingPad(mode, outHW[ax], kernel[ax], strides[ax]) === pads[ax] && transposeConvForwardSize(mode, outHW[ax], kernel[ax], strides[ax]) === inHW[ax];
  for (const mode of ['VALID', 'SAME'] as const) if (ok(mode, 0) && ok(mode, 1)) return mode;
  return null;
}

export interface TransposeConvKernelPlan {
  padding: TflitePadding;
  /** Zero taps to add per axis: [[before H, after H], [before W, after W]]. */
  extend: [[number, number], [number, number]];
}

/**
 * How to make a transposed convolution TFLite-expressible without changing a single output value:
 * zero taps prepended to the kernel shift the scattered map down/right by one row/column each (so
 * the crop grows by the same amount) and appended taps lengthen it; both change TFLite's padding,
 * which depends on the kernel size. E.g. PyTorch ConvTranspose2d(k=3, s=2, p=1, output_padding=1)
 * crops 1 row at the start, TFLite SAME crops 0 for k=3 but 1 for k=4: one zero row appended makes
 * them equal. Zero taps add exact zeros (int8 weight 0), so outputs are unchanged. Returns the
 * smallest extension, or null when none (up to one stride plus the kernel size) works; the output
 * size must also be one TFLite's forward-conv view maps back to the input size (SAME: an output in
 * ((in-1)*s, in*s]), which no kernel change can fix.
 */
export function planTransposeConvKernel(
  inHW: [number, number],
  outHW: [number, number],
  kernel: [number, number],
  strides: [number, number],
  pads: readonly [number, number, number, number],
): TransposeConvKernelPlan | null {
  for (const mode of ['VALID', 'SAME'] as const) {
    const extend: [number, number][] = [];
    for (let ax = 0; ax < 2; ax++) {
      let best: [number, number] | null = null;
      const limit = strides[ax] + kernel[ax] + 2;
      for (let total = 0; total <= 2 * limit && !best; total++)
        for (let a = 0; a <= total && !best; a++) {
          const k = kernel[ax] + total;
          if (transposeConvLeadingPad(mode, outHW[ax], k, strides[ax]) === pads[ax] + a && transposeConvForwardSize(mode, outHW[ax], k, strides[ax]) === inHW[ax])
            best = [a, total - a];
        }
      if (!best) break;
      extend.push(best);
    }
    if (extend.length === 2) return { padding: mode, extend: [extend[0], extend[1]] };
  }
  return null;
}
