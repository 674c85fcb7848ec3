import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCremad, parseCremadDemographics } from '../../models/datasets/corpora/cremad.js';
import { parseEmodb } from '../../models/datasets/corpora/emodb.js';
import { parseRavdess, RAVDESS_SPEAKER_SPLIT } from '../../models/datasets/corpora/ravdess.js';
import { parseSavee } from '../../models/datasets/corpora/savee.js';
import { parseTess } from '../../models/datasets/corpora/tess.js';
import {
  holdOutSpeakers,
  inspectDataset,
  loadSerDataset,
  mapToClassSet,
  randomFileSplit,
  speakerKFold,
  splitBySpeakers,
} from '../../models/datasets/index.js';
import { encodeWavInt16 } from '../../models/datasets/wav-io.js';

/** A tiny distinct WAV per call (content depends on `seed`) so duplicate detection sees only real copies. */
function tinyWav(seed: number, rate = 16000, ms = 50): Uint8Array {
  const n = Math.round((rate * ms) / 1000);
  const s = new Int16Array(n);
  for (let i = 0; i < n; i++) s[i] = Math.round(3000 * Math.sin((2 * Math.PI * (200 + seed) * i) / rate));
  return encodeWavInt16(s, rate);
}

let tmpRoot: string;
let seedCounter = 1;
function makeTree(name: string, files: string[], opts: { rate?: number } = {}): string {
  const dir = path.join(tmpRoot, name);
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), tinyWav(seedCounter++, opts.rate));
  }
  return dir;
}

beforeAll(() => {
  tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'tinyser-data-'));
});
afterAll(() => {
  rmSync(tmpRoot, { recursive: true, force: true });
});

describe('file-name parsers', () => {
  it('RAVDESS: emotion, intensity, statement, actor and gender from the seven fields', () => {
    const it = parseRavdess('/x/Actor_07/03-01-05-02-01-02-07.wav');
    expect(it).toMatchObject({ label: 'angry', rawLabel: '05', intensity: 'strong', speaker: 'ravdess:07', gender: 'male', corpus: 'ravdess', text: '01' });
    expect(parseRavdess('03-01-02-01-02-01-12.wav')).toMatchObject({ label: 'calm', gender: 'female', intensity: 'normal' });
    expect(parseRavdess('02-01-05-02-01-02-07.wav')).toBeNull(); // video only
    expect(parseRavdess('03-01-09-01-01-01-01.wav')).toBeNull(); // no emotion 09
    expect(parseRavdess('03-01-01-01-01-01-25.wav')).toBeNull(); // 24 actors
  });
  it('EmoDB: speaker, text, German emotion letter, gender table', () => {
    expect(parseEmodb('03a01Fa.wav')).toMatchObject({ label: 'happy', rawLabel: 'F', speaker: 'emodb:03', gender: 'male', text: 'a01' });
    expect(parseEmodb('16b10Lb.wav')).toMatchObject({ label: 'boredom', gender: 'female' });
    expect(parseEmodb('08a02Wc.wav')?.label).toBe('angry');
    expect(parseEmodb('08a02Tc.wav')?.label).toBe('sad');
    expect(parseEmodb('08a02Xc.wav')).toBeNull();
  });
  it('TESS: speaker, word, emotion including pleasant surprise', () => {
    expect(parseTess('/t/OAF_angry/OAF_back_angry.wav')).toMatchObject({ label: 'angry', speaker: 'tess:OAF', gender: 'female', text: 'back' });
    expect(parseTess('YAF_bath_ps.wav')).toMatchObject({ label: 'surprised', rawLabel: 'ps', speaker: 'tess:YAF' });
    expect(parseTess('YAF_bath_fear.wav')?.label).toBe('fearful');
    expect(parseTess('ZAF_bath_fear.wav')).toBeNull();
  });
  it('SAVEE: flat DC_a01 names and speaker folders, two-letter codes before one-letter ones', () => {
    expect(parseSavee('ALL/DC_sa03.wav')).toMatchObject({ label: 'sad', rawLabel: 'sa', speaker: 'savee:DC', gender: 'male' });
    expect(parseSavee('ALL/KL_su11.wav')?.label).toBe('surprised');
    expect(parseSavee('AudioData/JE/a01.wav')).toMatchObject({ label: 'angry', speaker: 'savee:JE' });
    expect(parseSavee('AudioData/XX/a01.wav')).toBeNull();
  });
  it('CREMA-D: actor, sentence, emotion, intensity; gender from the demographics CSV', () => {
    const genders = parseCremadDemographics('ActorID,Age,Sex,Race,Ethnicity\n1001,51,Male,Caucasian,Not Hispanic\n1002,21,Female,Caucasian,Not Hispanic\n');
    expect(parseCremad('1001_DFA_ANG_XX.wav', genders)).toMatchObject({ label: 'angry', speaker: 'cremad:1001', gender: 'male', intensity: 'unspecified', text: 'DFA' });
    expect(parseCremad('1002_IEO_HAP_HI.wav', genders)).toMatchObject({ label: 'happy', gender: 'female', intensity: 'high' });
    expect(parseCremad('1003_IEO_SAD_LO.wav')?.gender).toBeUndefined();
    expect(parseCremad('1003_IEO_XYZ_LO.wav')).toBeNull();
  });
});

