export { loadTeacher, cachedTeacherLogits, renormalizeFeatureSet, type Teacher, type TeacherOutputKind } from './teacher.js';
export { loadOnnxTeacher, looksLikeProbabilities } from './onnx-teacher.js';
export { ensembleTeacher, meanProbabilityLogits, outOfFoldCoverage, type EnsembleLabelling } from './ensemble-teacher.js';
export { correctTeacherLogits, rowArgmax, TEACHER_CORRECTIONS, type SoftTargetOptions, type SoftTargetReport, type TeacherCorrection } from './soft-targets.js';
export { DEFAULT_DISTILL_PRESET, DISTILL_PRESETS, distillPresetNames, type DistillPresetName, type DistillRecipe } from './presets.js';
export { augmentedCopies, augmentClipInt16, type AugmentedCopyOptions } from './augmented-clips.js';
export { runDistillation, concatFeatureSets, type DistillationRunOptions, type DistillationRunReport } from './run-distillation.js';
