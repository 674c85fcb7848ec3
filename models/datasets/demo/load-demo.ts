/**
 * The fast entry point trainers use: generate (or reuse) the demo set and return its clips as
 * dataset items with audio attached. Items have the same shape as corpus items (speaker ids are
 * "demo:<voice>"), so the speaker splits and class mapping of models/datasets apply unchanged.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LabeledItem } from '../labels.js';
import { decodeWav } from '../wav-io.js';
import { DEMO_SAMPLE_RATE, generateDemoDataset, type DemoEngine, type DemoOptions } from './generate-demo.js';

export interface DemoItem extends LabeledItem {
  samplesInt16: Int16Array;
  /** samplesInt16 / 32768 */
  samplesFloat32: Float32Array;
}

export interface DemoDataset {
  dir: string;
  engine: DemoEngine;
  classes: string[];
  sampleRate: number;
  speakers: string[];
  items: DemoItem[];
  fromCache: boolean;
}

export async function loadDemoDataset(opts: DemoOptions = {}): Promise<DemoDataset> {
  const gen = await generateDemoDataset(opts);
  const m = gen.manifest;
  const items: DemoItem[] = [];
  for (const c of m.clips) {
    const file = path.join(gen.dir, c.file);
    const samplesInt16 = decodeWav(await readFile(file), file).samplesInt16;
    items.push({
      path: file,
      label: c.label,
      rawLabel: c.label,
      speaker: `demo:${c.speaker}`,
      gender: c.gender,
      corpus: 'demo',
      text: c.sentence,
      className: c.label,
      classIndex: c.classIndex,
      samplesInt16,
      samplesFloat32: Float32Array.from(samplesInt16, (v) => v / 32768),
    });
  }
  return {
    dir: gen.dir,
    engine: m.engine,
    classes: m.classes,
    sampleRate: DEMO_SAMPLE_RATE,
    speakers: m.speakers.map((s) => `demo:${s.id}`),
    items,
    fromCache: gen.fromCache,
  };
}
