/**
 * SAVEE: four male speakers (DC, JE, JK, KL). Two distributions exist: speaker folders
 * (AudioData/DC/a01.wav) and a flat folder (DC_a01.wav). Emotion codes a, d, f, h, n, sa, su,
 * then a two-digit sentence number.
 */
import path from 'node:path';
import type { CanonicalEmotion, SerItem } from '../types.js';

const EMOTIONS: Record<string, CanonicalEmotion> = {
  a: 'angry', d: 'disgust', f: 'fearful', h: 'happy', n: 'neutral', sa: 'sad', su: 'surprised',
};
const SPEAKERS = ['DC', 'JE', 'JK', 'KL'];
const FLAT = /^(DC|JE|JK|KL)_(sa|su|a|d|f|h|n)(\d{2})\.wav$/;
const FOLDER = /^(sa|su|a|d|f|h|n)(\d{2})\.wav$/;

export function parseSavee(filePath: string): SerItem | null {
  const base = path.basename(filePath);
  let speaker: string;
  let code: string;
  let sentence: string;
  const flat = FLAT.exec(base);
  if (flat) {
    [, speaker, code, sentence] = flat;
  } else {
    const inFolder = FOLDER.exec(base);
    const parent = path.basename(path.dirname(filePath));
    if (!inFolder || !SPEAKERS.includes(parent)) return null;
    speaker = parent;
    [, code, sentence] = inFolder;
  }
  return {
    path: filePath,
    label: EMOTIONS[code],
    rawLabel: code,
    speaker: `savee:${speaker}`,
    gender: 'male',
    corpus: 'savee',
    text: `${code}${sentence}`,
  };
}
