/** `tinyser compile <model.onnx|model.json> --calib <dir|tensor file> --out build/` */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { CheckFailedError, UsageError } from '../../common/errors.js';
import { compileGraph, loadModelFile, modelNameOf, writeCompileOutputs } from '../../compiler/compile.js';
import { numElements, tensorOf } from '../../compiler/ir/graph.js';
import { AGREEMENT_MODE_LABELS, EXACT_AGREEMENT_MODES, type AgreementMode } from '../../compiler/verify/agreement.js';
import { loadCalibration, registerWavFeatureExtractor } from '../../compiler/quantize/calibration-source.js';
import { featureDims, loadFrontendConfig, wavFeatureExtractorFloat64, type FrontendConfig } from '../../runtime-sim/frontend/index.js';
import type { RangeMethod } from '../../compiler/quantize/range.js';
import { action, printResult, type GlobalOptions } from '../output.js';

interface CompileCliOptions extends GlobalOptions {
  calib: string;
  out: string;
  range: string;
  percentile?: string;
  evalCount?: string;
  verify: boolean;
  frontend?: string;
  check?: boolean;
}

export function register(program: Command): void {
  program
    .command('compile')
    .description('compile a float model (ONNX or TF.js model.json) to int8 .tflite + TFLM artifacts + report')
    .argument('<model>', 'model.onnx or TF.js model.json')
    .requiredOption('--calib <path>', 'calibration inputs: directory or tensor file (.npy, raw .f32, .json; .wav with a frontend)')
    .option('--out <dir>', 'output directory', 'build')
    .option('--range <method>', 'activation range: minmax | percentile | mse', 'minmax')
    .option('--percentile <p>', 'percentile for --range percentile', '99.99')
    .option('--eval-count <n>', 'calibration examples also used for the agreement check', '100')
    .option('--frontend <config.json>', "frontend config the model was trained with (default: frontend.json beside the model, as 'tinyser train' writes it, else the default config)")
    .option('--no-verify', 'skip running the int8 model (tfjs-tflite / interpreter) for agreement')
    .option('--check', "exit 1 unless the real TFLite runtime agrees with the interpreter on the written file: 'tflite' and 'double-rounding' modes >= 99.9 % of outputs equal, none more than 1 LSB apart (artifacts are written either way)")
    .action(
      action(async (modelPath: string, _o: unknown, cmd: Command) => {
        const opts = cmd.optsWithGlobals<CompileCliOptions>();
        if (!['minmax', 'percentile', 'mse'].includes(opts.range))
          throw new UsageError(`--range must be minmax, percentile or mse (got '${opts.range}')`);
        const percentile = Number(opts.percentile);
        if (!(percentile > 50 && percentile <= 100)) throw new UsageError(`--percentile must be in (50, 100] (got '${opts.percentile}')`);
        const evalCount = Number(opts.evalCount);
        if (!Number.isInteger(evalCount) || evalCount < 0) throw new UsageError(`--eval-count must be a non-negative integer`);
        const graph = loadModelFile(modelPath);
        const inShape = tensorOf(graph, graph.inputs[0]).shape;
        const perExample = numElements(inShape);
        // WAVs become the float features the model was trained on (runtime-sim/frontend), cut into
        // windows of the model's T frames; features per frame must match the model's F
        // A training run folder keeps its frontend (with the split's band normalization) beside
        // model.json: calibrating on anything else would quantize for features the model never sees.
        const besideModel = join(dirname(modelPath), 'frontend.json');
        const frontendPath = opts.frontend ?? (existsSync(besideModel) ? besideModel : undefined);
        const frontend: FrontendConfig | undefined = frontendPath ? await loadFrontendConfig(frontendPath) : undefined;
        let wavFeatures: ((wavPath: string) => Promise<Float64Array>) | undefined;
        let dims = 0;
        registerWavFeatureExtractor(async (wavPath) => {
          if (!wavFeatures) {
            const frontend = await loadFrontendConfig(frontendPath);
            dims = featureDims(frontend);
            wavFeatures = wavFeatureExtractorFloat64(frontend);
          }
          const framesPerExample = perExample / dims;
          if (!Number.isInteger(framesPerExample))
            throw new UsageError(`the frontend gives ${dims} features per frame; the model input [${inShape}] is not a whole number of frames`);
          const data = await wavFeatures(wavPath);
          const windows = Math.floor(data.length / dims / framesPerExample);
          if (windows < 1) throw new UsageError(`${wavPath}: ${data.length / dims} frames, the model needs ${framesPerExample}`);
          return data.subarray(0, windows * perExample);
        });
        const calibration = await loadCalibration(opts.calib, perExample);
        const result = await compileGraph(graph, {
          calibration,
          evaluation: calibration.slice(0, evalCount),
          range: opts.range as RangeMethod,
          percentile,
          name: modelNameOf(modelPath),
          verify: opts.verify && evalCount > 0,
        });
        const files = writeCompileOutputs(result, opts.out);
        if (frontend) {
          // The build folder's frontend.json is what firmware build, hil and the templates read: give
          // it the int8 output quantization the compiled model's input actually has.
          const input = result.report.input;
          const deployed = { ...frontend, quantization: { scale: input.scale, zeroPoint: input.zeroPoint } };
          const f = join(opts.out, 'frontend.json');
          writeFileSync(f, JSON.stringify(deployed, null, 2) + '\n');
          files.push(f);
        }
        const t = result.report.totals;
        const a = result.report.agreement;
        printResult(opts, { ...result.report, files }, () =>
          [
            `compiled ${result.name}: ${result.int8Graph.nodes.length} ops (${result.operators.join(', ')})`,
            `  params       ${t.params.toLocaleString('en-US')}`,
            `  MACs         ${t.macs.toLocaleString('en-US')}`,
            `  flash        ${t.flashBytes.toLocaleString('en-US')} B (.tflite)`,
            `  RAM          ${t.arenaBytes.toLocaleString('en-US')} B arena (plan ${t.arenaPlanBytes} B, lower bound ${t.arenaLowerBoundBytes} B, persistent est. ${t.persistentBytesEstimate} B)`,
            `  latency est. ${t.latencyMsM4.toFixed(2)} ms Cortex-M4 @168 MHz, ${t.latencyMsM7.toFixed(2)} ms Cortex-M7 @480 MHz`,
            `  input        [${result.report.input.shape.join(',')}] int8 scale ${result.report.input.scale} zero point ${result.report.input.zeroPoint}`,
            a
              ? `  agreement    top-1 ${(a.top1VsFloat * 100).toFixed(1)}% vs float, mean cosine ${a.meanCosineVsFloat.toFixed(4)}, output SNR ${a.outputSnrDb.toFixed(1)} dB on ${a.inputs} inputs (${a.runtime})` +
                (a.runtimeVsInterpreterByMode
                  ? a.runtimeVsInterpreterByMode.map((m) => `\n  ${m === a.runtimeVsInterpreterByMode![0] ? 'TFLite      ' : '            '} ${(m.equalFraction * 100).toFixed(2).padStart(6)}% equal, max ${m.maxAbsDiff} LSB: ${AGREEMENT_MODE_LABELS[m.mode as AgreementMode] ?? m.mode}`).join('')
                  : a.runtimeVsInterpreter
                    ? `; tfjs-tflite vs interpreter ${(a.runtimeVsInterpreter.equalFraction * 100).toFixed(2)}% equal, max ${a.runtimeVsInterpreter.maxAbsDiff} LSB`
                    : '') +
                (a.interpreterNote ? `\n  note         ${a.interpreterNote}` : '')
              : '  agreement    not checked',
            `  wrote        ${files.join(', ')}`,
          ].join('\n'),
        );
        if (opts.check) {
          if (opts.verify === false || evalCount === 0) throw new UsageError('--check needs the agreement run: drop --no-verify and keep --eval-count above 0');
          const why = agreementFailures(a?.runtimeVsInterpreterByMode, a?.interpreterNote);
          if (why.length) {
            if (!opts.json) process.stderr.write(`tinyser: check failed: ${why.join('; ')}\n`);
            process.exitCode = new CheckFailedError(why.join('; ')).exitCode;
            return 1;
          }
        }
      }),
    );
}

/** Why the written file fails `--check` (empty when it passes). */
function agreementFailures(modes: { mode: string; equalFraction: number; maxAbsDiff: number }[] | undefined, note: string | undefined): string[] {
  if (!modes) return [`no TFLite agreement was measured${note ? ` (${note})` : ''}`];
  const out: string[] = [];
  for (const want of EXACT_AGREEMENT_MODES) {
    const m = modes.find((x) => x.mode === want);
    if (!m) out.push(`mode ${want} was not measured`);
    else if (m.equalFraction < 0.999 || m.maxAbsDiff > 1)
      out.push(`${want}: ${(m.equalFraction * 100).toFixed(2)} % equal, max ${m.maxAbsDiff} LSB (${AGREEMENT_MODE_LABELS[want]})`);
  }
  return out;
}
