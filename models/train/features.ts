/**
 * Dataset items -> fixed-length feature tensors for training, through the SAME float64 frontend
 * the device's fixed-point path is verified against (runtime-sim/frontend, DESIGN contract 5).
 *
 * Clip length: every clip becomes exactly `clipSeconds` of 16 kHz audio before feature extraction
 * (longer clips: the centred window; shorter clips: centred with zero padding on both sides), so
 * a 3 s clip gives frameCount(48000, 400, 160) = 298 frames x 40 HTK log-mel bands. The device
 * sees the same 3 s window.
 *
 * Features are extracted WITHOUT normalisation and cached per item under
 * <repo>/.cache/features/<frontend hash>-<clip samples>/<item key>.f32 (item key = sha256 of the
 * file path, size and mtime, or of the samples for in-memory audio). Normalisation statistics
 * come from the training split afterwards (feature-set.ts) and go into the frontend config.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TinyserError } from '../../common/errors.js';
import { startProgress } from '../../common/progress.js';
import { findRepoRoot } from '../datasets/demo/demo-cache.js';
import { readWav } from '../datasets/wav-io.js';
import {
  computeFeaturesFloat64,
  defaultFrontendConfig,
  frameCount,
  frontendConfigHash,
  parseFrontendConfig,
  type FrontendConfig,
} from '../../runtime-sim/frontend/index.js';
import type { BandNormalization, FeatureSet } from './feature-set.js';

export interface AudioItem {
  /** stable id (file path for corpus items) */
  id: string;
  path?: string;
  /** in-memory audio (16 kHz int16); read from `path` when absent */
  samplesInt16?: Int16Array;
  classIndex: number;
  speaker: string;
}

export interface FeatureExtractionOptions {
  /** frontend config WITHOUT normalisation; default: defaultFrontendConfig() (40 HTK log-mel, 25/10 ms) */
  frontend?: FrontendConfig;
  clipSeconds?: number;
  /** cache root; null disables the cache */
  cacheDir?: string | null;
  progress?: boolean;
}

export interface ExtractedFeatures {
  set: FeatureSet;
  frontend: FrontendConfig;
  frontendHash: string;
  clipSamples: number;
  cacheHits: number;
}

export const DEFAULT_CLIP_SECONDS = 3;

export function defaultTrainingFrontend(): FrontendConfig {
  const c = defaultFrontendConfig();
  return parseFrontendConfig({ ...c, normalization: undefined });
}

/** Centre-crop or centre-pad (zeros) to exactly `clipSamples`. */
export function fixClipLength(samples: Int16Array, clipSamples: number): Int16Array {
  if (samples.length === clipSamples) return samples;
  if (samples.length > clipSamples) {
    const start = Math.floor((samples.length - clipSamples) / 2);
    return samples.slice(start, start + clipSamples);
  }
  const out = new Int16Array(clipSamples);
  out.set(samples, Math.floor((clipSamples - samples.length) / 2));
  return out;
}

/**
 * The frontend config with the training split's per-band normalisation (and, when given, the int8
 * output quantisation the model input will use) filled in.
 */
export function withNormalization(
  frontend: FrontendConfig,
  norm: BandNormalization,
  quantization?: { scale: number; zeroPoint: number },
): FrontendConfig {
  return parseFrontendConfig(
    { ...frontend, normalization: { mean: norm.mean, std: norm.std }, ...(quantization ? { quantization } : {}) },
    'training frontend config',
  );
}

async function itemKey(item: AudioItem): Promise<string> {
  const h = createHash('sha256');
  if (item.samplesInt16) {
    h.update('mem:');
    h.update(new Uint8Array(item.samplesInt16.buffer, item.samplesInt16.byteOffset, item.samplesInt16.byteLength));
  } else if (item.path) {
    const st = await stat(item.path);
    h.update(`file:${path.resolve(item.path)}:${st.size}:${st.mtimeMs}`);
  } else {
    throw new TinyserError('INPUT', `dataset item ${item.id} has neither samples nor a path`);
  }
  return h.digest('hex').slice(0, 32);
}

export async function extractFeatureSet(
  items: readonly AudioItem[],
  classNames: readonly string[],
  opts: FeatureExtractionOptions = {},
): Promise<ExtractedFeatures> {
  const frontend = opts.frontend ?? defaultTrainingFrontend();
  if (frontend.normalization) {
    throw new TinyserError('CONFIG', 'extractFeatureSet wants the frontend config without normalization (statistics come from the training split)');
  }
  const clipSamples = Math.round((opts.clipSeconds ?? DEFAULT_CLIP_SECONDS) * frontend.sampleRate);
  const frames = frameCount(clipSamples, frontend.windowSamples, frontend.hopSamples);
  const frontendHash = frontendConfigHash(frontend);
  const cacheDir =
    opts.cacheDir === null ? null : path.join(opts.cacheDir ?? path.join(findRepoRoot(), '.cache', 'features'), `${frontendHash}-${clipSamples}`);
  if (cacheDir) await mkdir(cacheDir, { recursive: true });
  let bands = 0;
  let x = new Float32Array(0);
  let cacheHits = 0;
  const bar = startProgress({ label: 'features', total: items.length, enabled: opts.progress });
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    let feat: Float32Array | null = null;
    const file = cacheDir ? path.join(cacheDir, `${await itemKey(item)}.f32`) : null;
    if (file && existsSync(file)) {
      const b = await readFile(file);
      feat = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
      cacheHits++;
    } else {
      const samples = item.samplesInt16 ?? (await readWav(item.path!)).samplesInt16;
      const f = computeFeaturesFloat64(fixClipLength(samples, clipSamples), frontend);
      if (f.frames !== frames) {
        throw new TinyserError('INPUT', `${item.path ?? item.id}: frontend produced ${f.frames} frames, expected ${frames}`);
      }
      feat = Float32Array.from(f.data);
      if (file) await writeFile(file, new Uint8Array(feat.buffer));
    }
    if (i === 0) {
      bands = feat.length / frames;
      x = new Float32Array(items.length * frames * bands);
    }
    if (feat.length !== frames * bands) {
      throw new TinyserError('INPUT', `${item.path ?? item.id}: ${feat.length} feature values, expected ${frames} x ${bands} (stale cache? delete ${cacheDir})`);
    }
    x.set(feat, i * frames * bands);
    bar.tick(1);
  }
  bar.stop();
  return {
    set: {
      frames,
      bands,
      x,
      labels: Int32Array.from(items.map((it) => it.classIndex)),
      speakers: items.map((it) => it.speaker),
      ids: items.map((it) => it.id),
      classNames: [...classNames],
    },
    frontend,
    frontendHash,
    clipSamples,
    cacheHits,
  };
}
