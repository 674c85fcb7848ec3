/**
 * A small real SER model for the end-to-end tests: the committed DS-CNN ONNX fixture
 * (test/fixtures/onnx/ds_cnn.onnx, input 49 frames x 40 log-mel bands) compiled to int8 with
 * calibration from tinyser's float64 frontend features of deterministic speech-like audio.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileGraph } from '../../compiler/compile.js';
import { importOnnx } from '../../compiler/import/onnx/import-onnx.js';
import { computeFeaturesFloat64, defaultFrontendConfig, type FrontendConfig } from '../../runtime-sim/frontend/index.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DS_CNN_FRAMES = 49;

/** Deterministic speech-like signal: harmonic bursts with noise and pauses (seeded xorshift). */
export function speechLike(samples: number, seed = 1): Int16Array {
  let s = seed >>> 0 || 1;
  const r = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000 - 0.5;
  };
  const pcm = new Int16Array(samples);
  for (let i = 0; i < samples; i++) {
    const syll = Math.floor(i / 2800);
    const on = syll % 4 !== 3;
    const env = on ? 0.2 + 0.8 * Math.sin((Math.PI * (i % 2800)) / 2800) : 0.02;
    const f0 = (110 + 40 * ((syll * 7 + seed) % 5)) / 16000;
    const v = env * (7000 * Math.sin(2 * Math.PI * f0 * i) + 3000 * Math.sin(6 * Math.PI * f0 * i) + 1500 * Math.sin(10 * Math.PI * f0 * i) + 2500 * r());
    pcm[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  return pcm;
}

export interface CompiledFixture {
  tflite: Uint8Array;
  frontend: FrontendConfig;
}

/** Compiles ds_cnn.onnx with 24 calibration windows of frontend features (a few seconds). */
export async function compileDsCnnFixture(): Promise<CompiledFixture> {
  const frontend = defaultFrontendConfig();
  const bytes = new Uint8Array(readFileSync(path.join(repoRoot, 'test/fixtures/onnx/ds_cnn.onnx')));
  const graph = importOnnx(bytes, { source: 'ds_cnn.onnx' });
  const calibration: Float64Array[][] = [];
  for (let seed = 1; calibration.length < 24; seed++) {
    const f = computeFeaturesFloat64(speechLike(16000 * 2, seed), frontend);
    for (let t = 0; t + DS_CNN_FRAMES <= f.frames && calibration.length < 24; t += 37) {
      calibration.push([f.data.slice(t * f.dims, (t + DS_CNN_FRAMES) * f.dims)]);
    }
  }
  const r = await compileGraph(graph, { calibration, verify: false, name: 'ds_cnn' });
  return { tflite: r.tflite, frontend };
}