describe('loading and layout detection', () => {
  it('detects RAVDESS, maps onto the default 4 classes and counts what it dropped', async () => {
    const files: string[] = [];
    for (const actor of ['01', '02', '17']) {
      for (const emo of ['01', '02', '03', '04', '05', '06']) files.push(`Actor_${actor}/03-01-${emo}-01-01-01-${actor}.wav`);
    }
    files.push('Actor_01/readme-notes.wav');
    const dir = makeTree('ravdess', files);
    const ds = await loadSerDataset(dir);
    expect(ds.corpus).toBe('ravdess');
    expect(ds.classes).toEqual(['neutral', 'happy', 'sad', 'angry']);
    expect(ds.items).toHaveLength(12);
    expect(ds.dropped).toEqual({ calm: 3, fearful: 3 });
    expect(ds.skipped.map((s) => path.basename(s.path))).toEqual(['readme-notes.wav']);
    const merged = await loadSerDataset(dir, { mergeCalmIntoNeutral: true });
    expect(merged.items.filter((i) => i.className === 'neutral')).toHaveLength(6);
    expect(merged.items.find((i) => i.label === 'calm')?.classIndex).toBe(0);
    expect(merged.dropped).toEqual({ fearful: 3 });
  });

  it('detects EmoDB, TESS, SAVEE and CREMA-D trees', async () => {
    const cases: [string, string[], string][] = [
      ['emodb', ['wav/03a01Fa.wav', 'wav/03a01Nc.wav', 'wav/08b02Ta.wav', 'wav/08b02Wb.wav', 'wav/09a05Lb.wav'], 'emodb'],
      ['tess', ['OAF_angry/OAF_back_angry.wav', 'OAF_neutral/OAF_back_neutral.wav', 'YAF_sad/YAF_bath_sad.wav', 'YAF_happy/YAF_bath_happy.wav'], 'tess'],
      ['savee', ['AudioData/DC/a01.wav', 'AudioData/DC/h02.wav', 'AudioData/KL/sa03.wav', 'AudioData/KL/n04.wav'], 'savee'],
      ['cremad', ['AudioWAV/1001_DFA_ANG_XX.wav', 'AudioWAV/1001_DFA_NEU_XX.wav', 'AudioWAV/1002_IEO_HAP_HI.wav', 'AudioWAV/1002_IEO_SAD_LO.wav'], 'cremad'],
    ];
    for (const [name, files, corpus] of cases) {
      const ds = await loadSerDataset(makeTree(name, files));
      expect(ds.corpus).toBe(corpus);
      expect(new Set(ds.items.map((i) => i.className))).toEqual(new Set(['neutral', 'happy', 'sad', 'angry']));
    }
  });

  it('folder-per-label with speaker sub-folders, and <speaker>/<label>/ order', async () => {
    const a = await loadSerDataset(makeTree('folders-a', ['Angry/spk1/x.wav', 'happy/spk1/y.wav', 'Sadness/spk2/z.wav', 'neutral/spk2/w.wav', 'other/spk2/v.wav']));
    expect(a.corpus).toBe('folder');
    expect(a.items.map((i) => [i.className, i.speaker]).sort()).toEqual([
      ['angry', 'folder:spk1'],
      ['happy', 'folder:spk1'],
      ['neutral', 'folder:spk2'],
      ['sad', 'folder:spk2'],
    ]);
    expect(a.skipped[0].reason).toMatch(/unknown label folder "other"/);
    const b = await loadSerDataset(makeTree('folders-b', ['alice/angry/1.wav', 'alice/neutral/2.wav', 'bob/sad/3.wav', 'bob/happy/4.wav']));
    expect(b.items.map((i) => i.speaker).sort()).toEqual(['folder:alice', 'folder:alice', 'folder:bob', 'folder:bob']);
  });

  it('refuses an unrecognisable layout with the match rates in the message', async () => {
    const dir = makeTree('unknown', ['a/one.wav', 'a/two.wav', 'b/three.wav']);
    await expect(loadSerDataset(dir)).rejects.toThrow(/could not recognise the dataset layout.*ravdess 0%/);
  });

  it('class sets: custom classes and explicit mapping', () => {
    const items = ['happy', 'boredom', 'sad', 'angry', 'fearful'].map((label, i) => ({
      path: `${i}.wav`, label: label as 'happy', rawLabel: label, speaker: 's', corpus: 'emodb' as const,
    }));
    const m = mapToClassSet(items, { classes: ['low', 'high'], mapping: { boredom: 'low', sad: 'low', happy: 'high', angry: 'high' } });
    expect(m.items.map((i) => i.className)).toEqual(['high', 'low', 'low', 'high']);
    expect(m.dropped).toEqual({ fearful: 1 });
    expect(() => mapToClassSet(items, { classes: ['a', 'b'], mapping: { sad: 'c' } })).toThrow(/"c" is not one of/);
  });
});

