/**
 * `ds-cnn-s-32k` fits the device budget on the RAVDESS input [298, 40, 1]: compiled to int8
 * by the real compiler (untrained weights: the arena and the weight bytes do not depend on their
 * values), the TFLM arena is at most 32 KB and the int8 weights at most 64 KB, and the generated
 * C (our kernels) accepts every op. Counts are checked against a hand derivation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildArchitecture, countModel } from '../../models/architectures/index.js';
import { saveLayersModelToDir } from '../../models/export/tfjs-layers-files.js';
import { initWasmTraining } from '../../models/train/wasm-backend.js';
import { compileGraph, loadModelFile } from '../../compiler/index.js';
import { generateModelCFromTflite } from '../../compiler/writers/c/index.js';
import { prngFor } from '../../models/augment/prng.js';

beforeAll(async () => {
  await initWasmTraining();
});

describe('ds-cnn-s-32k', () => {
  it('counts: 8-ch stem, band collapse, 4 temporal DS blocks of 64 channels', () => {
    const m = buildArchitecture('ds-cnn-s-32k', { inputShape: [298, 40, 1], numClasses: 4, seed: 1 });
    const c = countModel(m);
    // stem 10x4x1x8, collapse 1x10x8x64, 4 x (dw 9x1x64 + pw 64x64), dense 64x4+4, BN gamma/beta on 10 layers
    expect(c.trainableParams).toBe(10 * 4 * 8 + 10 * 8 * 64 + 4 * (9 * 64 + 64 * 64) + 64 * 4 + 4 + 2 * (8 + 64 + 8 * 64));
    // stem stride (2, 4): 149 x 10; collapse: 149 x 1; block 1 strides 2: 75 steps for all blocks
    expect(c.macs).toBe(149 * 10 * 8 * 40 + 149 * 64 * 80 + 4 * (75 * 64 * 9 + 75 * 64 * 64) + 64 * 4);
    m.dispose();
  });

  it('int8: arena <= 32 KB, weights <= 64 KB, every op has a C kernel', async () => {
    const m = buildArchitecture('ds-cnn-s-32k', { inputShape: [298, 40, 1], numClasses: 4, seed: 2 });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tinyser-32k-'));
    try {
      await saveLayersModelToDir(m, dir);
      m.dispose();
      const rng = prngFor(5, 'calibration', 0);
      const calibration = Array.from({ length: 2 }, () => [Float32Array.from({ length: 298 * 40 }, () => rng.uniform(-3, 3))]);
      const r = await compileGraph(loadModelFile(path.join(dir, 'model.json')), { calibration, verify: false });
      expect(r.report.totals.arenaBytes).toBeLessThanOrEqual(32 * 1024);
      expect(r.report.totals.weightBytes).toBeLessThanOrEqual(64 * 1024);
      // the int8 input alone is 11,920 B: the plan must hold more than that and stay within budget
      expect(r.plan.arenaBytes).toBeGreaterThan(298 * 40);
      // global average pooling may be lowered to MEAN or AVERAGE_POOL_2D (+ RESHAPE) by the compiler
      const allowed = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'MEAN', 'AVERAGE_POOL_2D', 'RESHAPE', 'FULLY_CONNECTED', 'SOFTMAX']);
      expect(r.operators.filter((o) => !allowed.has(o))).toEqual([]);
      expect(() => generateModelCFromTflite(r.tflite, 'ds-cnn-s-32k.tflite')).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
