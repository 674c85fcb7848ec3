/**
 * Augmented copies of the training clips for the teacher to label ("the teacher labelling
 * augmented audio"). Each copy: pitch shift (+-2 semitones, duration kept), random gain (+-6 dB,
 * peak-limited) and white or pink noise at 15-30 dB SNR. A copy keeps its source clip's label and
 * speaker (so out-of-fold labelling still applies) and gets a new id. Why: the hard label of a
 * pitch-shifted, noisier clip is still the label, but the teacher's soft target says how much of
 * the emotion survived, which the student cannot get from the label alone.
 * The copies are drawn from `seed` only, so all student seeds see the same augmented set (and its
 * features come from the feature cache after the first run).
 */
import { prngFor } from '../augment/prng.js';
import { pitchShift } from '../augment/pitch-shift.js';
import { applyGainDb } from '../augment/gain.js';
import { addNoiseAtSnr } from '../augment/add-noise.js';
import type { AudioItem } from '../train/features.js';
import { readWav } from '../../runtime-sim/audio/index.js';
import { floatToInt16 } from '../../runtime-sim/audio/pcm-int16.js';
import { TinyserError } from '../../common/errors.js';

export interface AugmentedCopyOptions {
  copies: number;
  seed?: number;
  maxSemitones?: number;
  maxGainDb?: number;
  minSnrDb?: number;
  maxSnrDb?: number;
}

/** One augmented waveform (float in [-1, 1) in, int16 out), drawn from the rng stream of (seed, id, copy). */
export function augmentClipInt16(samples: Int16Array, id: string, copy: number, opts: AugmentedCopyOptions): Int16Array {
  const rng = prngFor(opts.seed ?? 0, 'distill-augment', id, copy);
  const x = Float32Array.from(samples, (v) => v / 32768);
  const maxSemi = opts.maxSemitones ?? 2;
  const shifted = pitchShift(x, rng.uniform(-maxSemi, maxSemi));
  const maxGain = opts.maxGainDb ?? 6;
  const gained = applyGainDb(shifted, rng.uniform(-maxGain, maxGain), { limitPeak: true }).out;
  const noisy = addNoiseAtSnr(gained, rng, { snrDb: rng.uniform(opts.minSnrDb ?? 15, opts.maxSnrDb ?? 30), source: rng.pick(['white', 'pink'] as const) }).mixed;
  return floatToInt16(noisy);
}

export async function augmentedCopies(items: readonly AudioItem[], opts: AugmentedCopyOptions): Promise<AudioItem[]> {
  if (!Number.isInteger(opts.copies) || opts.copies < 0) throw new TinyserError('USAGE', `augmented copies must be a non-negative integer, got ${opts.copies}`);
  const out: AudioItem[] = [];
  for (const item of items) {
    if (opts.copies === 0) break;
    const samples = item.samplesInt16 ?? (item.path ? (await readWav(item.path)).samplesInt16 : undefined);
    if (!samples) throw new TinyserError('INPUT', `training item ${item.id} has neither samples nor a path`);
    for (let k = 0; k < opts.copies; k++) {
      out.push({ id: `${item.id}#aug${opts.seed ?? 0}-${k}`, samplesInt16: augmentClipInt16(samples, item.id, k, opts), classIndex: item.classIndex, speaker: item.speaker });
    }
  }
  return out;
}
