/**
 * TESS (Toronto emotional speech set): OAF_back_angry.wav / YAF_bath_ps.wav = speaker (older or
 * younger adult female), carrier word, emotion (ps = pleasant surprise). Both speakers are female,
 * so TESS alone allows only a two-fold speaker-independent split.
 */
import path from 'node:path';
import { canonicalEmotion } from '../labels.js';
import type { SerItem } from '../types.js';

const PATTERN = /^(OAF|YAF)_([A-Za-z]+)_(angry|disgust|fear|happy|neutral|ps|pleasant_surprise|pleasant_surprised|sad)\.wav$/i;

export function parseTess(filePath: string): SerItem | null {
  const m = PATTERN.exec(path.basename(filePath));
  if (!m) return null;
  const [, speaker, word, emotion] = m;
  const label = canonicalEmotion(emotion.toLowerCase());
  if (!label) return null;
  return {
    path: filePath,
    label,
    rawLabel: emotion,
    speaker: `tess:${speaker.toUpperCase()}`,
    gender: 'female',
    corpus: 'tess',
    text: word.toLowerCase(),
  };
}
