/**
 * Label vocabulary: spelling variants seen across corpora and folder names, mapped to canonical
 * emotions; and the mapping from canonical emotions onto the class set a model is trained on.
 */
import { UsageError } from '../../common/errors.js';
import type { CanonicalEmotion, SerItem } from './types.js';

const SYNONYMS: Record<string, CanonicalEmotion> = {
  neutral: 'neutral', neu: 'neutral', n: 'neutral',
  calm: 'calm',
  happy: 'happy', happiness: 'happy', joy: 'happy', hap: 'happy', h: 'happy',
  sad: 'sad', sadness: 'sad', sa: 'sad',
  angry: 'angry', anger: 'angry', ang: 'angry', a: 'angry', mad: 'angry',
  fearful: 'fearful', fear: 'fearful', fea: 'fearful', afraid: 'fearful', f: 'fearful',
  disgust: 'disgust', disgusted: 'disgust', dis: 'disgust', d: 'disgust',
  surprised: 'surprised', surprise: 'surprised', sur: 'surprised', su: 'surprised', ps: 'surprised',
  'pleasant_surprise': 'surprised', 'pleasant surprise': 'surprised', 'pleasant_surprised': 'surprised',
  boredom: 'boredom', bored: 'boredom',
};

/** Canonical emotion for a spelled-out label (case-insensitive), or null if unknown. */
export function canonicalEmotion(raw: string): CanonicalEmotion | null {
  return SYNONYMS[raw.trim().toLowerCase()] ?? null;
}

/** Full-word labels only (no one/two-letter codes), used to recognise folder-per-label layouts. */
export function canonicalEmotionFromFolderName(name: string): CanonicalEmotion | null {
  const k = name.trim().toLowerCase();
  return k.length >= 3 ? canonicalEmotion(k) : null;
}

export const DEFAULT_CLASSES = ['neutral', 'happy', 'sad', 'angry'] as const;

export interface ClassSetOptions {
  /** class names in output order; each must be a canonical emotion unless `mapping` says otherwise */
  classes?: readonly string[];
  /** merge RAVDESS "calm" into "neutral" (off by default: calm is acted differently) */
  mergeCalmIntoNeutral?: boolean;
  /** explicit canonical emotion -> class name overrides, e.g. { boredom: 'neutral' } */
  mapping?: Partial<Record<CanonicalEmotion, string>>;
}

export interface LabeledItem extends SerItem {
  /** class name in the chosen class set */
  className: string;
  classIndex: number;
}

export interface ClassMappingResult {
  classes: string[];
  items: LabeledItem[];
  /** canonical emotion -> number of items dropped because it is not in the class set */
  dropped: Record<string, number>;
}

export function mapToClassSet(items: readonly SerItem[], opts: ClassSetOptions = {}): ClassMappingResult {
  const classes = [...(opts.classes ?? DEFAULT_CLASSES)];
  if (classes.length < 2) throw new UsageError(`a class set needs at least 2 classes, got [${classes.join(', ')}]`);
  if (new Set(classes).size !== classes.length) throw new UsageError(`duplicate class in [${classes.join(', ')}]`);
  const map = new Map<string, string>();
  for (const c of classes) map.set(c, c);
  if (opts.mergeCalmIntoNeutral && classes.includes('neutral')) map.set('calm', 'neutral');
  for (const [from, to] of Object.entries(opts.mapping ?? {})) {
    if (to === undefined) continue;
    if (!classes.includes(to)) throw new UsageError(`mapping ${from} -> ${to}: "${to}" is not one of [${classes.join(', ')}]`);
    map.set(from, to);
  }
  const out: LabeledItem[] = [];
  const dropped: Record<string, number> = {};
  for (const it of items) {
    const cls = map.get(it.label);
    if (cls === undefined) {
      dropped[it.label] = (dropped[it.label] ?? 0) + 1;
      continue;
    }
    out.push({ ...it, className: cls, classIndex: classes.indexOf(cls) });
  }
  return { classes, items: out, dropped };
}
