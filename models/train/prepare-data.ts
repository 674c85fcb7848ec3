/**
 * Dataset folder (or the demo set) -> speaker-independent train/val feature sets, normalised with
 * training-split statistics, plus the frontend config a device must use (normalisation included).
 * Shared by `tinyser train` and `tinyser distill`.
 */
import { UsageError } from '../../common/errors.js';
import { RAVDESS_SPEAKER_SPLIT } from '../datasets/corpora/ravdess.js';
import { loadDemoDataset } from '../datasets/demo/index.js';
import type { LabeledItem } from '../datasets/labels.js';
import { loadSerDataset, type NamedCorpus } from '../datasets/load-dataset.js';
import { holdOutSpeakers, splitBySpeakers } from '../datasets/splits.js';
import { frontendConfigHash, type FrontendConfig } from '../../runtime-sim/frontend/index.js';
import { bandStatistics, inputQuantizationFromFeatures, normalizeFeatureSet, type BandNormalization, type FeatureSet } from './feature-set.js';
import { extractFeatureSet, withNormalization, type AudioItem } from './features.js';

export interface DataPreparationOptions {
  /** dataset folder, or 'demo' for the generated demo set */
  data: string;
  corpus?: NamedCorpus | 'folder' | 'auto';
  classes?: string[];
  /** validation speakers (ids with or without the corpus prefix); default: RAVDESS 17-20, else 20% held out */
  valSpeakers?: string[];
  /** training speakers; default: every speaker not in validation (RAVDESS: 01-16) */
  trainSpeakers?: string[];
  clipSeconds?: number;
  seed?: number;
  /** demo set size: clips per class */
  demoCount?: number;
  cacheDir?: string | null;
  progress?: boolean;
}

export interface PreparedData {
  train: FeatureSet;
  val: FeatureSet;
  classes: string[];
  /** frontend config with the training split's normalisation: what the device must run */
  frontend: FrontendConfig;
  frontendHash: string;
  normalization: BandNormalization;
  trainSpeakers: string[];
  valSpeakers: string[];
  trainItems: AudioItem[];
  valItems: AudioItem[];
  corpus: string;
}

function toAudioItem(it: LabeledItem & { samplesInt16?: Int16Array }): AudioItem {
  return { id: it.path, path: it.path, samplesInt16: it.samplesInt16, classIndex: it.classIndex, speaker: it.speaker };
}

export async function prepareTrainingData(opts: DataPreparationOptions): Promise<PreparedData> {
  let items: Array<LabeledItem & { samplesInt16?: Int16Array }>;
  let classes: string[];
  let corpus: string;
  if (opts.data === 'demo') {
    const demo = await loadDemoDataset({ seed: opts.seed ?? 0, count: opts.demoCount ?? 40 });
    items = demo.items;
    classes = demo.classes;
    corpus = 'demo';
  } else {
    const ds = await loadSerDataset(opts.data, { classes: opts.classes, corpus: opts.corpus ?? 'auto' });
    items = ds.items;
    classes = ds.classes;
    corpus = ds.corpus;
  }
  if (items.length === 0) throw new UsageError(`${opts.data}: no labelled WAV files in the class set [${classes.join(', ')}]`);

  let train: typeof items;
  let val: typeof items;
  if (opts.valSpeakers?.length) {
    const valSet = opts.valSpeakers;
    const all = [...new Set(items.map((i) => i.speaker))];
    const inVal = (s: string) => valSet.includes(s) || valSet.includes(s.slice(s.indexOf(':') + 1));
    const trainList = opts.trainSpeakers ?? all.filter((s) => !inVal(s));
    const split = splitBySpeakers(items, { train: trainList, val: valSet });
    train = split.train;
    val = split.val;
  } else if (corpus === 'ravdess') {
    const split = splitBySpeakers(items, { train: opts.trainSpeakers ?? RAVDESS_SPEAKER_SPLIT.train, val: RAVDESS_SPEAKER_SPLIT.val });
    train = split.train;
    val = split.val;
  } else {
    const split = holdOutSpeakers(items, { valFraction: 0.2, seed: opts.seed ?? 0 });
    train = split.train;
    val = split.val;
  }
  if (train.length === 0 || val.length === 0) {
    throw new UsageError(`speaker split left ${train.length} training and ${val.length} validation items; check --val-speakers`, {
      speakers: [...new Set(items.map((i) => i.speaker))],
    });
  }
  const trainItems = train.map(toAudioItem);
  const valItems = val.map(toAudioItem);
  const fx = { clipSeconds: opts.clipSeconds, cacheDir: opts.cacheDir, progress: opts.progress };
  const trainRaw = await extractFeatureSet(trainItems, classes, fx);
  const valRaw = await extractFeatureSet(valItems, classes, fx);
  const normalization = bandStatistics(trainRaw.set);
  const trainSet = normalizeFeatureSet(trainRaw.set, normalization);
  const frontend = withNormalization(trainRaw.frontend, normalization, inputQuantizationFromFeatures(trainSet));
  return {
    train: trainSet,
    val: normalizeFeatureSet(valRaw.set, normalization),
    classes,
    frontend,
    frontendHash: frontendConfigHash(frontend),
    normalization,
    trainSpeakers: [...new Set(train.map((i) => i.speaker))].sort(),
    valSpeakers: [...new Set(val.map((i) => i.speaker))].sort(),
    trainItems,
    valItems,
    corpus,
  };
}
