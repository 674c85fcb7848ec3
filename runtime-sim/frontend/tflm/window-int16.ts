/**
 * WindowProcessSamples (window.c): buffers input until a full window is present, multiplies by the
 * Q12 coefficients and tracks the largest |output| that later picks the FFT input shift.
 */
import { FRONTEND_WINDOW_BITS } from './constants.ts';

export interface WindowStateInt16 {
  readonly size: number;
  readonly step: number;
  readonly coefficients: Int16Array;
  /** The samples of the window being filled (C's state->input). */
  readonly input: Int16Array;
  inputUsed: number;
  /** Windowed samples of the last complete window. */
  readonly output: Int16Array;
  maxAbsOutputValue: number;
}

export function createWindowStateInt16(size: number, step: number, coefficients: Int16Array): WindowStateInt16 {
  return {
    size,
    step,
    coefficients,
    input: new Int16Array(size),
    inputUsed: 0,
    output: new Int16Array(size),
    maxAbsOutputValue: 0,
  };
}

export function windowResetInt16(state: WindowStateInt16): void {
  state.input.fill(0);
  state.output.fill(0);
  state.inputUsed = 0;
  state.maxAbsOutputValue = 0;
}

/**
 * Copies up to `size - inputUsed` samples from `samples[offset..offset+count)`. Returns the number
 * of samples read; `state.output` is valid for a new frame iff the window became full (then
 * `inputUsed` has already been moved back by one step, as in C).
 */
export function windowProcessSamplesInt16(
  state: WindowStateInt16,
  samples: Int16Array,
  offset: number,
  count: number,
): { read: number; frameReady: boolean } {
  const toCopy = Math.min(state.size - state.inputUsed, count);
  state.input.set(samples.subarray(offset, offset + toCopy), state.inputUsed);
  state.inputUsed += toCopy;
  if (state.inputUsed < state.size) return { read: toCopy, frameReady: false };

  const { input, output, coefficients, size } = state;
  let maxAbs = 0;
  for (let i = 0; i < size; ++i) {
    // int32 product, arithmetic shift, narrowed to int16 (coefficients <= 4096 keep it in range).
    const v = ((input[i] * coefficients[i]) >> FRONTEND_WINDOW_BITS) << 16 >> 16;
    output[i] = v;
    // C negates in int16: -(-32768) stays -32768 and never becomes the maximum.
    const a = ((v < 0 ? -v : v) << 16) >> 16;
    if (a > maxAbs) maxAbs = a;
  }
  input.copyWithin(0, state.step, size);
  state.inputUsed -= state.step;
  state.maxAbsOutputValue = maxAbs;
  return { read: toCopy, frameReady: true };
}
