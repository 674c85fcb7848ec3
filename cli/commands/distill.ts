/**
 * `tinyser distill --teacher t.onnx|run1,run2,run3 --student ds-cnn-s --data <dir> --out run/`:
 * knowledge distillation (alpha * T^2 * KL + (1 - alpha) * CE) from an ONNX or tinyser teacher, or
 * an ensemble of them, with the teacher's training-set mistakes corrected and augmented clips
 * labelled by the teacher (--preset augmented, the default; corrected; or hinton, plain KD).
 * Thin over models/distill/run-distillation.ts.
 */
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.js';
import { architectureNames } from '../../models/architectures/registry.js';
import { renderMetricsText } from '../../models/metrics/index.js';
import { runDistillation } from '../../models/distill/run-distillation.js';
import { DEFAULT_DISTILL_PRESET, DISTILL_PRESETS, distillPresetNames, type DistillPresetName } from '../../models/distill/presets.js';
import { TEACHER_CORRECTIONS, type TeacherCorrection } from '../../models/distill/soft-targets.js';
import type { TeacherOutputKind } from '../../models/distill/teacher.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../models/train/trainer.js';
import { action, printResult, type GlobalOptions } from '../output.js';
import { addCommonTrainOptions, epochPrinter, integerFlag, positiveNumber, renderTrainReport, splitList, type CommonTrainFlags } from './train.js';

interface DistillFlags extends CommonTrainFlags {
  teacher: string;
  student: string;
  preset: string;
  temperature?: string;
  alpha?: string;
  correction?: string;
  teacherLabelling: string;
  augmentCopies?: string;
  teacherOutputs: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('distill')
    .description('train a student with knowledge distillation from an ONNX or tinyser teacher')
    .requiredOption('--teacher <models>', 'teacher: an .onnx file (same features as the student) or a tinyser run folder; a comma-separated list averages them')
    .option('--student <arch>', `student architecture: ${architectureNames().join(', ')}`, 'ds-cnn-s')
    .option('--preset <name>', `recipe: ${distillPresetNames().map((n) => `${n} (T=${DISTILL_PRESETS[n].temperature}, alpha=${DISTILL_PRESETS[n].alpha}, correction ${DISTILL_PRESETS[n].correction}, ${DISTILL_PRESETS[n].augmentCopies} augmented copies)`).join(', ')}`, DEFAULT_DISTILL_PRESET)
    .option('--temperature <T>', 'softmax temperature of the soft labels (overrides the preset)')
    .option('--alpha <a>', 'weight of the distillation term, 1 - alpha weights the hard labels (overrides the preset)')
    .option('--correction <kind>', `where the teacher is wrong on a training example: ${TEACHER_CORRECTIONS.join(', ')} (overrides the preset)`)
    .option('--teacher-labelling <mode>', 'several teachers: out-of-fold (each clip labelled by the members not trained on its speaker) or mean', 'out-of-fold')
    .option('--augment-copies <n>', 'augmented copies (pitch, gain, noise) of every training clip, labelled by the teacher (overrides the preset)')
    .option('--teacher-outputs <kind>', 'teacher output: auto, logits or probabilities', 'auto');
  addCommonTrainOptions(cmd).action(
    action(async (flags: DistillFlags, command: Command) => {
      const opts = command.optsWithGlobals() as GlobalOptions;
      if (!architectureNames().includes(flags.student)) {
        throw new UsageError(`unknown --student '${flags.student}'; choose one of: ${architectureNames().join(', ')}`);
      }
      if (!distillPresetNames().includes(flags.preset as DistillPresetName)) {
        throw new UsageError(`unknown --preset '${flags.preset}'; choose one of: ${distillPresetNames().join(', ')}`);
      }
      const preset = DISTILL_PRESETS[flags.preset as DistillPresetName];
      const alpha = flags.alpha === undefined ? preset.alpha : Number(flags.alpha);
      if (!(alpha >= 0 && alpha <= 1)) throw new UsageError(`--alpha must be in [0, 1], got "${flags.alpha}"`);
      const correction = (flags.correction ?? preset.correction) as TeacherCorrection;
      if (!TEACHER_CORRECTIONS.includes(correction)) {
        throw new UsageError(`--correction must be one of ${TEACHER_CORRECTIONS.join(', ')}, got "${flags.correction}"`);
      }
      if (!['out-of-fold', 'mean'].includes(flags.teacherLabelling)) {
        throw new UsageError(`--teacher-labelling must be out-of-fold or mean, got "${flags.teacherLabelling}"`);
      }
      const teachers = splitList(flags.teacher) ?? [];
      if (teachers.length === 0) throw new UsageError('--teacher needs at least one model');
      if (!['auto', 'logits', 'probabilities'].includes(flags.teacherOutputs)) {
        throw new UsageError(`--teacher-outputs must be auto, logits or probabilities, got "${flags.teacherOutputs}"`);
      }
      const report = await runDistillation({
        teacher: teachers,
        temperature: flags.temperature === undefined ? preset.temperature : positiveNumber('--temperature', flags.temperature),
        alpha,
        correction,
        labelling: flags.teacherLabelling as 'out-of-fold' | 'mean',
        augmentCopies: flags.augmentCopies === undefined ? preset.augmentCopies : integerFlag('--augment-copies', flags.augmentCopies),
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
          `distillation: T=${report.distill.temperature}, alpha=${report.distill.alpha}, correction ${report.distill.correction}, ` +
            `teacher ${report.teacher.kind} ${report.teacher.path}` +
            (report.teacher.softLabelCacheHit ? ' (soft labels from cache)' : ''),
          `teacher right on ${report.teacher.train.teacherCorrect}/${report.teacher.train.total} training examples` +
            (report.teacher.members > 1 ? ` (${report.teacher.members} members, ${report.teacher.outOfFoldClips} clips labelled out of fold)` : '') +
            `; ${report.teacher.train.corrected} targets corrected`,
          renderMetricsText(report.teacher.val, { title: 'teacher on validation:' }),
          'student:',
          renderTrainReport(report),
        ].join('\n'),
      );
    }),
  );
}
