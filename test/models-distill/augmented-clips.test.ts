/**
 * Augmented copies for the teacher to label: seeded (same seed, same samples), the source clip's
 * length, label and speaker kept, a new id per copy, and audibly changed but not destroyed (the
 * copy's noise sits within the 15-30 dB SNR range plus the pitch/gain change).
 */
import { describe, expect, it } from 'vitest';
import { augmentClipInt16, augmentedCopies } from '../../models/distill/augmented-clips.js';
import { concatFeatureSets } from '../../models/distill/run-distillation.js';

function tone(n: number, hz: number): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / 16000) * (0.5 + 0.5 * Math.sin((2 * Math.PI * 3 * i) / 16000))));
}

describe('augmented copies', () => {
  it('are deterministic per (seed, id, copy), keep length, label and speaker, and differ from the source', async () => {
    const src = tone(8000, 220);
    const items = [{ id: 'a.wav', samplesInt16: src, classIndex: 2, speaker: 'ravdess:03' }];
    const one = await augmentedCopies(items, { copies: 2, seed: 7 });
    const again = await augmentedCopies(items, { copies: 2, seed: 7 });
    expect(one.map((c) => c.id)).toEqual(['a.wav#aug7-0', 'a.wav#aug7-1']);
    expect(one.every((c) => c.classIndex === 2 && c.speaker === 'ravdess:03' && c.samplesInt16!.length === src.length)).toBe(true);
    expect(Array.from(one[0]!.samplesInt16!)).toEqual(Array.from(again[0]!.samplesInt16!));
    expect(Array.from(one[0]!.samplesInt16!)).not.toEqual(Array.from(one[1]!.samplesInt16!));
    let diff = 0;
    for (let i = 0; i < src.length; i++) if (src[i] !== one[0]!.samplesInt16![i]) diff++;
    expect(diff).toBeGreaterThan(src.length / 2);
    // still speech-level, not silence and not clipped noise
    const rms = Math.sqrt(one[0]!.samplesInt16!.reduce((a, v) => a + v * v, 0) / src.length);
    expect(rms).toBeGreaterThan(500);
    expect(rms).toBeLessThan(20000);
    expect(await augmentedCopies(items, { copies: 0 })).toEqual([]);
  });

  it('a single clip with its own id and copy index is reproducible on its own', () => {
    const src = tone(4000, 300);
    expect(Array.from(augmentClipInt16(src, 'x', 1, { copies: 1 }))).toEqual(Array.from(augmentClipInt16(src, 'x', 1, { copies: 1 })));
  });

  it('concatFeatureSets appends examples in order', () => {
    const a = { frames: 1, bands: 2, x: Float32Array.from([1, 2]), labels: Int32Array.from([0]), speakers: ['s'], ids: ['a'], classNames: ['p', 'q'] };
    const b = { frames: 1, bands: 2, x: Float32Array.from([3, 4, 5, 6]), labels: Int32Array.from([1, 0]), speakers: ['t', 'u'], ids: ['b', 'c'], classNames: ['p', 'q'] };
    const c = concatFeatureSets(a, b);
    expect(Array.from(c.x)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(c.labels)).toEqual([0, 1, 0]);
    expect(c.ids).toEqual(['a', 'b', 'c']);
    expect(c.speakers).toEqual(['s', 't', 'u']);
  });
});
