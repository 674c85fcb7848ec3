/**
 * Dataset health report behind `tinyser data inspect`: class and speaker counts, durations, source
 * sample rates and problems (unreadable files with the decoder's reason, files whose name or folder
 * gives no known label, emotions outside the class set, identical audio under different names).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { errorMessage } from '../../common/errors.js';
import { loadSerDataset, type LoadDatasetOptions } from './load-dataset.js';
import type { CorpusName, SkippedFile } from './types.js';
import { decodeWav } from './wav-io.js';

export interface DurationStats {
  min: number;
  median: number;
  max: number;
  total: number;
}

export interface DatasetReport {
  root: string;
  corpus: CorpusName;
  files: number;
  /** files decoded successfully among the labelled ones */
  readable: number;
  classes: string[];
  /** items per class of the class set (readable or not) */
  classCounts: Record<string, number>;
  /** items per canonical emotion, including those outside the class set */
  emotionCounts: Record<string, number>;
  /** items (in the class set) per speaker, with their per-class breakdown */
  speakers: Record<string, { total: number; perClass: Record<string, number>; gender?: string }>;
  durationsSec: DurationStats | null;
  /** source sample rate (Hz) -> file count */
  sampleRates: Record<string, number>;
  problems: {
    unreadable: SkippedFile[];
    unknownLabels: SkippedFile[];
    /** canonical emotion -> count not in the class set (dropped, not an error) */
    droppedLabels: Record<string, number>;
    duplicates: { sha256: string; paths: string[] }[];
  };
}

export interface InspectOptions extends LoadDatasetOptions {
  onProgress?: (done: number, total: number) => void;
}

function median(sorted: number[]): number {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

export async function inspectDataset(root: string, opts: InspectOptions = {}): Promise<DatasetReport> {
  const ds = await loadSerDataset(root, opts);
  const classCounts: Record<string, number> = Object.fromEntries(ds.classes.map((c) => [c, 0]));
  const emotionCounts: Record<string, number> = {};
  for (const it of ds.allItems) emotionCounts[it.label] = (emotionCounts[it.label] ?? 0) + 1;
  const speakers: DatasetReport['speakers'] = {};
  for (const it of ds.items) {
    classCounts[it.className]++;
    const s = (speakers[it.speaker] ??= { total: 0, perClass: {}, gender: it.gender });
    s.total++;
    s.perClass[it.className] = (s.perClass[it.className] ?? 0) + 1;
  }
  // Every labelled file is decoded (also those outside the class set: a corrupt file is a problem
  // whatever its label); unlabelled ones too, so duplicates across them are found.
  const paths = [...ds.allItems.map((i) => i.path), ...ds.skipped.map((s) => s.path)];
  const labelled = new Set(ds.allItems.map((i) => i.path));
  const durations: number[] = [];
  const sampleRates: Record<string, number> = {};
  const unreadable: SkippedFile[] = [];
  const byHash = new Map<string, string[]>();
  let readable = 0;
  for (let i = 0; i < paths.length; i++) {
    const p = paths[i];
    try {
      const audio = decodeWav(await readFile(p), p);
      if (labelled.has(p)) {
        readable++;
        durations.push(audio.durationSec);
        sampleRates[String(audio.sourceSampleRate)] = (sampleRates[String(audio.sourceSampleRate)] ?? 0) + 1;
      }
      const s = audio.samplesInt16;
      const h = createHash('sha256').update(new Uint8Array(s.buffer, s.byteOffset, s.byteLength)).digest('hex');
      const list = byHash.get(h);
      if (list) list.push(p);
      else byHash.set(h, [p]);
    } catch (e) {
      unreadable.push({ path: p, reason: errorMessage(e) });
    }
    opts.onProgress?.(i + 1, paths.length);
  }
  durations.sort((a, b) => a - b);
  return {
    root,
    corpus: ds.corpus,
    files: ds.fileCount,
    readable,
    classes: ds.classes,
    classCounts,
    emotionCounts,
    speakers: Object.fromEntries(Object.entries(speakers).sort(([a], [b]) => a.localeCompare(b))),
    durationsSec:
      durations.length > 0
        ? { min: durations[0], median: median(durations), max: durations[durations.length - 1], total: durations.reduce((s, d) => s + d, 0) }
        : null,
    sampleRates,
    problems: {
      unreadable,
      unknownLabels: ds.skipped,
      droppedLabels: ds.dropped,
      duplicates: [...byHash.entries()].filter(([, ps]) => ps.length > 1).map(([sha256, ps]) => ({ sha256, paths: ps })),
    },
  };
}
