/**
 * Loads an SER dataset directory: lists its WAVs, detects which corpus naming convention (or
 * folder-per-label layout) they follow, parses each file into an item, and maps labels onto a class
 * set. Nothing is decoded here; audio is read later by whoever needs it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../common/errors.js';
import { parseCremad, parseCremadDemographics } from './corpora/cremad.js';
import { parseEmodb } from './corpora/emodb.js';
import { parseFolderLayout } from './corpora/folder.js';
import { parseRavdess } from './corpora/ravdess.js';
import { parseSavee } from './corpora/savee.js';
import { parseTess } from './corpora/tess.js';
import { mapToClassSet, type ClassSetOptions, type LabeledItem } from './labels.js';
import type { CorpusName, CorpusParser, Gender, SerItem, SkippedFile } from './types.js';
import { listWavFiles } from './wav-io.js';

export type NamedCorpus = Exclude<CorpusName, 'folder' | 'demo'>;

export interface LoadDatasetOptions extends ClassSetOptions {
  /** force a convention instead of auto-detecting it */
  corpus?: NamedCorpus | 'folder' | 'auto';
  /** folder layout only: capture group 1 of this pattern on the file name is the speaker */
  speakerPattern?: RegExp;
}

export interface LoadedDataset {
  root: string;
  corpus: CorpusName;
  classes: string[];
  /** items in the class set */
  items: LabeledItem[];
  /** every parsed item, including emotions outside the class set */
  allItems: SerItem[];
  /** canonical emotion -> count dropped by the class mapping */
  dropped: Record<string, number>;
  /** WAV files that did not follow the detected convention */
  skipped: SkippedFile[];
  /** how many WAV files were listed */
  fileCount: number;
}

function findCremadGenders(root: string): Map<string, Gender> | undefined {
  let dir = path.resolve(root);
  for (let i = 0; i < 3; i++) {
    const csv = path.join(dir, 'VideoDemographics.csv');
    if (existsSync(csv)) return parseCremadDemographics(readFileSync(csv, 'utf8'));
    dir = path.dirname(dir);
  }
  return undefined;
}

function namedParsers(root: string): Record<NamedCorpus, CorpusParser> {
  let genders: Map<string, Gender> | undefined | null = null;
  return {
    ravdess: parseRavdess,
    emodb: parseEmodb,
    tess: parseTess,
    savee: parseSavee,
    cremad: (f) => {
      if (genders === null) genders = findCremadGenders(root);
      return parseCremad(f, genders);
    },
  };
}

export interface LayoutDetection {
  corpus: NamedCorpus | 'folder';
  /** fraction of files each convention accepts */
  matchRates: Record<NamedCorpus | 'folder', number>;
}

/** Picks the convention that accepts the most files; at least half of them must fit. */
export function detectLayout(root: string, files: readonly string[]): LayoutDetection {
  const parsers = namedParsers(root);
  const rates = {} as Record<NamedCorpus | 'folder', number>;
  for (const [name, parse] of Object.entries(parsers) as [NamedCorpus, CorpusParser][]) {
    rates[name] = files.length > 0 ? files.filter((f) => parse(f) !== null).length / files.length : 0;
  }
  rates.folder = parseFolderLayout(root, files).matchRate;
  // A named corpus wins ties with the folder layout: its file names carry speaker and intensity.
  const order: (NamedCorpus | 'folder')[] = ['ravdess', 'cremad', 'emodb', 'savee', 'tess', 'folder'];
  let best = order[0];
  for (const c of order) if (rates[c] > rates[best]) best = c;
  if (!(rates[best] >= 0.5)) {
    const summary = order.map((c) => `${c} ${(100 * rates[c]).toFixed(0)}%`).join(', ');
    throw new UsageError(
      `${root}: could not recognise the dataset layout (${files.length} WAV files; files matching each convention: ${summary}). ` +
        'Expected RAVDESS/EmoDB/TESS/SAVEE/CREMA-D file names or <root>/<label>/... folders; pass corpus explicitly to see per-file reasons.',
      { dir: root, matchRates: rates },
    );
  }
  return { corpus: best, matchRates: rates };
}

export async function loadSerDataset(root: string, opts: LoadDatasetOptions = {}): Promise<LoadedDataset> {
  if (!existsSync(root)) throw new UsageError(`${root}: dataset directory does not exist`, { dir: root });
  const files = await listWavFiles([root]);
  if (files.length === 0) throw new UsageError(`${root}: no .wav files found`, { dir: root });
  const corpus = !opts.corpus || opts.corpus === 'auto' ? detectLayout(root, files).corpus : opts.corpus;
  let allItems: SerItem[];
  let skipped: SkippedFile[];
  if (corpus === 'folder') {
    ({ items: allItems, skipped } = parseFolderLayout(root, files, opts.speakerPattern));
  } else {
    const parse = namedParsers(root)[corpus];
    allItems = [];
    skipped = [];
    for (const f of files) {
      const item = parse(f);
      if (item) allItems.push(item);
      else skipped.push({ path: f, reason: `file name does not follow the ${corpus} convention` });
    }
  }
  const mapped = mapToClassSet(allItems, opts);
  return { root, corpus, classes: mapped.classes, items: mapped.items, allItems, dropped: mapped.dropped, skipped, fileCount: files.length };
}
