/**
 * A teacher made of several teachers: the mean of their class probabilities (returned as
 * log-probabilities, i.e. logits up to a per-row constant).
 *
 * 'out-of-fold' labelling (the default): each clip is labelled only by the members that were not
 * trained on its speaker (members declare their training speakers; see teacher.ts), falling back
 * to all members when none qualifies. Why: a teacher's outputs on its own training clips are
 * over-confident and mostly right, so they carry little of the "which clips are ambiguous"
 * knowledge KD relies on; trained on speaker folds (`tinyser train --train-speakers`), the
 * members give every training clip a prediction made as if on an unseen speaker, which is exactly
 * the situation the student must generalise to. With members that do not declare speakers, or all
 * trained on everyone, this is the plain mean.
 */
import { createHash } from 'node:crypto';
import { TinyserError } from '../../common/errors.js';
import type { BandNormalization, FeatureSet } from '../train/feature-set.js';
import type { Teacher } from './teacher.js';

export type EnsembleLabelling = 'mean' | 'out-of-fold';

/**
 * Row-wise mean of softmax(logits_m) over members, as log-probabilities (float64 inside).
 * `use(row, member)` restricts a row to some members (a row no member may label uses all).
 */
export function meanProbabilityLogits(
  memberLogits: readonly Float32Array[],
  numClasses: number,
  use: (row: number, member: number) => boolean = () => true,
): Float32Array {
  if (memberLogits.length === 0) throw new TinyserError('USAGE', 'an ensemble teacher needs at least one member');
  const len = memberLogits[0]!.length;
  for (const m of memberLogits) {
    if (m.length !== len) throw new TinyserError('INPUT', `ensemble members gave ${m.length} and ${len} logits for the same examples`);
  }
  const c = numClasses;
  const out = new Float32Array(len);
  const acc = new Float64Array(c);
  for (let r = 0; r < len / c; r++) {
    acc.fill(0);
    let chosen = memberLogits.map((_, j) => j).filter((j) => use(r, j));
    if (chosen.length === 0) chosen = memberLogits.map((_, j) => j);
    for (const j of chosen) {
      const m = memberLogits[j]!;
      let max = -Infinity;
      for (let k = 0; k < c; k++) max = Math.max(max, m[r * c + k]!);
      let sum = 0;
      for (let k = 0; k < c; k++) sum += Math.exp(m[r * c + k]! - max);
      for (let k = 0; k < c; k++) acc[k]! += Math.exp(m[r * c + k]! - max) / sum / chosen.length;
    }
    for (let k = 0; k < c; k++) out[r * c + k] = Math.log(Math.max(acc[k]!, 1e-12));
  }
  return out;
}

/** True when `speaker` (with or without its corpus prefix) is in the member's training list. */
function trainedOn(list: readonly string[] | undefined, speaker: string): boolean {
  if (!list) return true;
  const bare = speaker.slice(speaker.indexOf(':') + 1);
  return list.some((s) => s === speaker || s === bare || s.slice(s.indexOf(':') + 1) === bare);
}

/** How many rows of the set at least one member can label out of fold. */
export function outOfFoldCoverage(members: readonly Pick<Teacher, 'trainSpeakers'>[], speakers: readonly string[]): number {
  return speakers.filter((s) => members.some((m) => !trainedOn(m.trainSpeakers, s))).length;
}

export function ensembleTeacher(members: readonly Teacher[], labelling: EnsembleLabelling = 'out-of-fold'): Teacher {
  if (members.length === 0) throw new TinyserError('USAGE', 'an ensemble teacher needs at least one member');
  if (members.length === 1) return members[0]!;
  const h = createHash('sha256').update(`ensemble:mean-probabilities:${labelling}\n`);
  for (const m of members) h.update(`${m.contentHash}\n`);
  return {
    kind: members[0]!.kind,
    path: members.map((m) => m.path).join(','),
    contentHash: h.digest('hex'),
    async logits(set: FeatureSet, normalization?: BandNormalization): Promise<Float32Array> {
      const all: Float32Array[] = [];
      for (const m of members) all.push(await m.logits(set, normalization));
      const use =
        labelling === 'out-of-fold' ? (row: number, j: number) => !trainedOn(members[j]!.trainSpeakers, set.speakers[row]!) : undefined;
      return meanProbabilityLogits(all, set.classNames.length, use);
    },
    async dispose() {
      for (const m of members) await m.dispose();
    },
  };
}