describe('speaker-independent splits', () => {
  const items = Array.from({ length: 20 }, (_, a) => a + 1).flatMap((actor) =>
    Array.from({ length: actor % 3 === 0 ? 6 : 4 }, (_, k) => ({ speaker: `ravdess:${String(actor).padStart(2, '0')}`, k })),
  );
  const speakersOf = (xs: { speaker: string }[]): Set<string> => new Set(xs.map((x) => x.speaker));

  it('RAVDESS actors 01-16 train / 17-20 val', () => {
    const s = splitBySpeakers(items, RAVDESS_SPEAKER_SPLIT);
    expect(speakersOf(s.train).size).toBe(16);
    expect([...speakersOf(s.val)].sort()).toEqual(['ravdess:17', 'ravdess:18', 'ravdess:19', 'ravdess:20']);
    expect(s.unassigned).toHaveLength(0);
    expect(s.train.length + s.val.length).toBe(items.length);
    // unprefixed ids work too; a speaker on both sides is an error
    expect(splitBySpeakers(items, { train: ['01'], val: ['02'] }).train).toHaveLength(4);
    expect(() => splitBySpeakers(items, { train: ['01'], val: ['ravdess:01'] })).toThrow(/both train and val/);
  });

  it('k-fold by speaker: each speaker validated exactly once, never on both sides, folds balanced', () => {
    const folds = speakerKFold(items, 5, { seed: 3 });
    expect(folds).toHaveLength(5);
    const seen = new Map<string, number>();
    for (const f of folds) {
      const tr = speakersOf(f.train);
      for (const s of speakersOf(f.val)) {
        expect(tr.has(s)).toBe(false);
        seen.set(s, (seen.get(s) ?? 0) + 1);
      }
      expect(f.train.length + f.val.length).toBe(items.length);
    }
    expect(seen.size).toBe(20);
    expect([...seen.values()].every((v) => v === 1)).toBe(true);
    const sizes = folds.map((f) => f.val.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(2);
    expect(speakerKFold(items, 5, { seed: 3 })).toEqual(folds);
  });

  it('hold-out keeps speakers apart; too few or unknown speakers are refused', () => {
    const s = holdOutSpeakers(items, { valFraction: 0.2, testFraction: 0.2, seed: 1 });
    const tr = speakersOf(s.train);
    for (const sp of [...s.valSpeakers, ...s.testSpeakers]) expect(tr.has(sp)).toBe(false);
    expect(s.val.length / items.length).toBeGreaterThan(0.1);
    expect(s.val.length / items.length).toBeLessThan(0.3);
    expect(() => speakerKFold(items.slice(0, 8), 5)).toThrow(/at least 5 speakers/);
    expect(() => holdOutSpeakers([{ speaker: 'folder:unknown' }, { speaker: 'folder:unknown' }])).toThrow(/no speaker id/);
  });

  it('a random file split exists only as its own function, and leaks speakers', () => {
    const r = randomFileSplit(items, { valFraction: 0.25, seed: 2 });
    expect(r.val).toHaveLength(Math.round(items.length * 0.25));
    const tr = speakersOf(r.train);
    expect([...speakersOf(r.val)].some((s) => tr.has(s))).toBe(true);
  });
});

describe('inspect', () => {
  it('reports counts, durations, rates and every kind of problem', async () => {
    const dir = makeTree('inspect', [
      '03-01-01-01-01-01-01.wav',
      '03-01-03-01-01-01-01.wav',
      '03-01-04-01-01-01-02.wav',
      '03-01-05-01-01-01-02.wav',
      '03-01-06-01-01-01-02.wav', // fearful: dropped
    ]);
    writeFileSync(path.join(dir, '03-01-05-02-01-01-01.wav'), tinyWav(9999, 22050, 100)); // other rate
    writeFileSync(path.join(dir, '03-01-03-02-01-01-02.wav'), tinyWav(9999, 22050, 100)); // same audio
    writeFileSync(path.join(dir, '03-01-04-02-01-01-01.wav'), new Uint8Array([82, 73, 70, 70, 0, 0])); // truncated
    writeFileSync(path.join(dir, 'notes.wav'), tinyWav(4242));
    const r = await inspectDataset(dir);
    expect(r.corpus).toBe('ravdess');
    expect(r.files).toBe(9);
    expect(r.classCounts).toEqual({ neutral: 1, happy: 2, sad: 2, angry: 2 });
    expect(r.speakers['ravdess:01'].total).toBe(4);
    expect(r.speakers['ravdess:01'].gender).toBe('male');
    expect(r.problems.droppedLabels).toEqual({ fearful: 1 });
    expect(r.problems.unknownLabels.map((u) => path.basename(u.path))).toEqual(['notes.wav']);
    expect(r.problems.unreadable).toHaveLength(1);
    expect(path.basename(r.problems.unreadable[0].path)).toBe('03-01-04-02-01-01-01.wav');
    expect(r.problems.unreadable[0].reason.length).toBeGreaterThan(5);
    expect(r.problems.duplicates).toHaveLength(1);
    expect(r.problems.duplicates[0].paths.map((p) => path.basename(p)).sort()).toEqual(['03-01-03-02-01-01-02.wav', '03-01-05-02-01-01-01.wav']);
    expect(r.sampleRates).toEqual({ 16000: 5, 22050: 2 });
    expect(r.readable).toBe(7);
    expect(r.durationsSec?.min).toBeCloseTo(0.05, 3);
    expect(r.durationsSec?.max).toBeCloseTo(0.1, 3);
    expect(r.durationsSec?.median).toBeCloseTo(0.05, 3);
  });
});
