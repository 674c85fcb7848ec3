/** Public API of models/datasets: SER corpus loaders, class mapping, speaker splits, inspection. */
export type { SerItem, SkippedFile, CorpusName, CanonicalEmotion, Gender } from './types.js';
export { CANONICAL_EMOTIONS } from './types.js';
export {
  canonicalEmotion,
  mapToClassSet,
  DEFAULT_CLASSES,
  type ClassSetOptions,
  type LabeledItem,
  type ClassMappingResult,
} from './labels.js';
export { loadSerDataset, detectLayout, type LoadDatasetOptions, type LoadedDataset, type NamedCorpus, type LayoutDetection } from './load-dataset.js';
export { splitBySpeakers, speakerKFold, holdOutSpeakers, randomFileSplit, speakerCounts, type DataSplit, type HasSpeaker } from './splits.js';
export { inspectDataset, type DatasetReport, type InspectOptions, type DurationStats } from './inspect-dataset.js';
export { RAVDESS_SPEAKER_SPLIT, parseRavdess } from './corpora/ravdess.js';
export { parseEmodb } from './corpora/emodb.js';
export { parseTess } from './corpora/tess.js';
export { parseSavee } from './corpora/savee.js';
export { parseCremad, parseCremadDemographics } from './corpora/cremad.js';
export { parseFolderLayout } from './corpora/folder.js';
export { loadDemoDataset, generateDemoDataset, DEMO_CLASSES, type DemoDataset, type DemoItem, type DemoOptions } from './demo/index.js';
