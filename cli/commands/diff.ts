/**
 * `tinyser diff model.tflite --input x.bin | --wav a.wav [--against runtime|tflite|tflm|other.tflite] [--base tflm|tflite]`:
 * one run of a .tflite, compared layer by layer (every tensor an operator writes) between the
 * interpreter with one arithmetic (default TFLM: the device) and either the real TFLite runtime
 * (tfjs-tflite, default), the interpreter with the other arithmetic, or another model of the same
 * network matched by tensor name (e.g. `model_float.tflite`, which `tinyser compile` writes beside
 * model.tflite: int8 vs float, layer by layer). Shows where an app running the file through TFLite
 * and the device part ways, or where quantization loses accuracy, and by how much.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.js';
import { action, printResult, type GlobalOptions } from '../output.js';
import { readInput, wavFeatures } from './run.js';

interface DiffCliOptions extends GlobalOptions {
  input?: string;
  wav?: string;
  frontendConfig?: string;
  against: string;
  base: string;
}

const ARITHMETICS = ['tflm', 'tflite'] as const;
type ArithmeticName = (typeof ARITHMETICS)[number];
const isArithmetic = (s: string): s is ArithmeticName => (ARITHMETICS as readonly string[]).includes(s);

export function register(program: Command): void {
  program
    .command('diff')
    .description('compare one run of a .tflite layer by layer: interpreter vs the real TFLite runtime, TFLM vs TFLite arithmetic, or int8 vs its float twin')
    .argument('<model>', '.tflite file')
    .option('--input <file>', 'raw bytes of input tensor 0')
    .option('--wav <file>', 'int8 features of this WAV (fixed-point frontend) as input 0')
    .option('--frontend-config <file>', 'frontend config JSON for --wav')
    .option('--against <what>', "'runtime' (tfjs-tflite, XNNPACK as shipped), 'tflite' or 'tflm' (the interpreter with that arithmetic), or another .tflite of the same network (e.g. model_float.tflite), matched by tensor name", 'runtime')
    .option('--base <arithmetic>', "the interpreter's arithmetic on the left side: 'tflm' (the device) or 'tflite'", 'tflm')
    .action(
      action(async (modelPath: string, _o: DiffCliOptions, cmd: Command) => {
        const opts = cmd.optsWithGlobals<DiffCliOptions>();
        if (!opts.input === !opts.wav) throw new UsageError('diff: give exactly one of --input <file> or --wav <file>');
        if (!isArithmetic(opts.base)) throw new UsageError(`diff: --base must be 'tflm' or 'tflite', got '${opts.base}'`);
        const otherModel = opts.against.endsWith('.tflite');
        if (opts.against !== 'runtime' && !isArithmetic(opts.against) && !otherModel) throw new UsageError(`diff: --against must be 'runtime', 'tflite', 'tflm' or a .tflite file, got '${opts.against}'`);
        const name = path.basename(modelPath);
        const model = readInput(modelPath, 'model');
        const input = opts.input ? readInput(opts.input, 'input') : await wavFeatures(opts.wav!, opts.frontendConfig, model, name);
        const { convertInputBytes, inputInfoOf, interpreterLayerDump, tfliteRuntimeLayerDump } = await import('../../compiler/verify/layer-diff.js');
        const { diffRuns } = await import('../../runtime-sim/interpreter/index.js');
        const a = interpreterLayerDump(model, name, [input], opts.base);
        let b;
        if (otherModel) {
          const otherName = path.basename(opts.against);
          const other = readInput(opts.against, 'model');
          b = interpreterLayerDump(other, otherName, [convertInputBytes(input, inputInfoOf(model, name), inputInfoOf(other, otherName))], 'tflm');
        } else b = opts.against === 'runtime' ? await tfliteRuntimeLayerDump(model, name, [input]) : interpreterLayerDump(model, name, [input], opts.against as ArithmeticName);
        const layers = diffRuns(a, b, { by: otherModel ? 'name' : 'index' }).filter((d) => a.get(d.index)?.producedBy !== null);
        const result = {
          model: name,
          left: `interpreter (${opts.base} arithmetic)`,
          right: otherModel ? `${path.basename(opts.against)} (interpreter, by tensor name)` : opts.against === 'runtime' ? 'TFLite runtime (tfjs-tflite)' : `interpreter (${opts.against} arithmetic)`,
          layers: layers.map((d) => ({ tensor: d.index, name: d.name, operator: a.get(d.index)?.producedBy ?? null, elements: d.elements, differing: d.differing, maxAbsDiffLsb: d.maxAbsDiffRaw, snrDb: d.snrDb })),
          bitExactLayers: layers.filter((d) => d.bitExact).length,
        };
        printResult(opts, result, () => {
          const lines = [`${result.left} vs ${result.right}: ${result.bitExactLayers} of ${layers.length} layers bit-exact`];
          lines.push('  op  tensor  elements  differing  max LSB  SNR dB  name');
          for (const l of result.layers)
            lines.push(`${String(l.operator).padStart(4)}  ${String(l.tensor).padStart(6)}  ${String(l.elements).padStart(8)}  ${String(l.differing).padStart(9)}  ${(Number.isNaN(l.maxAbsDiffLsb) ? '-' : String(l.maxAbsDiffLsb)).padStart(7)}  ${(l.snrDb === Infinity ? 'inf' : l.snrDb.toFixed(1)).padStart(6)}  ${l.name}`);
          return lines.join('\n');
        });
      }),
    );
}
