/**
 * `tinyser run model.tflite (--input x.bin | --wav a.wav [--frontend-config c.json]) [--output y.bin]
 * [--dump dir]`: one int8 inference. With --wav the fixed-point frontend computes int8 features
 * (requantized to the model input if its scale/zero point differ) and the first frames that fit
 * the input tensor are used (zero-point padded if the clip is shorter).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { TinyserError, UsageError, errorMessage } from '../../common/errors.js';
import { runModel } from '../../runtime-sim/interpreter/run-model.js';
import { action, printResult, type GlobalOptions } from '../output.js';

interface RunOptions extends GlobalOptions {
  input?: string;
  wav?: string;
  frontendConfig?: string;
  output?: string;
  dump?: string;
  arithmetic: string;
}

export function readInput(file: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (e) {
    throw new TinyserError('INPUT', `cannot read ${what} ${file}: ${errorMessage(e)}`, { file });
  }
}

export function register(program: Command): void {
  program
    .command('run')
    .description('run a .tflite model once with the int8 interpreter (TFLM reference-kernel exact, or the TFLite runtime\'s arithmetic)')
    .argument('<model>', '.tflite file')
    .option('--input <file>', 'raw bytes of input tensor 0 (little-endian, exactly its byte size)')
    .option('--wav <file>', 'compute int8 features of this WAV with the fixed-point frontend as input 0')
    .option('--frontend-config <file>', 'frontend config JSON for --wav (default: the default config)')
    .option('--output <file>', 'write the raw bytes of output tensor 0 here')
    .option('--dump <dir>', 'write every non-constant tensor as t<index>.bin plus manifest.json')
    .option('--arithmetic <kind>', "whose integer arithmetic: 'tflm' (the device, default) or 'tflite' (the TFLite runtime with XNNPACK, as an app gets it)", 'tflm')
    .action(
      action(async (modelPath: string, _opts: RunOptions, cmd: Command) => {
        const opts = cmd.optsWithGlobals<RunOptions>();
        if (opts.arithmetic !== 'tflm' && opts.arithmetic !== 'tflite') throw new UsageError(`run: --arithmetic must be 'tflm' or 'tflite', got '${opts.arithmetic}'`);
        if (!opts.input === !opts.wav) throw new UsageError('run: give exactly one of --input <file> (raw bytes of input tensor 0) or --wav <file>');
        const modelBytes = readInput(modelPath, 'model');
        const input = opts.input ? readInput(opts.input, 'input') : await wavFeatures(opts.wav!, opts.frontendConfig, modelBytes, path.basename(modelPath));
        const result = runModel(modelBytes, path.basename(modelPath), input, { dumpDir: opts.dump, arithmetic: opts.arithmetic as 'tflm' | 'tflite' });
        if (opts.output) {
          // Re-encode the raw output values in the tensor's own type.
          const o = result.output;
          const bytes = encodeValues(result.values, o.type);
          writeFileSync(opts.output, bytes);
        }
        printResult(opts, result, () => {
          const o = result.output;
          const lines = [
            `model   ${result.model}`,
            `output  ${o.name || `tensor ${o.index}`} ${o.type} [${o.shape.join(',')}] scale=${o.scale} zero_point=${o.zeroPoint}`,
            `values  ${result.values.join(' ')}`,
            `real    ${result.dequantized.map((v) => v.toFixed(6)).join(' ')}`,
            `argmax  ${result.argmax}`,
          ];
          if (result.dumped.length) lines.push(`dumped  ${result.dumped.length - 1} tensors to ${opts.dump}`);
          return lines.join('\n');
        });
      }),
    );
}

/** int8 features of a WAV, fitted to input tensor 0 of the model (frames cut or zero-point padded). */
export async function wavFeatures(wavPath: string, configPath: string | undefined, modelBytes: Uint8Array, modelName: string): Promise<Uint8Array> {
  const { readWav } = await import('../../runtime-sim/audio/index.js');
  const { loadFrontendConfig, computeFeaturesInt8 } = await import('../../runtime-sim/frontend/index.js');
  const { createInterpreter, loadTfliteModel } = await import('../../runtime-sim/interpreter/index.js');
  const info = createInterpreter(loadTfliteModel(modelBytes, modelName)).inputs[0];
  if (!info || info.type !== 'int8') throw new UsageError(`run --wav: input 0 of ${modelName} must be int8, found ${info?.type ?? 'none'}`);
  const clip = await readWav(wavPath);
  const config = await loadFrontendConfig(configPath);
  const f = computeFeaturesInt8(clip.samplesInt16, config);
  const n = info.byteLength;
  if (f.data.length % f.dims !== 0 || n % f.dims !== 0) {
    throw new UsageError(`run --wav: model input of ${n} values is not a whole number of ${f.dims}-value feature frames; check --frontend-config`);
  }
  const out = new Int8Array(n).fill(info.zeroPoint);
  const same = Math.fround(f.scale) === Math.fround(info.scale) && f.zeroPoint === info.zeroPoint;
  for (let i = 0; i < Math.min(n, f.data.length); i++) {
    const q = f.data[i]!;
    out[i] = same ? q : Math.max(-128, Math.min(127, Math.round(((q - f.zeroPoint) * f.scale) / info.scale) + info.zeroPoint));
  }
  return new Uint8Array(out.buffer);
}

function encodeValues(values: number[], type: string): Uint8Array {
  switch (type) {
    case 'int8': return new Uint8Array(Int8Array.from(values).buffer);
    case 'uint8': case 'bool': return Uint8Array.from(values);
    case 'int16': return new Uint8Array(Int16Array.from(values).buffer);
    case 'int32': return new Uint8Array(Int32Array.from(values).buffer);
    case 'float32': return new Uint8Array(Float32Array.from(values).buffer);
    default: return new Uint8Array(Float64Array.from(values).buffer);
  }
}
