/**
 * Synthetic emotional speech for demos and tests. Four classes whose prosody follows acted emotion
 * (demo-voices.ts), ten voice-variant "speakers", per-utterance jitter of pitch, rate, range and
 * level, a random recording gain and noise at a random SNR (5-30 dB), so that no single cue like
 * loudness or mean pitch solves the task and speaker-independent evaluation means something.
 *
 * Deterministic: every utterance draws from its own stream prngFor(seed, class, index), so the
 * output depends only on (seed, count, engine). Results are cached as 16 kHz int16 WAVs in
 * <cache>/<hash>/<class>/<speaker>/ plus manifest.json, written to a temporary directory and
 * renamed into place so concurrent test workers never see a half-written cache.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TinyserError, UsageError } from '../../../common/errors.js';
import { addNoiseAtSnr } from '../../augment/add-noise.js';
import type { NoiseColor } from '../../augment/colored-noise.js';
import { prngFor } from '../../augment/prng.js';
import { resampleByStepFloat64 } from '../../augment/resample-sinc.js';
import { encodeWavInt16 } from '../wav-io.js';
import { defaultDemoCacheRoot, paramsHash } from './demo-cache.js';
import { DEMO_CLASSES, DEMO_SPEAKERS, EMOTION_PROSODY, SPEAKER_BASE, UTTERANCE_JITTER, type DemoClass, type DemoSpeaker } from './demo-voices.js';
import { ESPEAK_SAMPLE_RATE, loadEspeak, type EspeakEngine } from './espeak-synth.js';
import { synthesizeFormantUtterance } from './formant-synth.js';
import { DEMO_SENTENCES } from './sentences.js';
import { splitOnSilence } from './split-on-silence.js';
import { applySpectralTiltFloat64 } from './voice-quality.js';

export const DEMO_SAMPLE_RATE = 16000;
/** Bump whenever the synthesis recipe changes: it is part of the cache key. */
const GENERATOR_VERSION = 4;
/** Break between utterances of one batch; the splitter cuts at gaps of at least half of it. */
const BATCH_BREAK_MS = 1400;

export type DemoEngine = 'espeak-ng' | 'formant';

export interface DemoOptions {
  seed?: number;
  /** clips per class */
  count?: number;
  /** cache root; default <repo>/.cache/demo-data */
  cacheDir?: string;
  /** 'auto' uses eSpeak NG when installed and the formant synthesiser otherwise */
  engine?: DemoEngine | 'auto';
  onProgress?: (done: number, total: number) => void;
}

export interface DemoClipInfo {
  /** relative to the dataset directory */
  file: string;
  label: DemoClass;
  classIndex: number;
  speaker: string;
  gender: 'male' | 'female';
  sentence: string;
  /** speaker-level eSpeak settings (-v, -p, -s) and the utterance's SSML prosody */
  espeak: { voice: string; pitch: number; speed: number; pitchPct: number; ratePct: number; rangePct: number };
  tilt: number;
  /** emotion level change, dB (before the random gain) */
  levelDb: number;
  gainDb: number;
  noise: NoiseColor;
  snrDb: number;
  durationSec: number;
}

export interface DemoManifest {
  generator: 'tinyser-demo';
  version: number;
  params: { seed: number; count: number; engine: DemoEngine };
  engine: DemoEngine;
  sampleRate: number;
  classes: string[];
  speakers: { id: string; gender: 'male' | 'female'; voice: string }[];
  clips: DemoClipInfo[];
}

export interface DemoGenerationResult {
  dir: string;
  manifest: DemoManifest;
  fromCache: boolean;
  /** wall time spent generating (0 when cached) */
  seconds: number;
}

interface PlannedUtterance {
  info: Omit<DemoClipInfo, 'durationSec'>;
  speaker: DemoSpeaker;
  ssml: string;
  seedPath: [number, number, number];
}

const jitter = (r: { uniform(a: number, b: number): number }, amount: number): number => r.uniform(-amount, amount);

