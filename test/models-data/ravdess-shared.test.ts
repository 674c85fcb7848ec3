/**
 * Loader and splits on the real RAVDESS subset in ../shared (research licence: read in place,
 * never copied). Skips when the folder is absent.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSerDataset, RAVDESS_SPEAKER_SPLIT, speakerKFold, splitBySpeakers } from '../../models/datasets/index.js';
import { readWav } from '../../models/datasets/wav-io.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ravdessDir = path.join(path.resolve(repoRoot, '../shared'), 'datasets/ravdess-4class-16k');
const present = existsSync(ravdessDir);

describe.skipIf(!present)(`RAVDESS subset in ../shared${present ? '' : ` (skipped: ${ravdessDir} not found)`}`, () => {
  it('is detected as RAVDESS with 20 actors, 4 classes and no skipped files', async () => {
    const ds = await loadSerDataset(ravdessDir);
    expect(ds.corpus).toBe('ravdess');
    expect(ds.fileCount).toBe(560);
    expect(ds.skipped).toEqual([]);
    expect(ds.items).toHaveLength(560);
    const perClass = ds.classes.map((c) => ds.items.filter((i) => i.className === c).length);
    expect(perClass).toEqual([80, 160, 160, 160]); // neutral has no "strong" intensity in RAVDESS
    expect(new Set(ds.items.map((i) => i.speaker)).size).toBe(20);
    expect(ds.items.filter((i) => i.gender === 'female')).toHaveLength(280);
    const clip = await readWav(ds.items[0].path);
    expect(clip.sampleRate).toBe(16000);
    expect(clip.durationSec).toBeGreaterThan(2);
  });
  it('the customary actor split and a 5-fold speaker split keep actors apart', async () => {
    const ds = await loadSerDataset(ravdessDir);
    const s = splitBySpeakers(ds.items, RAVDESS_SPEAKER_SPLIT);
    expect(s.train).toHaveLength(16 * 28);
    expect(s.val).toHaveLength(4 * 28);
    expect(s.unassigned).toHaveLength(0);
    for (const f of speakerKFold(ds.items, 5, { seed: 1 })) {
      expect(f.valSpeakers).toHaveLength(4);
      const train = new Set(f.train.map((i) => i.speaker));
      expect(f.valSpeakers.some((v) => train.has(v))).toBe(false);
    }
  });
});
