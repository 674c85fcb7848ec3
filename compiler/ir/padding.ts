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
