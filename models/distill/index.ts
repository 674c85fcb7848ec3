export { loadTeacher, cachedTeacherLogits, type Teacher, type TeacherOutputKind } from './teacher.js';
export { loadOnnxTeacher, looksLikeProbabilities } from './onnx-teacher.js';
export { runDistillation, type DistillationRunOptions, type DistillationRunReport } from './run-distillation.js';
