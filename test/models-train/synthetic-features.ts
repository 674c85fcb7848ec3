/**
 * Synthetic feature sets for fast training tests: each class raises a different group of bands in
 * a different time region, on top of per-speaker offsets and noise, so a model must learn the
 * class pattern (not the speaker) to beat chance on held-out speakers.
 */
import { prngFor } from '../../models/augment/prng.js';
import type { FeatureSet } from '../../models/train/feature-set.js';

export function syntheticFeatureSet(opts: {
  speakers: string[];
  perSpeakerPerClass: number;
  frames: number;
  bands: number;
  classNames: string[];
  seed: number;
  noise?: number;
}): FeatureSet {
  const { frames, bands, classNames } = opts;
  const rng = prngFor(opts.seed, 'synthetic');
  const rows: { x: Float32Array; label: number; speaker: string; id: string }[] = [];
  for (const speaker of opts.speakers) {
    const offset = Float32Array.from({ length: bands }, () => rng.normal() * 0.5);
    for (let c = 0; c < classNames.length; c++) {
      for (let k = 0; k < opts.perSpeakerPerClass; k++) {
        const x = new Float32Array(frames * bands);
        const bandLo = Math.floor((c * bands) / classNames.length);
        const bandHi = Math.floor(((c + 1) * bands) / classNames.length);
        const start = rng.int(frames / 2);
        for (let t = 0; t < frames; t++) {
          for (let b = 0; b < bands; b++) {
            let v = offset[b]! + rng.normal() * (opts.noise ?? 1);
            if (b >= bandLo && b < bandHi && t >= start && t < start + frames / 3) v += 1.5;
            x[t * bands + b] = v;
          }
        }
        rows.push({ x, label: c, speaker, id: `${speaker}-${c}-${k}` });
      }
    }
  }
  const per = frames * bands;
  const x = new Float32Array(rows.length * per);
  rows.forEach((r, i) => x.set(r.x, i * per));
  return {
    frames,
    bands,
    x,
    labels: Int32Array.from(rows.map((r) => r.label)),
    speakers: rows.map((r) => r.speaker),
    ids: rows.map((r) => r.id),
    classNames,
  };
}