function planUtterances(seed: number, count: number): PlannedUtterance[] {
  const plan: PlannedUtterance[] = [];
  DEMO_CLASSES.forEach((label, classIndex) => {
    const p = EMOTION_PROSODY[label];
    for (let j = 0; j < count; j++) {
      // speakers rotate with an offset per class so small counts still give every class several speakers
      const speaker = DEMO_SPEAKERS[(j + 3 * classIndex) % DEMO_SPEAKERS.length];
      const r = prngFor(seed, 'demo', label, j);
      const sentence = r.pick(DEMO_SENTENCES);
      const pitchPct = Math.round(p.pitchPct + jitter(r, UTTERANCE_JITTER.pitchPct));
      const ratePct = Math.round(p.ratePct * (1 + jitter(r, UTTERANCE_JITTER.ratePct) / 100));
      const rangePct = Math.max(10, Math.round(p.rangePct + jitter(r, UTTERANCE_JITTER.rangePct)));
      const gainDb = jitter(r, UTTERANCE_JITTER.gainDb);
      const noise = r.pick(['white', 'pink', 'brown'] as const);
      const snrDb = r.uniform(UTTERANCE_JITTER.snrDb[0], UTTERANCE_JITTER.snrDb[1]);
      const sign = (v: number): string => (v >= 0 ? `+${v}` : String(v));
      plan.push({
        speaker,
        seedPath: [seed, classIndex, j],
        ssml: `<prosody pitch="${sign(pitchPct)}%" rate="${ratePct}%" range="${rangePct}%">${sentence}</prosody>`,
        info: {
          file: path.join(label, speaker.id, `${label}_${speaker.id}_${String(j).padStart(4, '0')}.wav`),
          label,
          classIndex,
          speaker: speaker.id,
          gender: speaker.gender,
          sentence,
          espeak: {
            voice: speaker.voice,
            pitch: Math.max(0, Math.min(99, SPEAKER_BASE.pitch + speaker.pitchOffset)),
            speed: Math.round(SPEAKER_BASE.speed * speaker.speedScale),
            pitchPct,
            ratePct,
            rangePct,
          },
          tilt: p.tilt,
          levelDb: p.levelDb,
          gainDb,
          noise,
          snrDb,
        },
      });
    }
  });
  return plan;
}

async function synthesizeBatchEspeak(engine: EspeakEngine, batch: PlannedUtterance[]): Promise<Int16Array[]> {
  const first = batch[0];
  const args = (body: string): string[] => [
    '-m',
    '-v', first.speaker.voice,
    '-p', String(first.info.espeak.pitch),
    '-s', String(first.info.espeak.speed),
    `<speak>${body}</speak>`,
  ];
  const body = batch.map((u) => `${u.ssml}<break time="${BATCH_BREAK_MS}ms"/>`).join('');
  const segments = splitOnSilence(await engine.synthesize(args(body)), ESPEAK_SAMPLE_RATE, { minGapSec: BATCH_BREAK_MS / 2000 });
  if (segments.length === batch.length) return segments;
  // The splitter disagreed with the plan (an unexpected pause): synthesise one by one instead.
  const out: Int16Array[] = [];
  for (const u of batch) {
    const segs = splitOnSilence(await engine.synthesize(args(u.ssml)), ESPEAK_SAMPLE_RATE, { minGapSec: 10 });
    if (segs.length !== 1) throw new TinyserError('TOOLCHAIN', `espeak-ng produced no audio for "${u.info.sentence}" (${u.speaker.voice})`);
    out.push(segs[0]);
  }
  return out;
}

/** Synthesised 22.05 kHz int16 -> 16 kHz float64 with voice quality, gain and noise applied. */
function postProcess(raw: Int16Array, sourceRate: number, u: PlannedUtterance): Float32Array {
  let x: Float64Array = Float64Array.from(raw, (v) => v / 32768);
  if (sourceRate !== DEMO_SAMPLE_RATE) {
    const step = sourceRate / DEMO_SAMPLE_RATE;
    x = resampleByStepFloat64(x, step, Math.floor(x.length / step));
  }
  x = applySpectralTiltFloat64(x, u.info.tilt);
  const g = Math.pow(10, (u.info.levelDb + u.info.gainDb) / 20);
  for (let i = 0; i < x.length; i++) x[i] *= g;
  const r = prngFor(u.seedPath[0], 'demo-noise', u.seedPath[1], u.seedPath[2]);
  const { mixed } = addNoiseAtSnr(x, r, { snrDb: u.info.snrDb, source: u.info.noise });
  // Keep clear of int16 clipping; recording level is random anyway.
  let peak = 0;
  for (let i = 0; i < mixed.length; i++) peak = Math.max(peak, Math.abs(mixed[i]));
  if (peak > 0.97) for (let i = 0; i < mixed.length; i++) mixed[i] *= 0.97 / peak;
  return mixed;
}

export function toInt16(x: Float32Array): Int16Array {
  return Int16Array.from(x, (v) => Math.max(-32768, Math.min(32767, Math.round(v * 32768))));
}

