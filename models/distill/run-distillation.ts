/**
 * `tinyser distill`: train a student with knowledge distillation from a teacher (or an ensemble).
 * loss = alpha * T^2 * KL(softmax(target/T) || softmax(student/T)) + (1 - alpha) * weighted CE,
 * where the target is the teacher's logits, corrected on the training examples the teacher gets
 * wrong (soft-targets.ts), optionally over augmented copies of the training clips too
 * (augmented-clips.ts; presets.ts lists the recipes). Soft labels are computed once per
 * (teacher, frontend, items) and cached. The run folder is the same as `tinyser train`'s, and
 * metrics.json also records the teacher's own validation metrics and its training-set accuracy,
 * so a reader sees whether the student inherited the teacher's confusions.
 */
import path from 'node:path';
import { findRepoRoot } from '../datasets/demo/demo-cache.js';
import { evaluatePredictions, type ClassificationMetrics } from '../metrics/index.js';
import { prepareTrainingData } from '../train/prepare-data.js';
import { extractFeatureSet } from '../train/features.js';
import { normalizeFeatureSet, type FeatureSet } from '../train/feature-set.js';
import type { FrontendConfig } from '../../runtime-sim/frontend/index.js';
import { augmentedCopies } from './augmented-clips.js';
import { writeRunFolder, type TrainingRunOptions, type TrainingRunReport } from '../train/run-training.js';
import { DEFAULT_TRAIN_OPTIONS, trainClassifier, type TrainOptions } from '../train/trainer.js';
import { initWasmTraining } from '../train/wasm-backend.js';
import { ensembleTeacher, outOfFoldCoverage, type EnsembleLabelling } from './ensemble-teacher.js';
import { DEFAULT_DISTILL_PRESET, DISTILL_PRESETS } from './presets.js';
import { correctTeacherLogits, rowArgmax, type SoftTargetReport, type TeacherCorrection } from './soft-targets.js';
import { cachedTeacherLogits, loadTeacher, type Teacher, type TeacherOutputKind } from './teacher.js';

export interface DistillationRunOptions extends TrainingRunOptions {
  /** one teacher (an .onnx file or a tinyser run folder) or several, averaged as an ensemble */
  teacher: string | readonly string[];
  temperature?: number;
  alpha?: number;
  correction?: TeacherCorrection;
  /** several teachers: label each clip with the members that never saw its speaker (default) or all */
  labelling?: EnsembleLabelling;
  /** augmented copies of every training clip, labelled by the teacher and trained on (0: none) */
  augmentCopies?: number;
  teacherOutputs?: TeacherOutputKind;
}

/** Examples of b appended to a (same frames, bands and classes). */
export function concatFeatureSets(a: FeatureSet, b: FeatureSet): FeatureSet {
  const x = new Float32Array(a.x.length + b.x.length);
  x.set(a.x);
  x.set(b.x, a.x.length);
  return {
    frames: a.frames,
    bands: a.bands,
    x,
    labels: Int32Array.from([...a.labels, ...b.labels]),
    speakers: [...a.speakers, ...b.speakers],
    ids: [...a.ids, ...b.ids],
    classNames: a.classNames,
  };
}

export interface DistillationRunReport extends TrainingRunReport {
  teacher: {
    path: string;
    kind: string;
    members: number;
    labelling: EnsembleLabelling;
    /** training clips labelled only by members that were not trained on their speaker */
    outOfFoldClips: number;
    val: ClassificationMetrics;
    softLabelCacheHit: boolean;
    train: SoftTargetReport;
  };
  distill: { temperature: number; alpha: number; correction: TeacherCorrection; augmentCopies: number };
}

function argmaxMetrics(logits: Float32Array, labels: Int32Array, classes: string[]): ClassificationMetrics {
  const pred = Array.from(labels, (_, i) => rowArgmax(logits, i, classes.length));
  return evaluatePredictions(Array.from(labels), pred, classes);
}

export async function runDistillation(opts: DistillationRunOptions): Promise<DistillationRunReport> {
  const preset = DISTILL_PRESETS[DEFAULT_DISTILL_PRESET];
  const recipe = {
    temperature: opts.temperature ?? preset.temperature,
    alpha: opts.alpha ?? preset.alpha,
    correction: opts.correction ?? preset.correction,
  };
  await initWasmTraining();
  const data = await prepareTrainingData(opts);
  const augmentCopies = opts.augmentCopies ?? preset.augmentCopies;
  if (augmentCopies > 0) {
    const copies = await augmentedCopies(data.trainItems, { copies: augmentCopies });
    // the copies go through the same frontend; statistics stay the original training split's
    const { normalization: _omit, ...rawFrontend } = data.frontend;
    void _omit;
    const raw = await extractFeatureSet(copies, data.classes, {
      frontend: rawFrontend as FrontendConfig,
      clipSeconds: opts.clipSeconds,
      cacheDir: opts.cacheDir,
      progress: opts.progress,
    });
    data.train = concatFeatureSets(data.train, normalizeFeatureSet(raw.set, data.normalization));
  }
  const paths = typeof opts.teacher === 'string' ? [opts.teacher] : [...opts.teacher];
  const members: Teacher[] = [];
  for (const p of paths) members.push(await loadTeacher(p, { outputs: opts.teacherOutputs }));
  const labelling = opts.labelling ?? 'out-of-fold';
  const teacher = ensembleTeacher(members, labelling);
  const outOfFoldClips = members.length > 1 && labelling === 'out-of-fold' ? outOfFoldCoverage(members, data.train.speakers) : 0;
  const cacheRoot = opts.cacheDir === null ? null : path.join(opts.cacheDir ?? path.join(findRepoRoot(), '.cache'), 'teacher-logits');
  const trainSoft = await cachedTeacherLogits(teacher, data.train, data.frontendHash, cacheRoot, data.normalization);
  const valSoft = await cachedTeacherLogits(teacher, data.val, data.frontendHash, cacheRoot, data.normalization);
  await teacher.dispose();
  const teacherVal = argmaxMetrics(valSoft.logits, data.val.labels, data.classes);
  const targets = correctTeacherLogits(trainSoft.logits, data.train.labels, data.classes.length, recipe);
  const options: TrainOptions = {
    ...DEFAULT_TRAIN_OPTIONS,
    ...opts.train,
    distill: { teacherLogits: targets.logits, temperature: recipe.temperature, alpha: recipe.alpha },
  };
  const result = await trainClassifier({ train: data.train, val: data.val }, options, {
    runDir: opts.out,
    resume: opts.resume,
    progress: opts.progress,
    onEpoch: opts.onEpoch,
  });
  const teacherInfo = {
    path: paths.join(','),
    kind: teacher.kind,
    members: paths.length,
    labelling,
    outOfFoldClips,
    val: teacherVal,
    softLabelCacheHit: trainSoft.cacheHit,
    train: targets.report,
  };
  const distill = { ...recipe, augmentCopies };
  const report = await writeRunFolder(opts.out, result, data, options, { teacher: teacherInfo, distill }, opts.resume);
  result.model.dispose();
  return { ...report, teacher: teacherInfo, distill };
}
