/**
 * Access to ../shared/golden/microfrontend for the TFLM frontend tests. Nothing is copied into the
 * repo; tests skip with a reason when the folder (or the RAVDESS dataset) is absent.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  TFLM_DEFAULT_CONFIG,
  TFLM_MICRO_SPEECH_CONFIG,
  type TflmFrontendConfig,
} from '../../runtime-sim/frontend/tflm/index.ts';
import { readWav } from '../../runtime-sim/audio/index.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = path.resolve(repoRoot, '../shared');
export const goldenRoot = path.join(sharedDir, 'golden');
export const microfrontendDir = path.join(goldenRoot, 'microfrontend');
export const hasGolden = existsSync(path.join(microfrontendDir, 'default', 'manifest.json'));
export const noGoldenReason = `TFLM goldens absent: ${microfrontendDir} not found (needs ../shared next to the repo)`;

export type GoldenConfigName = 'default' | 'micro_speech';
export const GOLDEN_CONFIGS: ReadonlyArray<{ name: GoldenConfigName; config: TflmFrontendConfig }> = [
  { name: 'default', config: TFLM_DEFAULT_CONFIG },
  { name: 'micro_speech', config: TFLM_MICRO_SPEECH_CONFIG },
];

export interface GoldenFile {
  wav: string;
  num_samples: number;
  pcm_sha256: string;
  features: string;
  frames: number;
  channels: number;
}

export interface GoldenStage {
  file: string;
  dtype: 'int16' | 'int32' | 'uint16' | 'uint32' | 'uint64';
  shape: number[];
}

export interface GoldenManifest {
  config: {
    window: { size_ms: number; step_size_ms: number };
    filterbank: { num_channels: number; lower_band_limit: number; upper_band_limit: number };
    noise_reduction: { smoothing_bits: number; even_smoothing: number; odd_smoothing: number; min_signal_remaining: number };
    pcan_gain_control: { enable_pcan: number; strength: number; offset: number; gain_bits: number };
    log_scale: { enable_log: number; scale_shift: number };
  };
  derived: Record<string, number | null | Record<string, number>>;
  files: GoldenFile[];
  stages: { wav: string; files: GoldenStage[] };
}

export function readManifest(name: GoldenConfigName): GoldenManifest {
  return JSON.parse(readFileSync(path.join(microfrontendDir, name, 'manifest.json'), 'utf8')) as GoldenManifest;
}

export function readTablesJson(name: GoldenConfigName): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(microfrontendDir, name, 'tables.json'), 'utf8')) as Record<string, unknown>;
}

/** The wav of a manifest entry (paths are relative to golden/). */
export function goldenWavPath(file: GoldenFile): string {
  return path.resolve(goldenRoot, file.wav);
}

/** Raw little-endian bytes as a typed array (copied so the alignment is right). */
export function readBin(file: string, dtype: GoldenStage['dtype']): Int16Array | Int32Array | Uint16Array | Uint32Array | BigUint64Array {
  const b = readFileSync(file);
  const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  switch (dtype) {
    case 'int16':
      return new Int16Array(ab);
    case 'int32':
      return new Int32Array(ab);
    case 'uint16':
      return new Uint16Array(ab);
    case 'uint32':
      return new Uint32Array(ab);
    case 'uint64':
      return new BigUint64Array(ab);
  }
}

/**
 * 16 kHz int16 PCM of a wav through runtime-sim/audio's readWav. The golden wavs are 16-bit mono
 * 16 kHz, so samplesInt16 is the data chunk unchanged; the feature test also checks the PCM sha256
 * from the manifest, which would catch any conversion.
 */
export async function readWavInt16(file: string): Promise<Int16Array> {
  const clip = await readWav(file, { targetSampleRate: 16000 });
  if (clip.sourceSampleRate !== 16000 || clip.sourceChannels !== 1 || clip.sourceEncoding !== 'pcm_s16le') {
    throw new Error(`${file}: expected 16 kHz mono 16-bit PCM, got ${clip.sourceSampleRate} Hz, ${clip.sourceChannels} ch, ${clip.sourceEncoding}`);
  }
  return clip.samplesInt16;
}

export function sha256OfInt16(samples: Int16Array): string {
  return createHash('sha256').update(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength)).digest('hex');
}

/** Index and values of the first mismatch, for a readable failure message. */
export function firstMismatch<T>(a: ArrayLike<T>, b: ArrayLike<T>): string | null {
  if (a.length !== b.length) return `length ${a.length} != ${b.length}`;
  let count = 0;
  let first = -1;
  for (let i = 0; i < a.length; ++i) {
    if (a[i] !== b[i]) {
      if (first < 0) first = i;
      count++;
    }
  }
  return first < 0 ? null : `${count} differ; first at ${first}: ${String(a[first])} != ${String(b[first])}`;
}
