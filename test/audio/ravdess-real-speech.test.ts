/** Real speech (RAVDESS 4-class, 16 kHz): read in place from ../shared, never copied into the repo. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listWavFiles, readWav } from '../../runtime-sim/audio/index.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const datasetDir = resolve(repoRoot, '../shared', 'datasets/ravdess-4class-16k');
const present = existsSync(datasetDir);
const title = present ? 'RAVDESS real speech' : `RAVDESS real speech (skipped: ${datasetDir} not found)`;

/** Independent minimal reader for the check: walk chunks, return the data chunk's int16 samples. */
function rawInt16(bytes: Buffer): Int16Array {
  let pos = 12;
  while (pos + 8 <= bytes.length) {
    const id = bytes.toString('latin1', pos, pos + 4);
    const size = bytes.readUInt32LE(pos + 4);
    if (id === 'data') {
      const out = new Int16Array(size / 2);
      for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(pos + 8 + 2 * i);
      return out;
    }
    pos += 8 + size + (size & 1);
  }
  throw new Error('no data chunk');
}

describe.skipIf(!present)(title, () => {
  it('lists all 560 files, and 16-bit 16 kHz mono files pass through to samplesInt16 exactly', async () => {
    const files = await listWavFiles([datasetDir]);
    expect(files.length).toBe(560);
    // Every 35th file: 16 files spread across actors and emotions keep the test fast.
    for (const file of files.filter((_, i) => i % 35 === 0)) {
      const clip = await readWav(file);
      expect(clip.sourceEncoding).toBe('pcm_s16le');
      expect(clip.sourceSampleRate).toBe(16000);
      expect(clip.sourceChannels).toBe(1);
      const raw = rawInt16(await readFile(file));
      expect(clip.samplesInt16.length).toBe(raw.length);
      // Byte comparison: vitest's deep equality is slow on 50k-element typed arrays.
      expect(Buffer.compare(Buffer.from(clip.samplesInt16.buffer), Buffer.from(raw.buffer))).toBe(0);
      expect(clip.durationSec).toBe(raw.length / 16000);
      expect(clip.samplesFloat32[raw.length >> 1]).toBe(raw[raw.length >> 1] / 32768);
    }
  });
});
