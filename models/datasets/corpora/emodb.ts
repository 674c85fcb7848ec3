/**
 * Berlin EmoDB: 03a01Fa.wav = speaker (2 digits), text code (a01..b10), emotion letter (German
 * initials: W Wut, L Langeweile, E Ekel, A Angst, F Freude, T Trauer, N neutral), version letter.
 */
import path from 'node:path';
import type { CanonicalEmotion, Gender, SerItem } from '../types.js';

const EMOTIONS: Record<string, CanonicalEmotion> = {
  W: 'angry', L: 'boredom', E: 'disgust', A: 'fearful', F: 'happy', T: 'sad', N: 'neutral',
};
/** From the corpus documentation: five male and five female speakers. */
const GENDER: Record<string, Gender> = {
  '03': 'male', '08': 'female', '09': 'female', '10': 'male', '11': 'male',
  '12': 'male', '13': 'female', '14': 'female', '15': 'male', '16': 'female',
};
const PATTERN = /^(\d{2})([ab]\d{2})([WLEAFTN])([a-z])\.wav$/;

export function parseEmodb(filePath: string): SerItem | null {
  const m = PATTERN.exec(path.basename(filePath));
  if (!m) return null;
  const [, speaker, text, emotion] = m;
  return {
    path: filePath,
    label: EMOTIONS[emotion],
    rawLabel: emotion,
    speaker: `emodb:${speaker}`,
    gender: GENDER[speaker],
    corpus: 'emodb',
    text,
  };
}
