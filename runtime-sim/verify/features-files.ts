/** `features verify` as a library call: WAV files -> fidelity report (+ optional offline HTML). */
import { writeFile } from 'node:fs/promises';
import { UsageError } from '../../common/errors.js';
import { listWavFiles, readWav } from '../audio/index.js';
import type { FrontendConfig } from '../frontend/config.js';
import { FeatureVerificationAccumulator, verifySamples, type FeatureVerificationReport, type FileVerificationDetail, type VerifyThresholds } from './features.js';
import { renderFeatureVerificationHtml } from './features-report.js';

export interface VerifyFilesOptions {
  reportPath?: string;
  onStart?: (total: number) => void;
  onFile?: (file: string) => void;
}

export async function verifyFeatureFiles(
  inputs: string[],
  config: FrontendConfig,
  thresholds: VerifyThresholds = { minSnrDb: 50, minCoefSnrDb: 40 },
  opts: VerifyFilesOptions = {},
): Promise<FeatureVerificationReport> {
  const wavs = await listWavFiles(inputs);
  if (wavs.length === 0) throw new UsageError(`no .wav files found in ${inputs.join(', ')}`);
  opts.onStart?.(wavs.length);
  const acc = new FeatureVerificationAccumulator(config, thresholds);
  let worst: FileVerificationDetail | undefined;
  for (const w of wavs) {
    const clip = await readWav(w);
    const d = verifySamples(w, clip.samplesInt16, config);
    acc.add(d);
    // The spectrogram example: the file with the lowest log-mel SNR that has frames.
    if (d.reference.frames > 0 && (!worst || d.result.logMel.snrDb < worst.result.logMel.snrDb)) worst = d;
    opts.onFile?.(w);
  }
  const report = acc.report();
  if (opts.reportPath) await writeFile(opts.reportPath, renderFeatureVerificationHtml(report, config, thresholds, worst));
  return report;
}
