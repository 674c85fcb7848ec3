/**
 * `tinyser compile run/model.json --calib wavs/`: WAV calibration uses the frontend.json that
 * `tinyser train` writes beside model.json (with the split's band normalization), and the build
 * folder gets a frontend.json whose int8 quantization is the compiled model's input quantization,
 * which is what firmware build, hil and the templates read.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeWavInt16 } from '../../runtime-sim/audio/index.js';
import { defaultFrontendConfig, featureDims } from '../../runtime-sim/frontend/index.js';
import { repoRoot } from './fixtures.js';
import { artifactsOf } from './tfjs-helpers.js';

const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
const cli = (...args: string[]) => spawnSync(tsx, [path.join(repoRoot, 'cli/main.ts'), ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
const FRAMES = 49;

describe('tinyser compile with a training run folder (CLI)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tinyser-compile-fe-'));
  const run = path.join(dir, 'run');
  const wavs = path.join(dir, 'wavs');
  const dims = featureDims(defaultFrontendConfig());
  // A normalization far from identity, so calibrating without it gives a different input range.
  const trained = { ...defaultFrontendConfig(), normalization: { mean: Array<number>(dims).fill(-6), std: Array<number>(dims).fill(0.5) } };

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [FRAMES, dims, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
        tfl.layers.globalAveragePooling2d({}),
        tfl.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    const art = await artifactsOf(model);
    mkdirSync(run);
    writeFileSync(path.join(run, 'weights.bin'), new Uint8Array(art.weightData as ArrayBuffer));
    writeFileSync(path.join(run, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: art.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: art.weightSpecs }] }));
    writeFileSync(path.join(run, 'frontend.json'), JSON.stringify(trained));
    writeFileSync(path.join(dir, 'plain-frontend.json'), JSON.stringify(defaultFrontendConfig()));
    mkdirSync(wavs);
    for (let k = 0; k < 3; k++) {
      const pcm = Int16Array.from({ length: 16000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * (200 + 150 * k) * i) / 16000) * (0.3 + 0.7 * Math.abs(Math.sin((Math.PI * i) / 8000)))));
      writeFileSync(path.join(wavs, `clip${k}.wav`), encodeWavInt16(pcm, 16000));
    }
  });

  it('calibrates with the run folder frontend.json and writes the deployed one with the model input quantization', () => {
    const out = path.join(dir, 'build');
    const r = cli('--json', 'compile', path.join(run, 'model.json'), '--calib', wavs, '--out', out, '--eval-count', '2');
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { input: { scale: number; zeroPoint: number }; files: string[] };
    expect(report.files).toContain(path.join(out, 'frontend.json'));
    const deployed = JSON.parse(readFileSync(path.join(out, 'frontend.json'), 'utf8')) as typeof trained & { quantization: { scale: number; zeroPoint: number } };
    expect(deployed.quantization).toEqual({ scale: report.input.scale, zeroPoint: report.input.zeroPoint });
    expect(deployed.normalization).toEqual(trained.normalization);

    // The same model calibrated on un-normalized features gets another input range: the run folder's
    // frontend.json was really used above.
    const plain = cli('--json', 'compile', path.join(run, 'model.json'), '--calib', wavs, '--out', path.join(dir, 'plain'), '--eval-count', '0', '--frontend', path.join(dir, 'plain-frontend.json'));
    expect(plain.status).toBe(0);
    const plainInput = (JSON.parse(plain.stdout) as { input: { scale: number; zeroPoint: number } }).input;
    expect(plainInput).not.toEqual(report.input);
  }, 240_000);
});
