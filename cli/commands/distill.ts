/**
 * `tinyser distill --teacher t.onnx --student ds-cnn-s --data <dir> --out run/`: knowledge
 * distillation (alpha * T^2 * KL + (1 - alpha) * CE) from an ONNX or tinyser teacher.
 * Thin over models/distill/run-distillation.ts.
 */
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.js';
import { architectureNames } from '../../models/architectures/registry.js';
import { renderMetricsText } from '../../models/metrics/index.js';
import { runDistillation } from '../../models/distill/run-distillation.js';
import type { TeacherOutputKind } from '../../models/distill/teacher.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../models/train/trainer.js';
import { action, printResult, type GlobalOptions } from '../output.js';
import { addCommonTrainOptions, epochPrinter, integerFlag, positiveNumber, renderTrainReport, splitList, type CommonTrainFlags } from './train.js';

interface DistillFlags extends CommonTrainFlags {
  teacher: string;
  student: string;
  temperature: string;
  alpha: string;
  teacherOutputs: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('distill')
    .description('train a student with knowledge distillation from an ONNX or tinyser teacher')
    .requiredOption('--teacher <model>', 'teacher: an .onnx file (same features as the student) or a tinyser run folder')
    .option('--student <arch>', `student architecture: ${architectureNames().join(', ')}`, 'ds-cnn-s')
    .option('--temperature <T>', 'softmax temperature of the soft labels', '4')
    .option('--alpha <a>', 'weight of the distillation term (1 - alpha weights the hard labels)', '0.7')
    .option('--teacher-outputs <kind>', 'teacher output: auto, logits or probabilities', 'auto');
  addCommonTrainOptions(cmd).action(
    action(async (flags: DistillFlags, command: Command) => {
      const opts = command.optsWithGlobals() as GlobalOptions;
      if (!architectureNames().includes(flags.student)) {
        throw new UsageError(`unknown --student '${flags.student}'; choose one of: ${architectureNames().join(', ')}`);
      }
      const alpha = Number(flags.alpha);
      if (!(alpha >= 0 && alpha <= 1)) throw new UsageError(`--alpha must be in [0, 1], got "${flags.alpha}"`);
      if (!['auto', 'logits', 'probabilities'].includes(flags.teacherOutputs)) {
        throw new UsageError(`--teacher-outputs must be auto, logits or probabilities, got "${flags.teacherOutputs}"`);
      }
      const report = await runDistillation({
        teacher: flags.teacher,
        temperature: positiveNumber('--temperature', flags.temperature),
        alpha,
        teacherOutputs: flags.teacherOutputs as TeacherOutputKind,
        data: flags.data,
        out: flags.out,
        corpus: flags.corpus as 'auto',
        classes: splitList(flags.classes),
        valSpeakers: splitList(flags.valSpeakers),
        trainSpeakers: splitList(flags.trainSpeakers),
        clipSeconds: positiveNumber('--clip-seconds', flags.clipSeconds),
        seed: integerFlag('--seed', flags.seed),
        demoCount: positiveNumber('--demo-count', flags.demoCount, true),
        cacheDir: flags.cacheDir,
        progress: !opts.json,
        resume: flags.resume,
        train: {
          arch: flags.student,
          epochs: positiveNumber('--epochs', flags.epochs, true),
          batchSize: positiveNumber('--batch-size', flags.batchSize, true),
          learningRate: positiveNumber('--lr', flags.lr),
          seed: integerFlag('--seed', flags.seed),
          patience: positiveNumber('--patience', flags.patience, true),
          classWeighting: flags.classWeights,
          specAugment: flags.specAugment ? DEFAULT_TRAIN_OPTIONS.specAugment : null,
        },
        onEpoch: epochPrinter(opts),
      });
      printResult(opts, report, () =>
        [
          `distillation: T=${report.distill.temperature}, alpha=${report.distill.alpha}, teacher ${report.teacher.kind} ${report.teacher.path}` +
            (report.teacher.softLabelCacheHit ? ' (soft labels from cache)' : ''),
          renderMetricsText(report.teacher.val, { title: 'teacher on validation:' }),
          'student:',
          renderTrainReport(report),
        ].join('\n'),
      );
    }),
  );
}
