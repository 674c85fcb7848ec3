/**
 * `tinyser train --data <dir|demo> --arch ds-cnn-s --out run/`: trains a student on the WASM
 * backend and writes model.json/weights.bin, frontend.json (with normalisation) and metrics.json.
 * Thin over models/train/run-training.ts.
 */
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.js';
import { architectureNames } from '../../models/architectures/registry.js';
import { renderMetricsText } from '../../models/metrics/index.js';
import { runTraining, type TrainingRunReport } from '../../models/train/run-training.js';
import { DEFAULT_TRAIN_OPTIONS, type EpochLog } from '../../models/train/trainer.js';
import { action, printResult, type GlobalOptions } from '../output.js';

export interface CommonTrainFlags {
  data: string;
  arch: string;
  out: string;
  epochs: string;
  batchSize: string;
  lr: string;
  seed: string;
  patience: string;
  clipSeconds: string;
  valSpeakers?: string;
  trainSpeakers?: string;
  classes?: string;
  corpus: string;
  classWeights: boolean;
  specAugment: boolean;
  resume?: boolean;
  demoCount: string;
  cacheDir?: string;
}

export function positiveNumber(flag: string, v: string, integer = false): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} must be a positive ${integer ? 'integer' : 'number'}, got "${v}"`);
  }
  return n;
}

export function integerFlag(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a non-negative integer, got "${v}"`);
  return n;
}

export function splitList(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

export function addCommonTrainOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--data <dir>', "dataset folder (RAVDESS, EmoDB, ... or <label>/ folders), or 'demo'")
    .requiredOption('--out <dir>', 'run folder: model.json, weights.bin, frontend.json, metrics.json, checkpoints')
    .option('--epochs <n>', 'maximum epochs', String(DEFAULT_TRAIN_OPTIONS.epochs))
    .option('--batch-size <n>', 'batch size', String(DEFAULT_TRAIN_OPTIONS.batchSize))
    .option('--lr <x>', 'Adam learning rate', String(DEFAULT_TRAIN_OPTIONS.learningRate))
    .option('--seed <n>', 'seed for weights, shuffling and augmentation', '0')
    .option('--patience <n>', 'early stopping: epochs without a better validation UA', String(DEFAULT_TRAIN_OPTIONS.patience))
    .option('--clip-seconds <s>', 'fixed clip length (centre crop / pad)', '3')
    .option('--val-speakers <list>', 'comma-separated validation speakers (default: RAVDESS 17-20, else 20% held out)')
    .option('--train-speakers <list>', 'comma-separated training speakers (default: all others)')
    .option('--classes <list>', 'class set, e.g. neutral,happy,sad,angry')
    .option('--corpus <name>', 'naming convention (auto, ravdess, emodb, tess, savee, cremad, folder)', 'auto')
    .option('--no-class-weights', 'do not weight the loss by inverse class frequency')
    .option('--no-spec-augment', 'no SpecAugment masks')
    .option('--resume', 'continue from <out>/checkpoint')
    .option('--demo-count <n>', "clips per class for --data demo", '40')
    .option('--cache-dir <dir>', 'feature cache root (default <repo>/.cache/features)');
}

export function renderTrainReport(r: TrainingRunReport): string {
  const lines = [
    `${r.arch}: ${r.counts.trainableParams} params, ${(r.counts.macs / 1e6).toFixed(2)} M MACs; ${r.trainItems} train / ${r.valItems} val items`,
    `val speakers: ${r.valSpeakers.join(', ')}`,
    `epochs: ${r.epochsCompleted}${r.stoppedEarly ? ' (early stop)' : ''}, best epoch ${r.bestEpoch}` +
      (r.resumedFromEpoch !== null ? `, resumed after epoch ${r.resumedFromEpoch}` : ''),
    renderMetricsText(r.val),
    `wrote ${r.files.modelJson}, ${r.files.weights}, ${r.files.frontend}, ${r.files.metrics}`,
  ];
  return lines.join('\n');
}

export function epochPrinter(opts: GlobalOptions): (l: EpochLog) => void {
  return (l) => {
    if (opts.json) return;
    process.stderr.write(
      `epoch ${l.epoch}: loss ${l.loss.toFixed(4)}  val UA ${l.valUA.toFixed(3)}  WA ${l.valWA.toFixed(3)}  F1 ${l.valMacroF1.toFixed(3)}  ` +
        `${l.seconds.toFixed(1)} s (${l.examplesPerSecond.toFixed(1)} ex/s)\n`,
    );
  };
}

export function register(program: Command): void {
  const cmd = program
    .command('train')
    .description('train a student model on the tfjs WASM backend (speaker-independent split, early stopping on UA)')
    .option('--arch <name>', `architecture: ${architectureNames().join(', ')}`, 'ds-cnn-s')
    .option('--threads <n>', 'training threads: 1, or 2 (data parallel over two cores; default: 2 when the machine has them)');
  addCommonTrainOptions(cmd).action(
    action(async (flags: CommonTrainFlags & { arch: string; threads?: string }, command: Command) => {
      const opts = command.optsWithGlobals() as GlobalOptions;
      if (!architectureNames().includes(flags.arch)) {
        throw new UsageError(`unknown --arch '${flags.arch}'; choose one of: ${architectureNames().join(', ')}`);
      }
      if (flags.threads !== undefined && flags.threads !== '1' && flags.threads !== '2') throw new UsageError(`--threads must be 1 or 2, got "${flags.threads}"`);
      const threads = flags.threads === undefined ? undefined : (Number(flags.threads) as 1 | 2);
      const report = await runTraining({
        data: flags.data,
        out: flags.out,
        corpus: flags.corpus as 'auto',
        classes: splitList(flags.classes),
        valSpeakers: splitList(flags.valSpeakers),
        trainSpeakers: splitList(flags.trainSpeakers),
        clipSeconds: positiveNumber('--clip-seconds', flags.clipSeconds),
        seed: integerFlag('--seed', flags.seed),
        demoCount: positiveNumber('--demo-count', flags.demoCount, true),
        progress: !opts.json,
        cacheDir: flags.cacheDir,
        resume: flags.resume,
        train: {
          arch: flags.arch,
          epochs: positiveNumber('--epochs', flags.epochs, true),
          batchSize: positiveNumber('--batch-size', flags.batchSize, true),
          learningRate: positiveNumber('--lr', flags.lr),
          seed: integerFlag('--seed', flags.seed),
          patience: positiveNumber('--patience', flags.patience, true),
          classWeighting: flags.classWeights,
          specAugment: flags.specAugment ? DEFAULT_TRAIN_OPTIONS.specAugment : null,
          threads,
        },
        onEpoch: epochPrinter(opts),
      });
      printResult(opts, report, () => renderTrainReport(report));
    }),
  );
}