async function resolveEngine(requested: DemoOptions['engine']): Promise<{ engine: DemoEngine; espeak: EspeakEngine | null }> {
  if (requested === 'formant') return { engine: 'formant', espeak: null };
  const espeak = await loadEspeak();
  if (espeak) return { engine: 'espeak-ng', espeak };
  if (requested === 'espeak-ng') {
    throw new UsageError('the espeak-ng package is not installed (it is an optional dependency): run `npm install espeak-ng` or use engine "formant"');
  }
  return { engine: 'formant', espeak: null };
}

export function demoDatasetDir(opts: { seed: number; count: number; engine: DemoEngine; cacheDir?: string }): string {
  const hash = paramsHash({ generator: 'tinyser-demo', version: GENERATOR_VERSION, seed: opts.seed, count: opts.count, engine: opts.engine });
  return path.join(opts.cacheDir ?? defaultDemoCacheRoot(), hash);
}

function readManifest(dir: string): DemoManifest | null {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) return null;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as DemoManifest;
    if (m.generator !== 'tinyser-demo' || m.version !== GENERATOR_VERSION) return null;
    return m.clips.every((c) => existsSync(path.join(dir, c.file))) ? m : null;
  } catch {
    return null;
  }
}

export async function generateDemoDataset(opts: DemoOptions = {}): Promise<DemoGenerationResult> {
  const seed = opts.seed ?? 1;
  const count = opts.count ?? 60;
  if (!Number.isInteger(seed)) throw new UsageError(`demo seed must be an integer, got ${seed}`);
  if (!Number.isInteger(count) || count < 1 || count > 5000) throw new UsageError(`demo count (clips per class) must be 1..5000, got ${count}`);
  const { engine, espeak } = await resolveEngine(opts.engine ?? 'auto');
  const dir = demoDatasetDir({ seed, count, engine, cacheDir: opts.cacheDir });
  const cachedManifest = readManifest(dir);
  if (cachedManifest) return { dir, manifest: cachedManifest, fromCache: true, seconds: 0 };

  // a directory without a valid manifest is a crashed or older run: replace it
  if (existsSync(dir)) await rm(dir, { recursive: true, force: true });
  const t0 = performance.now();
  const plan = planUtterances(seed, count);
  const batches = new Map<string, PlannedUtterance[]>();
  for (const u of plan) {
    const key = u.speaker.id; // one eSpeak call per speaker: its instantiation dominates the cost
    const list = batches.get(key);
    if (list) list.push(u);
    else batches.set(key, [u]);
  }
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  const clips: DemoClipInfo[] = [];
  try {
    let done = 0;
    for (const batch of batches.values()) {
      const raws = espeak
        ? await synthesizeBatchEspeak(espeak, batch)
        : batch.map((u) => synthesizeFormantUtterance(u.info, prngFor(u.seedPath[0], 'demo-formant', u.seedPath[1], u.seedPath[2])));
      const rate = espeak ? ESPEAK_SAMPLE_RATE : DEMO_SAMPLE_RATE;
      for (let i = 0; i < batch.length; i++) {
        const u = batch[i];
        const samples = toInt16(postProcess(raws[i], rate, u));
        await mkdir(path.join(tmp, path.dirname(u.info.file)), { recursive: true });
        await writeFile(path.join(tmp, u.info.file), encodeWavInt16(samples, DEMO_SAMPLE_RATE));
        clips.push({ ...u.info, durationSec: samples.length / DEMO_SAMPLE_RATE });
      }
      done += batch.length;
      opts.onProgress?.(done, plan.length);
    }
    // manifest lists clips in plan order (class, index), independent of batching
    const order = new Map(plan.map((u, i) => [u.info.file, i]));
    clips.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
    const manifest: DemoManifest = {
      generator: 'tinyser-demo',
      version: GENERATOR_VERSION,
      params: { seed, count, engine },
      engine,
      sampleRate: DEMO_SAMPLE_RATE,
      classes: [...DEMO_CLASSES],
      speakers: DEMO_SPEAKERS.map((s) => ({ id: s.id, gender: s.gender, voice: engine === 'espeak-ng' ? s.voice : 'formant' })),
      clips,
    };
    await writeFile(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 1));
    try {
      await rename(tmp, dir);
    } catch (e) {
      // another process finished the same parameters first: keep theirs
      const other = readManifest(dir);
      if (!other) throw e;
      await rm(tmp, { recursive: true, force: true });
      return { dir, manifest: other, fromCache: true, seconds: (performance.now() - t0) / 1000 };
    }
    return { dir, manifest, fromCache: false, seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
