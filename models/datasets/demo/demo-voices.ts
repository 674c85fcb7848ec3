/**
 * Demo "speakers" and the acted-emotion prosody applied on top of them.
 *
 * Speakers are eSpeak NG voice variants with their own pitch and speed offsets (five male, five
 * female), so speaker-independent splits exist and, as in real corpora, speaker pitch differences
 * are as large as emotional ones.
 *
 * Emotion profiles follow the acoustic correlates reported for acted emotion (e.g. Banse & Scherer
 * 1996; Juslin & Laukka 2003): happy = high pitch, wide range, slightly fast and loud; angry =
 * raised pitch, fast, loud, tense (bright spectrum); sad = low pitch, narrow range, slow, soft,
 * lax (dark spectrum); neutral in the middle. Speakers set eSpeak's -p/-s for a whole batch; the
 * emotion and the per-utterance jitter go into each utterance's SSML <prosody>, so one eSpeak
 * call renders all of a speaker's clips.
 */
export const DEMO_CLASSES = ['neutral', 'happy', 'sad', 'angry'] as const;
export type DemoClass = (typeof DEMO_CLASSES)[number];

export interface DemoSpeaker {
  id: string;
  voice: string;
  gender: 'male' | 'female';
  /** added to eSpeak's default pitch (-p 50) */
  pitchOffset: number;
  /** multiplies eSpeak's default speed (-s 165) */
  speedScale: number;
}

export const DEMO_SPEAKERS: readonly DemoSpeaker[] = [
  { id: 'm1', voice: 'en-us+m1', gender: 'male', pitchOffset: -4, speedScale: 1.0 },
  { id: 'm3', voice: 'en-us+m3', gender: 'male', pitchOffset: 3, speedScale: 0.95 },
  { id: 'm7', voice: 'en-us+m7', gender: 'male', pitchOffset: 0, speedScale: 1.07 },
  { id: 'gb-m2', voice: 'en-gb+m2', gender: 'male', pitchOffset: 6, speedScale: 1.0 },
  { id: 'john', voice: 'en-us+john', gender: 'male', pitchOffset: -6, speedScale: 1.04 },
  { id: 'f1', voice: 'en-us+f1', gender: 'female', pitchOffset: 0, speedScale: 1.0 },
  { id: 'f3', voice: 'en-us+f3', gender: 'female', pitchOffset: -5, speedScale: 1.05 },
  { id: 'f4', voice: 'en-us+f4', gender: 'female', pitchOffset: 4, speedScale: 0.96 },
  { id: 'andrea', voice: 'en-us+Andrea', gender: 'female', pitchOffset: -8, speedScale: 1.02 },
  { id: 'linda', voice: 'en-us+linda', gender: 'female', pitchOffset: -3, speedScale: 0.98 },
];

export interface EmotionProsody {
  /** SSML prosody pitch change in percent (eSpeak maps +100 % to roughly +65 % F0 and saturates there) */
  pitchPct: number;
  /** SSML prosody rate in percent of the speaker's speed */
  ratePct: number;
  /** SSML prosody range in percent of the voice's default pitch range */
  rangePct: number;
  /** level change applied after synthesis, dB (SSML volume barely moves eSpeak's output level) */
  levelDb: number;
  /**
   * Voice-quality stand-in applied after synthesis: > 0 brightens (first-difference emphasis, a
   * tense/pressed voice), < 0 darkens (one-pole low-pass, a lax/breathy voice).
   */
  tilt: number;
}

export const EMOTION_PROSODY: Record<DemoClass, EmotionProsody> = {
  neutral: { pitchPct: 0, ratePct: 100, rangePct: 90, levelDb: 0, tilt: 0 },
  happy: { pitchPct: 45, ratePct: 110, rangePct: 180, levelDb: 1.5, tilt: 0.25 },
  sad: { pitchPct: -35, ratePct: 78, rangePct: 45, levelDb: -2.5, tilt: -0.5 },
  angry: { pitchPct: 20, ratePct: 120, rangePct: 150, levelDb: 3.5, tilt: 0.7 },
};

/** eSpeak defaults the speakers' offsets apply to: -p 50, -s 165 words/min. */
export const SPEAKER_BASE = { pitch: 50, speed: 165 };

/** Per-utterance random variation, uniform in ±these. */
export const UTTERANCE_JITTER = {
  /** SSML pitch, percent */
  pitchPct: 18,
  /** SSML rate, percent */
  ratePct: 12,
  /** SSML range, percent points */
  rangePct: 30,
  /** gain applied after synthesis, dB (wide on purpose: recording level says nothing about emotion) */
  gainDb: 9,
  /** SNR range of the added noise, dB */
  snrDb: [5, 30] as const,
};
