/**
 * CREMA-D: 1001_DFA_ANG_XX.wav = actor (1001..1091), sentence code, emotion (ANG DIS FEA HAP NEU
 * SAD), intensity (LO MD HI, XX unspecified). Gender is not in the file name; it comes from the
 * corpus's VideoDemographics.csv when that file sits in or above the audio folder.
 */
import path from 'node:path';
import type { CanonicalEmotion, Gender, SerItem } from '../types.js';

const EMOTIONS: Record<string, CanonicalEmotion> = {
  ANG: 'angry', DIS: 'disgust', FEA: 'fearful', HAP: 'happy', NEU: 'neutral', SAD: 'sad',
};
const INTENSITY: Record<string, string> = { LO: 'low', MD: 'medium', HI: 'high', XX: 'unspecified' };
const PATTERN = /^(1\d{3})_([A-Z]{3})_(ANG|DIS|FEA|HAP|NEU|SAD)_(LO|MD|HI|XX)\.wav$/;

export function parseCremad(filePath: string, genders?: ReadonlyMap<string, Gender>): SerItem | null {
  const m = PATTERN.exec(path.basename(filePath));
  if (!m) return null;
  const [, actor, sentence, emotion, intensity] = m;
  return {
    path: filePath,
    label: EMOTIONS[emotion],
    rawLabel: emotion,
    speaker: `cremad:${actor}`,
    gender: genders?.get(actor),
    intensity: INTENSITY[intensity],
    corpus: 'cremad',
    text: sentence,
  };
}

/** Parses VideoDemographics.csv (ActorID,Age,Sex,Race,Ethnicity) into actor -> gender. */
export function parseCremadDemographics(csv: string): Map<string, Gender> {
  const out = new Map<string, Gender>();
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim().replace(/^"|"$/g, '').toLowerCase());
  const idCol = header.indexOf('actorid');
  const sexCol = header.indexOf('sex');
  if (idCol < 0 || sexCol < 0) return out;
  for (const line of lines) {
    const cols = line.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
    const sex = (cols[sexCol] ?? '').toLowerCase();
    if (sex === 'male' || sex === 'female') out.set(cols[idCol], sex);
  }
  return out;
}
