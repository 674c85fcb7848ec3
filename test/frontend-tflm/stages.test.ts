/**
 * Per-stage bit-exactness on yes_1000ms: every intermediate TFLM's C pipeline produced (window,
 * FFT shift, kiss_fftr output, energy, uint64 filterbank sums, sqrt, noise estimate, noise
 * reduction, PCAN, log) equals ours for every frame, in both configurations.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type TflmFrameStages, tflmFeatures } from '../../runtime-sim/frontend/tflm/index.ts';
import {
  GOLDEN_CONFIGS,
  type GoldenStage,
  firstMismatch,
  hasGolden,
  microfrontendDir,
  noGoldenReason,
  readBin,
  readManifest,
  readWavInt16,
} from './golden.ts';

type StageKey = Exclude<keyof TflmFrameStages, 'frame'>;

const STAGE_OF_FILE: Record<string, StageKey> = {
  window_out: 'windowOut',
  fft_input_shift: 'fftInputShift',
  fft_out: 'fftOut',
  energy: 'energy',
  filterbank_accum: 'filterbankAccum',
  filterbank_sqrt: 'filterbankSqrt',
  noise_estimate: 'noiseEstimate',
  noise_reduction_out: 'noiseReductionOut',
  pcan_out: 'pcanOut',
  log_out: 'logOut',
};

/** Concatenates one stage over all frames into plain numbers/bigints for comparison. */
function flatten(frames: TflmFrameStages[], key: StageKey): Array<number | bigint> {
  const out: Array<number | bigint> = [];
  for (const f of frames) {
    const v = f[key];
    if (v === null) throw new Error(`stage ${key} is null in frame ${f.frame}`);
    if (typeof v === 'number') out.push(v);
    else for (const x of v) out.push(x);
  }
  return out;
}

describe.skipIf(!hasGolden)(`TFLM microfrontend stages equal stages_yes_1000ms${hasGolden ? '' : ` (${noGoldenReason})`}`, () => {
  for (const { name, config } of GOLDEN_CONFIGS) {
    const manifest = hasGolden ? readManifest(name) : null;
    const stageFiles: GoldenStage[] = manifest?.stages.files ?? [];
    const frames: TflmFrameStages[] = [];
    let computed = false;
    const run = async (): Promise<TflmFrameStages[]> => {
      if (!computed) {
        const samples = await readWavInt16(path.join(microfrontendDir, 'audio', 'yes_1000ms.wav'));
        tflmFeatures(samples, config, { onStage: (s) => frames.push(s) });
        computed = true;
      }
      return frames;
    };

    it(`${name}: the manifest lists every stage this config computes`, async () => {
      const names = stageFiles.map((s) => path.basename(s.file, '.bin')).sort();
      const expected = Object.keys(STAGE_OF_FILE).filter((k) => k !== 'pcan_out' || config.pcanGainControl.enablePcan);
      expect(names).toEqual(expected.sort());
      const all = await run();
      expect(all.every((f) => (f.pcanOut === null) === !config.pcanGainControl.enablePcan)).toBe(true);
    });

    for (const stage of stageFiles) {
      const base = path.basename(stage.file, '.bin');
      it(`${name}: ${base} ${stage.dtype} [${stage.shape.join(', ')}]`, async () => {
        const key = STAGE_OF_FILE[base];
        expect(key, `unknown stage ${base}`).toBeDefined();
        const all = await run();
        expect(all.length).toBe(stage.shape[0]);
        const golden = Array.from(readBin(path.join(microfrontendDir, name, stage.file), stage.dtype) as ArrayLike<number | bigint>);
        expect(golden.length).toBe(stage.shape.reduce((a, b) => a * b, 1));
        const ours = flatten(all, key);
        expect(firstMismatch(ours, golden)).toBeNull();
      });
    }
  }
});
