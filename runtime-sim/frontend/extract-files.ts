/** `features extract` as a library call: WAV files -> `.feat` (int8 fixed-point path, or float32 reference) [+ CSV]. */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UsageError } from '../../common/errors.js';
import { listWavFiles, readWav } from '../audio/index.js';
import { frontendConfigHash, type FrontendConfig } from './config.js';
import { encodeFeat } from './feat-format.js';
import { computeFeaturesFixed } from './fixed/frontend-fixed.js';
import { computeFeaturesFloat64 } from './reference-float64.js';

export interface ExtractedFile {
  input: string;
  output: string;
  csv?: string;
  frames: number;
  dims: number;
  saturated: number;
}

export interface ExtractResult {
  configHash: string;
  kind: FrontendConfig['kind'];
  outDir: string;
  files: ExtractedFile[];
}

export interface ExtractOptions {
  csv?: boolean;
  /** Write the float64 reference features (normalized, as float32) instead of the int8 device path. */
  float?: boolean;
  /** Called after each file (progress). */
  onFile?: (f: ExtractedFile) => void;
  /** Called once the file list is known. */
  onStart?: (total: number) => void;
}

export async function extractFeatureFiles(inputs: string[], outDir: string, config: FrontendConfig, opts: ExtractOptions = {}): Promise<ExtractResult> {
  const wavs = await listWavFiles(inputs);
  if (wavs.length === 0) throw new UsageError(`no .wav files found in ${inputs.join(', ')}`);
  const names = new Map<string, string>();
  for (const w of wavs) {
    const stem = basename(w).replace(/\.wav$/i, '');
    const other = names.get(stem);
    if (other) throw new UsageError(`two inputs would write the same ${stem}.feat: ${other} and ${w}; extract them into separate --out directories`);
    names.set(stem, w);
  }
  await mkdir(outDir, { recursive: true });
  const configHash = frontendConfigHash(config);
  opts.onStart?.(wavs.length);
  const files: ExtractedFile[] = [];
  for (const w of wavs) {
    const clip = await readWav(w);
    const { scale, zeroPoint } = config.quantization;
    let f: { frames: number; dims: number; data: Int8Array | Float32Array; saturated: number };
    if (opts.float) {
      const m = computeFeaturesFloat64(clip.samplesInt16, config);
      f = { frames: m.frames, dims: m.dims, data: Float32Array.from(m.data), saturated: 0 };
    } else {
      const q = computeFeaturesFixed(clip.samplesInt16, config);
      f = { frames: q.frames, dims: q.dims, data: q.int8, saturated: q.saturated };
    }
    const stem = basename(w).replace(/\.wav$/i, '');
    const output = join(outDir, `${stem}.feat`);
    const dtype = opts.float ? 'float32' : 'int8';
    await writeFile(output, encodeFeat({ file: w, configHash, kind: config.kind, dtype, frames: f.frames, dims: f.dims, scale, zeroPoint }, f.data));
    const rec: ExtractedFile = { input: w, output, frames: f.frames, dims: f.dims, saturated: f.saturated };
    if (opts.csv) {
      const lines = [Array.from({ length: f.dims }, (_, d) => `d${d}`).join(',')];
      for (let t = 0; t < f.frames; t++) lines.push(Array.from(f.data.subarray(t * f.dims, (t + 1) * f.dims)).join(','));
      rec.csv = join(outDir, `${stem}.csv`);
      await writeFile(rec.csv, lines.join('\n') + '\n');
    }
    files.push(rec);
    opts.onFile?.(rec);
  }
  return { configHash, kind: config.kind, outDir, files };
}
