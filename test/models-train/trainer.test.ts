/**
 * The training loop on synthetic features (fast): a short run clearly beats chance on held-out
 * speakers, tensors do not leak across epochs, checkpoints round-trip, and a resumed run continues
 * the epoch count with the same result as an uninterrupted one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initWasmTraining } from '../../models/train/wasm-backend.js';
import { trainClassifier, predictProbabilities, type EpochLog } from '../../models/train/trainer.js';
import { loadLayersModelFromDir, saveLayersModelToDir } from '../../models/export/tfjs-layers-files.js';
import { syntheticFeatureSet } from './synthetic-features.js';

const classNames = ['neutral', 'happy', 'sad', 'angry'];
const frames = 40;
const bands = 16;
const train = syntheticFeatureSet({ speakers: ['s1', 's2', 's3', 's4', 's5', 's6'], perSpeakerPerClass: 6, frames, bands, classNames, seed: 1 });
const val = syntheticFeatureSet({ speakers: ['v1', 'v2'], perSpeakerPerClass: 6, frames, bands, classNames, seed: 2 });
const base = { arch: 'small-cnn', batchSize: 16, learningRate: 3e-3, seed: 7, patience: 50, classWeighting: true };

let tmp: string;
beforeAll(async () => {
  await initWasmTraining();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tinyser-train-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('trainClassifier', () => {
  it('beats chance on held-out speakers and does not leak tensors across epochs', async () => {
    const counts: number[] = [];
    const result = await trainClassifier({ train, val }, { ...base, epochs: 6 }, {
      onEpoch: () => counts.push(tf.memory().numTensors),
    });
    expect(result.history).toHaveLength(6);
    // chance UA is 0.25 with 4 balanced classes
    expect(result.bestValUA).toBeGreaterThan(0.6);
    expect(result.valMetrics.ua).toBeCloseTo(result.bestValUA, 6);
    // the tensor count after each epoch is flat: nothing per batch or per epoch survives
    expect(new Set(counts.slice(1)).size).toBe(1);
    result.model.dispose();
  });

  it('saves and loads a checkpoint with identical predictions', async () => {
    const result = await trainClassifier({ train, val }, { ...base, epochs: 1 });
    const dir = path.join(tmp, 'roundtrip');
    await saveLayersModelToDir(result.model, dir);
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as { format: string; weightsManifest: { paths: string[] }[] };
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0]!.paths).toEqual(['./weights.bin']);
    const loaded = await loadLayersModelFromDir(dir);
    const a = predictProbabilities(result.model, val);
    const b = predictProbabilities(loaded, val);
    expect(Array.from(b)).toEqual(Array.from(a));
    result.model.dispose();
    loaded.dispose();
  });

  it('resumes: 2 epochs + 2 resumed epochs equal 4 uninterrupted epochs', async () => {
    const runDir = path.join(tmp, 'resume');
    const first = await trainClassifier({ train, val }, { ...base, epochs: 4, specAugment: { timeMasks: 1, maxTimeWidth: 4, freqMasks: 1, maxFreqWidth: 2 } }, { runDir, stopAfterEpochs: 2 });
    expect(first.epochsCompleted).toBe(2);
    expect(existsSync(path.join(runDir, 'checkpoint', 'optimizer.bin'))).toBe(true);
    first.model.dispose();
    const epochs: EpochLog[] = [];
    const resumed = await trainClassifier({ train, val }, { ...base, epochs: 4, specAugment: { timeMasks: 1, maxTimeWidth: 4, freqMasks: 1, maxFreqWidth: 2 } }, { runDir, resume: true, onEpoch: (l) => epochs.push(l) });
    expect(resumed.resumedFromEpoch).toBe(2);
    expect(epochs.map((e) => e.epoch)).toEqual([3, 4]);
    expect(resumed.history.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    const straight = await trainClassifier({ train, val }, { ...base, epochs: 4, specAugment: { timeMasks: 1, maxTimeWidth: 4, freqMasks: 1, maxFreqWidth: 2 } });
    // same data order, masks, weights and Adam state: the losses match to float rounding
    for (let i = 0; i < 4; i++) expect(resumed.history[i]!.loss).toBeCloseTo(straight.history[i]!.loss, 4);
    resumed.model.dispose();
    straight.model.dispose();
  });
});
