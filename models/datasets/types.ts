/** Shapes shared by every SER corpus loader. */

/** Canonical emotion names every corpus label is mapped onto before a class set is chosen. */
export const CANONICAL_EMOTIONS = [
  'neutral',
  'calm',
  'happy',
  'sad',
  'angry',
  'fearful',
  'disgust',
  'surprised',
  'boredom',
] as const;
export type CanonicalEmotion = (typeof CANONICAL_EMOTIONS)[number];

export type CorpusName = 'ravdess' | 'emodb' | 'tess' | 'savee' | 'cremad' | 'folder' | 'demo';

export type Gender = 'male' | 'female';

export interface SerItem {
  path: string;
  /** canonical emotion (before mapping onto a class set) */
  label: CanonicalEmotion;
  /** the label exactly as the corpus spells it (file-name code or folder name) */
  rawLabel: string;
  /** speaker id, prefixed by corpus so ids never collide across corpora (e.g. "ravdess:07") */
  speaker: string;
  gender?: Gender;
  /** corpus intensity code mapped to a word: normal/strong (RAVDESS), low/medium/high/unspecified (CREMA-D) */
  intensity?: string;
  corpus: CorpusName;
  /** sentence / text id when the corpus encodes it */
  text?: string;
}

/** A file the loader saw but could not turn into an item, and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** Parses one file path; returns null when the name does not follow the corpus convention. */
export type CorpusParser = (filePath: string) => SerItem | null;
