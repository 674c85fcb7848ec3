/**
 * Corrected soft targets: the logits handed to the trainer reproduce the intended distribution
 * through the trainer's own softmax(t / T); rows the teacher gets right are untouched; 'swap'
 * fixes the argmax while keeping the other classes' probabilities; 'gate' falls back to the
 * smoothed label. Ensemble teachers average probabilities.
 */
import { describe, expect, it } from 'vitest';
import { correctTeacherLogits, rowArgmax } from '../../models/distill/soft-targets.js';
import { ensembleTeacher, meanProbabilityLogits, outOfFoldCoverage } from '../../models/distill/ensemble-teacher.js';
import { renormalizeFeatureSet, type Teacher } from '../../models/distill/teacher.js';
import { DISTILL_PRESETS, DEFAULT_DISTILL_PRESET } from '../../models/distill/presets.js';

function softmax(row: ArrayLike<number>, t = 1): number[] {
  const z = Array.from(row, (v) => v / t);
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

// 3 examples, 4 classes: row 0 right (label 0), row 1 wrong (label 2, teacher says 1), row 2 wrong (label 3, teacher says 0)
const logits = Float32Array.from([3, 1, 0, -1, 0.5, 2.5, 1.5, -2, 4, 0, 1, 2]);
const labels = Int32Array.from([0, 2, 3]);

describe('corrected teacher soft targets', () => {
  it("'none' returns the teacher unchanged and counts its training accuracy", () => {
    const r = correctTeacherLogits(logits, labels, 4, { correction: 'none', temperature: 4 });
    expect(Array.from(r.logits)).toEqual(Array.from(logits));
    expect(r.report).toEqual({ teacherCorrect: 1, corrected: 0, total: 3 });
  });

  it("'swap' makes every target's argmax the label and keeps the other probabilities at the trainer's temperature", () => {
    for (const T of [1, 2, 4]) {
      const r = correctTeacherLogits(logits, labels, 4, { correction: 'swap', temperature: T });
      expect(r.report.corrected).toBe(2);
      // untouched row: bit-identical
      expect(Array.from(r.logits.subarray(0, 4))).toEqual(Array.from(logits.subarray(0, 4)));
      for (let i = 0; i < 3; i++) expect(rowArgmax(r.logits, i, 4)).toBe(labels[i]);
      const before = softmax(logits.subarray(4, 8), T);
      const after = softmax(r.logits.subarray(4, 8), T);
      // classes 1 (teacher top) and 2 (label) swapped, 0 and 3 kept
      expect(after[2]).toBeCloseTo(before[1]!, 6);
      expect(after[1]).toBeCloseTo(before[2]!, 6);
      expect(after[0]).toBeCloseTo(before[0]!, 6);
      expect(after[3]).toBeCloseTo(before[3]!, 6);
    }
  });

  it("'gate' replaces a wrong teacher row by the smoothed label", () => {
    const r = correctTeacherLogits(logits, labels, 4, { correction: 'gate', temperature: 2, smoothing: 0.1 });
    const q = softmax(r.logits.subarray(8, 12), 2);
    expect(q[3]).toBeCloseTo(0.9, 6);
    for (const k of [0, 1, 2]) expect(q[k]).toBeCloseTo(0.1 / 3, 6);
  });

  it('rejects logits that do not match the labels', () => {
    expect(() => correctTeacherLogits(logits.subarray(0, 8), labels, 4, { correction: 'swap', temperature: 2 })).toThrow(/expected 3 examples x 4 classes/);
  });

  it('the default preset corrects the teacher; the hinton preset is the plain KD of the issue', () => {
    expect(DISTILL_PRESETS[DEFAULT_DISTILL_PRESET].correction).not.toBe('none');
    expect(DISTILL_PRESETS.hinton).toEqual({ temperature: 4, alpha: 0.7, correction: 'none', augmentCopies: 0 });
  });
});

describe('ensemble teacher', () => {
  it('averages the members’ probabilities (not their logits)', () => {
    const a = Float32Array.from([10, 0, 0, 0]);
    const b = Float32Array.from([0, 0, 0, 0]);
    const m = meanProbabilityLogits([a, b], 4);
    const p = softmax(m);
    const pa = softmax(a);
    expect(p[0]).toBeCloseTo((pa[0]! + 0.25) / 2, 6);
    expect(p[1]).toBeCloseTo((pa[1]! + 0.25) / 2, 6);
    // averaging logits instead would give softmax([5,0,0,0]), a different (sharper) target
    expect(Math.abs(p[0]! - softmax([5, 0, 0, 0])[0]!)).toBeGreaterThan(0.1);
  });

  it('one member is returned as is (up to the log-softmax constant)', () => {
    const a = Float32Array.from([1, 2, 3, 4, 0, 0, 1, -1]);
    const p = meanProbabilityLogits([a], 4);
    for (let r = 0; r < 2; r++) {
      const x = softmax(a.subarray(r * 4, r * 4 + 4));
      const y = softmax(p.subarray(r * 4, r * 4 + 4));
      for (let k = 0; k < 4; k++) expect(y[k]).toBeCloseTo(x[k]!, 6);
    }
  });
});

describe('out-of-fold ensemble labelling', () => {
  it('labels each clip with the members that never saw its speaker, and falls back to all', () => {
    // member 0 trained on speaker a, member 1 on speaker b; row 0 is a's clip, row 1 b's, row 2 c's
    const m0 = Float32Array.from([5, 0, 0, 0, 5, 0, 0, 0, 5, 0, 0, 0]);
    const m1 = Float32Array.from([0, 5, 0, 0, 0, 5, 0, 0, 0, 5, 0, 0]);
    const trained = [['ravdess:a'], ['b']];
    const speakers = ['ravdess:a', 'ravdess:b', 'ravdess:c'];
    const out = meanProbabilityLogits([m0, m1], 4, (row, j) => !trained[j]!.some((s) => s === speakers[row] || `ravdess:${s}` === speakers[row]));
    expect(softmax(out.subarray(0, 4))[1]).toBeCloseTo(softmax(m1.subarray(0, 4))[1]!, 6); // a: only member 1
    expect(softmax(out.subarray(4, 8))[0]).toBeCloseTo(softmax(m0.subarray(4, 8))[0]!, 6); // b: only member 0
    expect(softmax(out.subarray(8, 12))[0]).toBeCloseTo(softmax(out.subarray(8, 12))[1]!, 6); // c: both, equal mix
    expect(outOfFoldCoverage([{ trainSpeakers: ['a'] }, { trainSpeakers: ['b'] }], speakers)).toBe(3);
    expect(outOfFoldCoverage([{ trainSpeakers: ['a', 'b', 'c'] }, { trainSpeakers: undefined }], speakers)).toBe(0);
  });

  it('renormalises features from the student’s band statistics to the teacher’s exactly', () => {
    const set = { frames: 2, bands: 2, x: Float32Array.from([0, 1, -1, 2]), labels: Int32Array.from([0]), speakers: ['s'], ids: ['i'], classNames: ['a', 'b'] };
    const from = { mean: [10, 20], std: [2, 4] };
    const to = { mean: [11, 18], std: [1, 8] };
    const r = renormalizeFeatureSet(set, from, to);
    // raw = x * std + mean: [10, 24, 8, 28] -> (raw - mean_t) / std_t
    expect(Array.from(r.x)).toEqual([-1, 0.75, -3, 1.25]);
    expect(() => renormalizeFeatureSet(set, { mean: [0], std: [1] }, to)).toThrow(/bands/);
  });
});

describe('ensembleTeacher', () => {
  const set = { frames: 1, bands: 1, x: Float32Array.from([0, 0]), labels: Int32Array.from([0, 1]), speakers: ['ravdess:01', 'ravdess:02'], ids: ['x', 'y'], classNames: ['a', 'b'] };
  const fake = (name: string, row: number[], trainSpeakers?: string[]): Teacher => ({
    kind: 'tinyser',
    path: name,
    contentHash: name,
    trainSpeakers,
    logits: async () => Float32Array.from([...row, ...row]),
    dispose: async () => {},
  });

  it("out-of-fold: a member trained on '01' does not label 01's clip; the cache key differs from the plain mean", async () => {
    const a = fake('a', [4, 0], ['01']);
    const b = fake('b', [0, 4], ['02']);
    const oof = ensembleTeacher([a, b], 'out-of-fold');
    const mean = ensembleTeacher([a, b], 'mean');
    const lo = await oof.logits(set);
    expect(rowArgmax(lo, 0, 2)).toBe(1); // clip of 01: only b
    expect(rowArgmax(lo, 1, 2)).toBe(0); // clip of 02: only a
    const lm = await mean.logits(set);
    expect(lm[0]).toBeCloseTo(lm[1]!, 6);
    expect(oof.contentHash).not.toBe(mean.contentHash);
  });
});
