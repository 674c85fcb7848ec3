/**
 * The C twin (firmware-assets/src/frontend/, host gcc) equals the TS fixed-point frontend
 * (runtime-sim/frontend/fixed/) byte for byte: int8 output, Q20 log-mel and MFCC, saturation counts,
 * frame energy, zero crossings and integer YIN F0 / voicing; streaming with random chunk sizes (and capped frames per push)
 * equals one-shot. Four configs, synthetic signals, and 10 RAVDESS files when ../shared is present.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWav } from '../../runtime-sim/audio/index.js';
import {
  computeFeaturesFixed,
  computeProsodyFixed,
  createFixedFrontend,
  frameEnergyDbQ20,
  zeroCrossingCount,
  type FrontendConfig,
} from '../../runtime-sim/frontend/index.js';
import { fixedTablesFor } from '../../runtime-sim/frontend/fixed/frontend-fixed.js';
import { buildHarness, hasCompiler, ravdessAvailable, ravdessDir, runHarness, runHarnessResetAt, type CHarness } from './c-harness.js';
import { testConfigs } from './configs.js';
import { randomChunks, syntheticSignals } from './signals.js';

const gcc = hasCompiler('gcc');
const configs = testConfigs();
const signals = syntheticSignals();

function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** Equality with a message that names the first differing index (frame/dimension) instead of a huge diff. */
function expectSame(what: string, c: ArrayLike<number>, ts: ArrayLike<number>, perFrame: number): void {
  const i = firstDiff(c, ts);
  const where = i < 0 ? '' : ` first difference at frame ${Math.floor(i / Math.max(1, perFrame))} dim ${i % Math.max(1, perFrame)}: C ${c[i]} TS ${ts[i]}`;
  expect(`${what}: lengths ${c.length}/${ts.length}${where}`).toBe(`${what}: lengths ${ts.length}/${ts.length}`);
}

function checkSignal(h: CHarness, config: FrontendConfig, samples: Int16Array, seed: number): void {
  const ts = computeFeaturesFixed(samples, config);
  const dims = { bands: ts.bands, mfccCount: ts.mfccCount, dims: ts.dims };
  const chunks = randomChunks(seed, 64, 3 * config.windowSamples);
  // Cap frames per push on odd seeds so the consumed / resume path runs too.
  const c = runHarness(h, samples, dims, chunks, seed % 2 ? 1 + (seed % 3) : 1_000_000);
  expect(c.frames).toBe(ts.frames);
  expectSame('logMelQ20', c.logMelQ20, ts.logMelQ20, ts.bands);
  expectSame('mfccQ20', c.mfccQ20, ts.mfccQ20, ts.mfccCount);
  expectSame('int8', c.int8, ts.int8, ts.dims);
  expect(c.saturated).toBe(ts.saturated);
  // Streaming (C, random chunks) = one-shot (TS batch) = TS streaming.
  expect(c.streamFrames).toBe(ts.frames);
  expectSame('stream int8', c.streamInt8, ts.int8, ts.dims);
  expect(c.streamSaturated).toBe(ts.saturated);
  const tsStream = createFixedFrontend(config);
  const tsRows = tsStream.pushSamples(samples);
  expect(tsRows.length).toBe(ts.frames);
  const t = fixedTablesFor(config);
  const energy = Int32Array.from({ length: ts.frames }, (_, f) => frameEnergyDbQ20(t, samples, f * config.hopSamples, config.windowSamples));
  const zcr = Int32Array.from({ length: ts.frames }, (_, f) => zeroCrossingCount(samples, f * config.hopSamples, config.windowSamples));
  expectSame('energyDbQ20', c.energyDbQ20, energy, 1);
  expectSame('zeroCrossings', c.zeroCrossings, zcr, 1);
  const prosody = computeProsodyFixed(samples, config);
  expectSame('YIN f0Q4', c.f0Q4, prosody.f0Q4, 1);
  expectSame('YIN voiced', c.voiced, prosody.voiced, 1);
  if (ts.frames > 0) expectSame('tsr_frontend_frame (first window)', c.frame0, ts.int8.subarray(0, ts.dims), ts.dims);
}

for (const [name, config] of Object.entries(configs)) {
  describe.skipIf(!gcc)(`C frontend == TS fixed frontend, config '${name}'${gcc ? '' : ' (skipped: no host gcc)'}`, () => {
    let h: CHarness;
    beforeAll(() => {
      h = buildHarness(config, name);
    });
    afterAll(() => h?.cleanup());

    it.each(Object.keys(signals))('synthetic signal %s', (sig) => {
      const samples = signals[sig];
      checkSignal(h, config, samples, sig.length * 7 + name.length);
    });

    it('tsr_frontend_reset_at(offset) resumes at frame ceil(offset / hop) with the batch frames', () => {
      const samples = signals.speech;
      const ts = computeFeaturesFixed(samples, config);
      const hop = config.hopSamples;
      for (const offset of [0, 1, hop - 1, hop, 3 * hop + 7, 5 * hop]) {
        const c = runHarnessResetAt(h, samples, offset, ts.dims);
        const first = Math.ceil(offset / hop);
        expect(c.firstFrame).toBe(first);
        expect(c.frames).toBe(ts.frames - first);
        expectSame(`reset_at(${offset}) int8`, c.int8, ts.int8.subarray(first * ts.dims), ts.dims);
      }
    });

    it('exercises the interesting paths (sanity of the signal set)', () => {
      // The set must hit int8 saturation and the log floor somewhere, or "equal" would prove less.
      let sat = 0;
      let floorHits = 0;
      const t = fixedTablesFor(config);
      for (const s of Object.values(signals)) {
        const f = computeFeaturesFixed(s, config);
        sat += f.saturated;
        floorHits += f.logMelQ20.filter((v) => v === t.lnFloorQ20).length;
      }
      expect(sat).toBeGreaterThan(0);
      expect(floorHits).toBeGreaterThan(0);
    });

    it.skipIf(!ravdessAvailable)(`10 RAVDESS files${ravdessAvailable ? '' : ' (skipped: ../shared/datasets/ravdess-4class-16k not found)'}`, async () => {
      const files = readdirSync(ravdessDir)
        .filter((f) => f.endsWith('.wav'))
        .sort();
      // Spread over the sorted list (different actors / emotions), not the first 10.
      const pick = Array.from({ length: 10 }, (_, i) => files[Math.floor((i * files.length) / 10)]);
      let seed = 100;
      for (const f of pick) {
        const wav = await readWav(join(ravdessDir, f));
        checkSignal(h, config, wav.samplesInt16, seed++);
      }
    });
  });
}
