/**
 * `tinyser distill`: train a student with knowledge distillation from a teacher.
 * loss = alpha * T^2 * KL(softmax(teacher/T) || softmax(student/T)) + (1 - alpha) * weighted CE.
 * Soft labels are computed once per (teacher, frontend, items) and cached. The run folder is the
 * same as `tinyser train`'s, and metrics.json also records the teacher's own validation metrics,
 * so a reader sees whether the student inherited the teacher's confusions.
 */
import path from 'node:path';
import { findRepoRoot } from '../datasets/demo/demo-cache.js';
import { evaluatePredictions, type ClassificationMetrics } from '../metrics/index.js';
import { prepareTrainingData } from '../train/prepare-data.js';
import { writeRunFolder, type TrainingRunOptions, type TrainingRunReport } from '../train/run-training.js';
import { DEFAULT_TRAIN_OPTIONS, trainClassifier, type TrainOptions } from '../train/trainer.js';
import { initWasmTraining } from '../train/wasm-backend.js';
import { cachedTeacherLogits, loadTeacher, type TeacherOutputKind } from './teacher.js';

export interface DistillationRunOptions extends TrainingRunOptions {
  teacher: string;
  temperature: number;
  alpha: number;
  teacherOutputs?: TeacherOutputKind;
}

export interface DistillationRunReport extends TrainingRunReport {
  teacher: { path: string; kind: string; val: ClassificationMetrics; softLabelCacheHit: boolean };
  distill: { temperature: number; alpha: number };
}

function argmaxMetrics(logits: Float32Array, labels: Int32Array, classes: string[]): ClassificationMetrics {
  const c = classes.length;
  const pred: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let k = 1; k < c; k++) if (logits[i * c + k]! > logits[i * c + best]!) best = k;
    pred.push(best);
  }
  return evaluatePredictions(Array.from(labels), pred, classes);
}

export async function runDistillation(opts: DistillationRunOptions): Promise<DistillationRunReport> {
  await initWasmTraining();
  const data = await prepareTrainingData(opts);
  const teacher = await loadTeacher(opts.teacher, { outputs: opts.teacherOutputs });
  const cacheRoot = opts.cacheDir === null ? null : path.join(opts.cacheDir ?? path.join(findRepoRoot(), '.cache'), 'teacher-logits');
  const trainSoft = await cachedTeacherLogits(teacher, data.train, data.frontendHash, cacheRoot);
  const valSoft = await cachedTeacherLogits(teacher, data.val, data.frontendHash, cacheRoot);
  await teacher.dispose();
  const teacherVal = argmaxMetrics(valSoft.logits, data.val.labels, data.classes);
  const options: TrainOptions = {
    ...DEFAULT_TRAIN_OPTIONS,
    ...opts.train,
    distill: { teacherLogits: trainSoft.logits, temperature: opts.temperature, alpha: opts.alpha },
  };
  const result = await trainClassifier({ train: data.train, val: data.val }, options, {
    runDir: opts.out,
    resume: opts.resume,
    progress: opts.progress,
    onEpoch: opts.onEpoch,
  });
  const teacherInfo = { path: opts.teacher, kind: teacher.kind, val: teacherVal, softLabelCacheHit: trainSoft.cacheHit };
  const distill = { temperature: opts.temperature, alpha: opts.alpha };
  const report = await writeRunFolder(opts.out, result, data, options, { teacher: teacherInfo, distill }, opts.resume);
  result.model.dispose();
  return { ...report, teacher: teacherInfo, distill };
}
