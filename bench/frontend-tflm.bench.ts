/**
 * Throughput of the TFLM-compatible frontend on the 9 golden wavs (3 TFLM test clips + 6 RAVDESS
 * clips when ../shared/datasets is present), both presets: frames/s and x real time, single thread.
 * Also checks the output against the golden features so a fast-but-wrong change is visible here.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWav } from '../runtime-sim/audio/index.ts';
import { TFLM_DEFAULT_CONFIG, TFLM_MICRO_SPEECH_CONFIG, tflmFeatures } from '../runtime-sim/frontend/tflm/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const golden = path.resolve(repoRoot, '../shared/golden');

interface ManifestFile {
  wav: string;
  features: string;
}

export default async function benchFrontendTflm(): Promise<void> {
  const manifestPath = path.join(golden, 'microfrontend/default/manifest.json');
  if (!existsSync(manifestPath)) {
    console.log(`skipped: ${manifestPath} not found (needs ../shared next to the repo)`);
    return;
  }
  for (const [name, config] of [
    ['default', TFLM_DEFAULT_CONFIG],
    ['micro_speech', TFLM_MICRO_SPEECH_CONFIG],
  ] as const) {
    const dir = path.join(golden, 'microfrontend', name);
    const files = (JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { files: ManifestFile[] }).files;
    const clips: Array<{ samples: Int16Array; features: string }> = [];
    for (const f of files.filter((x) => existsSync(path.resolve(golden, x.wav)))) {
      clips.push({ samples: (await readWav(path.resolve(golden, f.wav))).samplesInt16, features: path.join(dir, f.features) });
    }
    const totalSamples = clips.reduce((a, c) => a + c.samples.length, 0);
    // Warm-up (JIT) and exactness check.
    let exact = true;
    for (const c of clips) {
      const out = tflmFeatures(c.samples, config);
      const g = readFileSync(c.features);
      exact &&= Buffer.compare(Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength), g) === 0;
    }
    const reps = 5;
    let frames = 0;
    const t0 = process.hrtime.bigint();
    for (let r = 0; r < reps; ++r) for (const c of clips) frames += tflmFeatures(c.samples, config).frames;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const audioSeconds = (reps * totalSamples) / config.sampleRate;
    console.log(
      `${name.padEnd(12)} ${clips.length} wavs, ${(frames / reps).toFixed(0)} frames/pass: ` +
        `${(frames / seconds).toFixed(0)} frames/s, ${(audioSeconds / seconds).toFixed(0)}x real time, ` +
        `bit-exact vs golden: ${exact ? 'yes' : 'NO'}`,
    );
  }
}
