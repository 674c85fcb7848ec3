import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoDataset, loadDemoDataset, type DemoDataset } from '../../models/datasets/demo/index.js';
import { loadSerDataset, splitBySpeakers } from '../../models/datasets/index.js';
import { fitIntervalClassifier, fitSingleThreshold, medianPitchHz, predictInterval, rmsDb } from './signal-measure.js';

const espeakInstalled = (() => {
  try {
    createRequire(import.meta.url).resolve('espeak-ng');
    return true;
  } catch {
    return false;
  }
})();

// Held-out speaker groups (each mixes genders): fit on the other speakers, evaluate on these.
const HELD_OUT = [
  ['demo:m7', 'demo:f3', 'demo:linda'],
  ['demo:m1', 'demo:f4'],
  ['demo:john', 'demo:andrea', 'demo:m3'],
];

let ds: DemoDataset;
let tmp: string;
let pitchCache: number[] | undefined;
/** median F0 per clip, computed once for the tests that need it */
const pitches = (): number[] => (pitchCache ??= ds.items.map((i) => medianPitchHz(i.samplesFloat32)));
beforeAll(async () => {
  // the default parameters and cache the trainers use too: generated once, then reused
  ds = await loadDemoDataset({ seed: 1, count: 60 });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tinyser-demo-'));
}, 300_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('demo dataset', () => {
  it('has 4 balanced classes, 10 speakers that each speak every class, 16 kHz clips of speech length', () => {
    expect(ds.engine).toBe(espeakInstalled ? 'espeak-ng' : 'formant');
    expect(ds.classes).toEqual(['neutral', 'happy', 'sad', 'angry']);
    expect(ds.items).toHaveLength(240);
    for (let c = 0; c < 4; c++) expect(ds.items.filter((i) => i.classIndex === c)).toHaveLength(60);
    expect(ds.speakers).toHaveLength(10);
    for (const s of ds.speakers) expect(new Set(ds.items.filter((i) => i.speaker === s).map((i) => i.className)).size).toBe(4);
    const durations = ds.items.map((i) => i.samplesInt16.length / ds.sampleRate);
    expect(ds.sampleRate).toBe(16000);
    expect(Math.min(...durations)).toBeGreaterThan(0.7);
    expect(Math.max(...durations)).toBeLessThan(6);
    expect(ds.items[0].samplesFloat32[100]).toBe(ds.items[0].samplesInt16[100] / 32768);
  });

  it('a single loudness feature and a single pitch feature each stay below 70 % on held-out speakers', () => {
    const feats = ds.items.map((i, k) => ({ speaker: i.speaker, y: i.classIndex, loud: rmsDb(i.samplesFloat32), pitch: pitches()[k] }));
    expect(feats.filter((f) => !Number.isFinite(f.pitch)).length).toBeLessThan(5); // pitch found on (almost) every clip
    for (const key of ['loud', 'pitch'] as const) {
      for (const val of HELD_OUT) {
        const { train, val: held } = splitBySpeakers(feats, { train: ds.speakers.filter((s) => !val.includes(s)), val });
        // best thresholds for this one feature (any class order, up to 3 cuts), fit on train
        const one = fitSingleThreshold(train.map((f) => f[key]), train.map((f) => f.y), 4);
        const accOne = held.filter((f) => (f[key] < one.cut ? one.below : one.above) === f.y).length / held.length;
        expect(accOne, `${key} single threshold on ${val.join(',')}`).toBeLessThan(0.7);
        // stricter: up to three cuts with any class order, i.e. the best one-feature classifier
        const clf = fitIntervalClassifier(train.map((f) => f[key]), train.map((f) => f.y), 4);
        const acc = held.filter((f) => predictInterval(clf, f[key]) === f.y).length / held.length;
        expect(acc, `${key} best thresholds on ${val.join(',')}`).toBeLessThan(0.7);
      }
    }
  });

  it('the threshold fitters find a perfect split when one exists (so the bounds above mean something)', () => {
    // class order along the axis 2 < 0 < 3 < 1, ten samples each
    const labels = [2, 0, 3, 1].flatMap((c) => new Array<number>(10).fill(c));
    const values = labels.map((_, i) => i + 0.5);
    const clf = fitIntervalClassifier(values, labels, 4);
    expect(clf.trainAccuracy).toBe(1);
    expect(clf.order).toEqual([2, 0, 3, 1]);
    expect(values.every((v, i) => predictInterval(clf, v) === labels[i])).toBe(true);
    expect(fitSingleThreshold(values, labels, 4).trainAccuracy).toBe(0.5);
  });

  it('emotion lives in the delivery: pitch relative to the speaker separates the classes well above chance', () => {
    const logPitch = pitches().map((p) => Math.log(p));
    const speakerMean = new Map<string, number>();
    for (const s of ds.speakers) {
      const v = logPitch.filter((p, k) => ds.items[k].speaker === s && Number.isFinite(p));
      speakerMean.set(s, v.reduce((a, b) => a + b, 0) / v.length);
    }
    const feats = ds.items.map((i, k) => ({ speaker: i.speaker, y: i.classIndex, rel: logPitch[k] - (speakerMean.get(i.speaker) ?? 0) }));
    for (const val of HELD_OUT) {
      const { train, val: held } = splitBySpeakers(feats, { train: ds.speakers.filter((s) => !val.includes(s)), val });
      const clf = fitIntervalClassifier(train.map((f) => f.rel), train.map((f) => f.y), 4);
      const acc = held.filter((f) => predictInterval(clf, f.rel) === f.y).length / held.length;
      expect(acc).toBeGreaterThan(0.5);
    }
  });

  it('the cache directory is a folder-per-label dataset the generic loader reads with speakers', async () => {
    const loaded = await loadSerDataset(ds.dir);
    expect(loaded.corpus).toBe('folder');
    expect(loaded.items).toHaveLength(240);
    expect(new Set(loaded.items.map((i) => i.speaker)).size).toBe(10);
    const again = await loadDemoDataset({ seed: 1, count: 60 });
    expect(again.fromCache).toBe(true);
    expect(again.dir).toBe(ds.dir);
  });

  it('same seed gives byte-identical files, another seed different ones', async () => {
    // count 3 puts every one of the 10 voices in the set (speakers rotate by 3 per class)
    const a = await generateDemoDataset({ seed: 5, count: 3, cacheDir: path.join(tmp, 'a') });
    const b = await generateDemoDataset({ seed: 5, count: 3, cacheDir: path.join(tmp, 'b') });
    const c = await generateDemoDataset({ seed: 6, count: 1, cacheDir: path.join(tmp, 'c') });
    expect(a.fromCache || b.fromCache).toBe(false);
    expect(a.manifest.clips).toHaveLength(12);
    expect(new Set(a.manifest.clips.map((x) => x.speaker)).size).toBe(10);
    expect(b.manifest).toEqual(a.manifest);
    for (const clip of a.manifest.clips) {
      expect(readFileSync(path.join(b.dir, clip.file)).equals(readFileSync(path.join(a.dir, clip.file)))).toBe(true);
    }
    const firstOfEachClass = a.manifest.clips.filter((x) => x.file.endsWith('_0000.wav'));
    expect(c.manifest.clips.map((x) => x.file)).toEqual(firstOfEachClass.map((x) => x.file));
    for (const clip of c.manifest.clips) {
      expect(readFileSync(path.join(c.dir, clip.file)).equals(readFileSync(path.join(a.dir, clip.file)))).toBe(false);
    }
  }, 120_000);

  it('the formant fallback produces the same structure without eSpeak', async () => {
    const f = await generateDemoDataset({ seed: 2, count: 3, engine: 'formant', cacheDir: path.join(tmp, 'f') });
    expect(f.manifest.engine).toBe('formant');
    expect(f.manifest.clips).toHaveLength(12);
    const loaded = await loadSerDataset(f.dir);
    expect(loaded.items.map((i) => i.className).sort()).toEqual(f.manifest.clips.map((c) => c.label).sort());
    for (const c of f.manifest.clips) expect(c.durationSec).toBeGreaterThan(0.5);
  });
});
