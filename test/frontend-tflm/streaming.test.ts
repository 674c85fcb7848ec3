/**
 * Streaming: FrontendProcessSamples keeps its window buffer and noise estimate across calls, so
 * any chunking of the same samples gives the same frames as one call; reset() restores a fresh state.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  TFLM_DEFAULT_CONFIG,
  TFLM_MICRO_SPEECH_CONFIG,
  createTflmFrontend,
  tflmFeatures,
} from '../../runtime-sim/frontend/tflm/index.ts';
import { hasGolden, microfrontendDir, readWavInt16 } from './golden.ts';

/** Deterministic xorshift32 so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** Speech when the goldens are present, otherwise a synthetic chirp plus noise. */
async function testSignal(): Promise<Int16Array> {
  if (hasGolden) return readWavInt16(path.join(microfrontendDir, 'audio', 'yes_1000ms.wav'));
  const r = rng(7);
  const x = new Int16Array(16000);
  for (let i = 0; i < x.length; ++i) {
    const t = i / 16000;
    x[i] = Math.round(6000 * Math.sin(2 * Math.PI * (200 + 1500 * t) * t) + 800 * (r() - 0.5));
  }
  return x;
}

function concatFrames(frames: Uint16Array[]): number[] {
  return frames.flatMap((f) => Array.from(f));
}

const samples = await testSignal();

describe('streaming equals one-shot', () => {
  for (const [name, config] of [
    ['default', TFLM_DEFAULT_CONFIG],
    ['micro_speech', TFLM_MICRO_SPEECH_CONFIG],
  ] as const) {
    const whole = tflmFeatures(samples, config);

    it(`${name}: random chunk sizes (0..1200 samples, 5 seeds) give the same frames`, () => {
      expect(whole.frames).toBeGreaterThan(10);
      for (const seed of [1, 2, 3, 4, 5]) {
        const r = rng(seed);
        const fe = createTflmFrontend(config);
        const frames: Uint16Array[] = [];
        let off = 0;
        while (off < samples.length) {
          const n = Math.min(samples.length - off, Math.floor(r() * 1201));
          frames.push(...fe.processSamples(samples.subarray(off, off + n)));
          off += n;
        }
        expect(frames.length).toBe(whole.frames);
        expect(concatFrames(frames)).toEqual(Array.from(whole.data));
      }
    });

    it(`${name}: one sample at a time gives the same frames`, () => {
      const fe = createTflmFrontend(config);
      const frames: Uint16Array[] = [];
      for (let i = 0; i < samples.length; ++i) frames.push(...fe.processSamples(samples.subarray(i, i + 1)));
      expect(concatFrames(frames)).toEqual(Array.from(whole.data));
    });

    it(`${name}: reset() restores a fresh state (window buffer and noise estimate)`, () => {
      const fe = createTflmFrontend(config);
      fe.processSamples(samples.subarray(0, 5000)); // leave a partial window and a noise estimate
      fe.reset();
      expect(concatFrames(fe.processSamples(samples))).toEqual(Array.from(whole.data));
    });
  }

  it('emits floor((N - window) / step) + 1 frames and nothing for a partial window', () => {
    const fe = createTflmFrontend(TFLM_DEFAULT_CONFIG);
    expect(fe.processSamples(new Int16Array(399)).length).toBe(0);
    expect(fe.processSamples(new Int16Array(1)).length).toBe(1);
    expect(fe.processSamples(new Int16Array(159)).length).toBe(0);
    expect(fe.processSamples(new Int16Array(1)).length).toBe(1);
    expect(tflmFeatures(new Int16Array(16000), TFLM_MICRO_SPEECH_CONFIG).frames).toBe(Math.floor((16000 - 480) / 320) + 1);
  });
});
