/**
 * Teacher soft targets, corrected where the teacher is wrong.
 *
 * Why: plain KD copies the teacher's mistakes. On RAVDESS the strong teacher's sad -> happy
 * confusion reappeared in the student (issue 5). The trainer computes the KD term as
 * KL(softmax(t / T) || softmax(s / T)) from fixed per-example teacher logits t, so a correction is
 * expressed by rewriting t: for a wanted distribution q, t = T * log(q) gives softmax(t / T) = q
 * exactly, whatever T the trainer uses.
 *
 * Corrections, applied only to training examples whose teacher argmax is not the label:
 *  - 'none': the teacher as is (Hinton KD);
 *  - 'swap': swap the probabilities of the teacher's top class and the true class (the "knowledge
 *    adjustment" idea): the target becomes correct while the teacher's ranking of the other
 *    classes, the dark knowledge KD is for, is kept;
 *  - 'gate': drop the teacher for that example: the target is the label, smoothed by `smoothing`
 *    (a pure one-hot would need log(0)).
 */
import { TinyserError } from '../../common/errors.js';

export type TeacherCorrection = 'none' | 'swap' | 'gate';
export const TEACHER_CORRECTIONS: readonly TeacherCorrection[] = ['none', 'swap', 'gate'];

export interface SoftTargetOptions {
  correction: TeacherCorrection;
  /** the KD temperature the trainer will apply to the returned logits */
  temperature: number;
  /** label smoothing of 'gate' targets (probability spread over the other classes) */
  smoothing?: number;
}

export interface SoftTargetReport {
  /** training examples whose teacher argmax equals the label */
  teacherCorrect: number;
  /** examples whose target was rewritten */
  corrected: number;
  total: number;
}

/** Floor for probabilities before the log: keeps logits finite, negligible next to real mass. */
const MIN_PROB = 1e-6;

function softmaxRowFloat64(logits: Float32Array, row: number, c: number, temperature: number): Float64Array {
  const p = new Float64Array(c);
  let max = -Infinity;
  for (let k = 0; k < c; k++) max = Math.max(max, logits[row * c + k]! / temperature);
  let sum = 0;
  for (let k = 0; k < c; k++) sum += p[k] = Math.exp(logits[row * c + k]! / temperature - max);
  for (let k = 0; k < c; k++) p[k]! /= sum;
  return p;
}

/** argmax of row `row` of a [N, C] matrix (first index wins ties, like the metrics). */
export function rowArgmax(values: ArrayLike<number>, row: number, c: number): number {
  let best = 0;
  for (let k = 1; k < c; k++) if (values[row * c + k]! > values[row * c + best]!) best = k;
  return best;
}

/**
 * Teacher logits rewritten so that softmax(result / T) is the corrected target distribution.
 * Rows where the teacher is right are returned unchanged (bit for bit).
 */
export function correctTeacherLogits(
  teacherLogits: Float32Array,
  labels: ArrayLike<number>,
  numClasses: number,
  opts: SoftTargetOptions,
): { logits: Float32Array; report: SoftTargetReport } {
  const c = numClasses;
  const n = labels.length;
  if (teacherLogits.length !== n * c) {
    throw new TinyserError('INPUT', `teacher logits hold ${teacherLogits.length} values, expected ${n} examples x ${c} classes`);
  }
  if (!(opts.temperature > 0)) throw new TinyserError('USAGE', `distillation temperature must be > 0, got ${opts.temperature}`);
  const smoothing = opts.smoothing ?? 0.1;
  if (!(smoothing > 0 && smoothing < 1)) throw new TinyserError('USAGE', `gate smoothing must be in (0, 1), got ${smoothing}`);
  const out = Float32Array.from(teacherLogits);
  let teacherCorrect = 0;
  let corrected = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    const top = rowArgmax(teacherLogits, i, c);
    if (top === y) {
      teacherCorrect++;
      continue;
    }
    if (opts.correction === 'none') continue;
    let q: Float64Array;
    if (opts.correction === 'swap') {
      q = softmaxRowFloat64(teacherLogits, i, c, opts.temperature);
      const t = q[top]!;
      q[top] = q[y]!;
      q[y] = t;
    } else {
      q = new Float64Array(c).fill(smoothing / (c - 1));
      q[y] = 1 - smoothing;
    }
    for (let k = 0; k < c; k++) out[i * c + k] = opts.temperature * Math.log(Math.max(q[k]!, MIN_PROB));
    corrected++;
  }
  return { logits: out, report: { teacherCorrect, corrected, total: n } };
}
