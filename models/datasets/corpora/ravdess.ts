/**
 * RAVDESS: 03-01-05-02-01-02-12.wav = modality-channel-emotion-intensity-statement-repetition-actor.
 * Modality 01 AV / 02 video-only / 03 audio-only; channel 01 speech / 02 song. Odd actors are
 * male, even female. Video-only files carry no audio and are rejected by name.
 */
import path from 'node:path';
import type { CanonicalEmotion, SerItem } from '../types.js';

const EMOTIONS: Record<string, CanonicalEmotion> = {
  '01': 'neutral', '02': 'calm', '03': 'happy', '04': 'sad',
  '05': 'angry', '06': 'fearful', '07': 'disgust', '08': 'surprised',
};
const INTENSITY: Record<string, string> = { '01': 'normal', '02': 'strong' };
const PATTERN = /^(0[1-3])-(0[12])-(0[1-8])-(0[12])-(0[12])-(0[12])-(\d{2})\.wav$/i;

export function parseRavdess(filePath: string): SerItem | null {
  const m = PATTERN.exec(path.basename(filePath));
  if (!m) return null;
  const [, modality, , emotion, intensity, statement, , actor] = m;
  if (modality === '02') return null;
  const actorNum = Number(actor);
  if (actorNum < 1 || actorNum > 24) return null;
  return {
    path: filePath,
    label: EMOTIONS[emotion],
    rawLabel: emotion,
    speaker: `ravdess:${actor}`,
    gender: actorNum % 2 === 1 ? 'male' : 'female',
    intensity: INTENSITY[intensity],
    corpus: 'ravdess',
    text: statement,
  };
}

/** The customary speaker-independent split: actors 01-16 train, 17-20 validation, 21-24 test. */
export const RAVDESS_SPEAKER_SPLIT = {
  train: Array.from({ length: 16 }, (_, i) => `ravdess:${String(i + 1).padStart(2, '0')}`),
  val: ['17', '18', '19', '20'].map((a) => `ravdess:${a}`),
  test: ['21', '22', '23', '24'].map((a) => `ravdess:${a}`),
};
