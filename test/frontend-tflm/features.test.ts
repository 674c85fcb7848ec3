/**
 * End-to-end bit-exactness with TFLM's microfrontend: every frame of every golden wav, both
 * configurations, plus the micro_speech int8 conversion against the interpreter goldens.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tflmFeatures, tflmToMicroSpeechInt8 } from '../../runtime-sim/frontend/tflm/index.ts';
import {
  GOLDEN_CONFIGS,
  goldenRoot,
  goldenWavPath,
  firstMismatch,
  hasGolden,
  microfrontendDir,
  noGoldenReason,
  readBin,
  readManifest,
  readWavInt16,
  sha256OfInt16,
} from './golden.ts';

if (!hasGolden) console.warn(`[frontend-tflm] skipping golden feature tests: ${noGoldenReason}`);

describe.skipIf(!hasGolden)('TFLM microfrontend features equal the golden features', () => {
  for (const { name, config } of GOLDEN_CONFIGS) {
    const manifest = hasGolden ? readManifest(name) : null;
    for (const file of manifest?.files ?? []) {
      const wavPath = goldenWavPath(file);
      const present = existsSync(wavPath);
      const label = `${name}: ${path.basename(file.wav)}`;
      // RAVDESS wavs are referenced in ../shared/datasets, not copied into the goldens: skip when absent.
      const title = present ? `${label}: ${file.frames} frames x ${file.channels} channels` : `${label} (skipped: ${wavPath} not found)`;
      it.skipIf(!present)(title, async () => {
        const samples = await readWavInt16(wavPath);
        expect(samples.length).toBe(file.num_samples);
        expect(sha256OfInt16(samples)).toBe(file.pcm_sha256);
        const golden = readBin(path.join(microfrontendDir, name, file.features), 'uint16') as Uint16Array;
        const out = tflmFeatures(samples, config);
        expect(out.frames).toBe(file.frames);
        expect(out.channels).toBe(file.channels);
        expect(firstMismatch(out.data, golden)).toBeNull();
        // The same with every table computed in JS (the path non-preset configs take).
        const computed = tflmFeatures(samples, config, { forceComputed: true });
        expect(firstMismatch(computed.data, golden)).toBeNull();
      });
    }
  }
});

describe.skipIf(!hasGolden)('micro_speech int8 conversion equals the interpreter goldens', () => {
  const interpDir = path.join(goldenRoot, 'interpreter', 'micro_speech_quantized');
  for (const wav of ['yes_1000ms', 'no_1000ms', 'silence_1000ms']) {
    it(`${wav}: wav -> TFLM features -> int8 == real_frontend_${wav}_input.bin`, async () => {
      const micro = GOLDEN_CONFIGS[1];
      const samples = await readWavInt16(path.join(microfrontendDir, 'audio', `${wav}.wav`));
      const features = tflmFeatures(samples, micro.config);
      const int8 = tflmToMicroSpeechInt8(features.data);
      const bytes = readFileSync(path.join(interpDir, `real_frontend_${wav}_input.bin`));
      const goldenInt8 = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      expect(int8.length).toBe(49 * 40);
      expect(firstMismatch(int8, goldenInt8)).toBeNull();
    });
  }
});

describe('tflmToMicroSpeechInt8', () => {
  it('uses C integer division with the 666 divisor and clamps to int8', () => {
    const f = Uint16Array.from([0, 1, 2, 3, 332, 333, 334, 666, 669, 670, 671, 1000, 65535]);
    const expected = Array.from(f, (v) => Math.max(-128, Math.min(127, Math.floor((v * 256 + 333) / 666) - 128)));
    expect(Array.from(tflmToMicroSpeechInt8(f))).toEqual(expected);
    expect(tflmToMicroSpeechInt8(Uint16Array.from([0]))[0]).toBe(-128);
    expect(tflmToMicroSpeechInt8(Uint16Array.from([65535]))[0]).toBe(127);
    // (333*256 + 333) / 666 = 128.5 truncates to 128 -> 0
    expect(tflmToMicroSpeechInt8(Uint16Array.from([333]))[0]).toBe(0);
  });
});
