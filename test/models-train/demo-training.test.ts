/**
 * End to end on the generated demo speech (models/datasets demo set): features from the real
 * frontend, speaker-independent split, a short training run that clearly beats chance on held-out
 * speakers; and DESIGN contract 5: the training pipeline's normalised float features equal the
 * frontend's own float64 output with the saved config, and the device's int8 features dequantise
 * to them within half a quantisation step (plus the fixed-point error) wherever they do not saturate.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemoDataset, type DemoDataset } from '../../models/datasets/demo/index.js';
import { holdOutSpeakers } from '../../models/datasets/splits.js';
import { bandStatistics, inputQuantizationFromFeatures, normalizeFeatureSet } from '../../models/train/feature-set.js';
import { extractFeatureSet, fixClipLength, withNormalization, type AudioItem } from '../../models/train/features.js';
import { trainClassifier } from '../../models/train/trainer.js';
import { computeFeaturesFloat64, computeFeaturesInt8 } from '../../runtime-sim/frontend/index.js';

let demo: DemoDataset;
beforeAll(async () => {
  demo = await loadDemoDataset({ seed: 1, count: 30 });
}, 120_000);

const toItem = (it: DemoDataset['items'][number]): AudioItem => ({
  id: it.path,
  samplesInt16: it.samplesInt16,
  classIndex: it.classIndex,
  speaker: it.speaker,
});

describe('training on the demo dataset', () => {
  it('beats chance (UA 0.25) on held-out speakers', async () => {
    const split = holdOutSpeakers(demo.items, { valFraction: 0.25, seed: 3 });
    const trainRaw = await extractFeatureSet(split.train.map(toItem), demo.classes, { clipSeconds: 2, cacheDir: null });
    const valRaw = await extractFeatureSet(split.val.map(toItem), demo.classes, { clipSeconds: 2, cacheDir: null });
    const norm = bandStatistics(trainRaw.set);
    const result = await trainClassifier(
      { train: normalizeFeatureSet(trainRaw.set, norm), val: normalizeFeatureSet(valRaw.set, norm) },
      { arch: 'small-cnn', epochs: 8, batchSize: 16, learningRate: 3e-3, seed: 1, patience: 8 },
    );
    const valSpeakers = new Set(split.val.map((i) => i.speaker));
    expect(split.train.some((i) => valSpeakers.has(i.speaker))).toBe(false);
    expect(result.bestValUA).toBeGreaterThanOrEqual(0.45);
    result.model.dispose();
  }, 120_000);

  it('contract 5: training features = frontend float64 with the saved config; int8 dequantises to them', async () => {
    const items = demo.items.slice(0, 12).map(toItem);
    const raw = await extractFeatureSet(items, demo.classes, { clipSeconds: 2, cacheDir: null });
    const norm = bandStatistics(raw.set);
    const trainingFeatures = normalizeFeatureSet(raw.set, norm);
    const quant = inputQuantizationFromFeatures(trainingFeatures);
    const deviceConfig = withNormalization(raw.frontend, norm, quant);
    const per = raw.set.frames * raw.set.bands;
    let saturated = 0;
    let maxFloatErr = 0;
    let maxInt8Err = 0;
    for (let i = 0; i < items.length; i++) {
      const clip = fixClipLength(items[i]!.samplesInt16!, raw.clipSamples);
      const ref = computeFeaturesFloat64(clip, deviceConfig);
      const dev = computeFeaturesInt8(clip, deviceConfig);
      expect(ref.frames).toBe(raw.set.frames);
      expect(dev.scale).toBe(quant.scale);
      expect(dev.zeroPoint).toBe(quant.zeroPoint);
      for (let j = 0; j < per; j++) {
        const t = trainingFeatures.x[i * per + j]!;
        maxFloatErr = Math.max(maxFloatErr, Math.abs(ref.data[j]! - t));
        const q = dev.data[j]!;
        // the int8 range clamps; compare against the clamped training value
        const lo = (-128 - dev.zeroPoint) * dev.scale;
        const hi = (127 - dev.zeroPoint) * dev.scale;
        if (t < lo - dev.scale || t > hi + dev.scale) saturated++;
        maxInt8Err = Math.max(maxInt8Err, Math.abs((q - dev.zeroPoint) * dev.scale - Math.min(hi, Math.max(lo, t))));
      }
    }
    expect(saturated).toBeLessThan(0.01 * items.length * per);
    // float32 storage of the same float64 values
    expect(maxFloatErr).toBeLessThan(1e-4);
    // half an LSB from rounding plus one LSB of allowance for the fixed-point log-mel error
    expect(maxInt8Err).toBeLessThanOrEqual(1.5 * quant.scale);
  }, 60_000);
});
