/**
 * Teachers for distillation: an ONNX model (onnxruntime-node) or a tinyser run folder (TF.js
 * Layers model.json). Both give logits for a FeatureSet; soft labels are cached on disk.
 * A tinyser teacher trained on another speaker split has its own per-band normalisation (its
 * frontend.json): given the student's, it maps the student's features back to raw log-mel and
 * applies its own, so it sees exactly the features it was trained on. Its metrics.json names the
 * speakers it was trained on, which lets an ensemble label each clip with teachers that never
 * heard that speaker (ensemble-teacher.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TinyserError } from '../../common/errors.js';
import { loadLayersModelFromDir } from '../export/tfjs-layers-files.js';
import type { BandNormalization, FeatureSet } from '../train/feature-set.js';
import { predictLogits } from '../train/trainer.js';
import { loadOnnxTeacher } from './onnx-teacher.js';

export type TeacherOutputKind = 'auto' | 'logits' | 'probabilities';

export interface Teacher {
  kind: 'onnx' | 'tinyser';
  path: string;
  /** sha256 of the model bytes: part of the soft-label cache key */
  contentHash: string;
  /** speakers the teacher was trained on, when known (tinyser run folders record them) */
  trainSpeakers?: readonly string[];
  /**
   * [N, C] logits (or log-probabilities) for every example of the set, in order. `normalization`
   * is the per-band affine the set was normalised with (the student's), when the teacher may need
   * to redo it with its own.
   */
  logits(set: FeatureSet, normalization?: BandNormalization): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** The set re-expressed in another per-band normalisation: (x * std_s + mean_s - mean_t) / std_t. */
export function renormalizeFeatureSet(set: FeatureSet, from: BandNormalization, to: BandNormalization): FeatureSet {
  const b = set.bands;
  if (from.mean.length !== b || to.mean.length !== b) {
    throw new TinyserError('INPUT', `normalisation has ${from.mean.length} / ${to.mean.length} bands, the features have ${b}`);
  }
  const x = new Float32Array(set.x.length);
  for (let i = 0; i < x.length; i++) {
    const k = i % b;
    x[i] = (set.x[i]! * from.std[k]! + from.mean[k]! - to.mean[k]!) / to.std[k]!;
  }
  return { ...set, x };
}

function sameNormalization(a: BandNormalization, b: BandNormalization): boolean {
  return a.mean.length === b.mean.length && a.mean.every((v, i) => v === b.mean[i] && a.std[i] === b.std[i]);
}

async function readJsonIfExists(file: string): Promise<unknown> {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (e) {
    throw new TinyserError('INPUT', `${file}: invalid JSON (${(e as Error).message})`, { file });
  }
}

async function loadTinyserTeacher(dir: string): Promise<Teacher> {
  const model = await loadLayersModelFromDir(dir);
  const h = createHash('sha256');
  h.update(await readFile(path.join(dir, 'model.json')));
  h.update(await readFile(path.join(dir, 'weights.bin')));
  const frontend = (await readJsonIfExists(path.join(dir, 'frontend.json'))) as { normalization?: BandNormalization } | undefined;
  const metrics = (await readJsonIfExists(path.join(dir, 'metrics.json'))) as { trainSpeakers?: string[] } | undefined;
  const own = frontend?.normalization;
  if (own) h.update(JSON.stringify(own));
  return {
    kind: 'tinyser',
    path: dir,
    contentHash: h.digest('hex'),
    trainSpeakers: Array.isArray(metrics?.trainSpeakers) ? metrics.trainSpeakers : undefined,
    async logits(set: FeatureSet, normalization?: BandNormalization) {
      const input = own && normalization && !sameNormalization(own, normalization) ? renormalizeFeatureSet(set, normalization, own) : set;
      return predictLogits(model, input);
    },
    async dispose() {
      model.dispose();
    },
  };
}

/** `.onnx` file -> ONNX teacher; a folder (or its model.json) -> tinyser teacher. */
export async function loadTeacher(p: string, opts: { outputs?: TeacherOutputKind } = {}): Promise<Teacher> {
  if (!existsSync(p)) throw new TinyserError('INPUT', `teacher ${p} does not exist`, { file: p });
  if (p.endsWith('.onnx')) return loadOnnxTeacher(p, opts);
  const dir = statSync(p).isDirectory() ? p : path.dirname(p);
  if (!existsSync(path.join(dir, 'model.json'))) {
    throw new TinyserError('INPUT', `teacher ${p}: expected an .onnx file or a tinyser run folder with model.json`, { file: p });
  }
  return loadTinyserTeacher(dir);
}

/** Teacher logits for a feature set, cached under <cacheRoot>/<key>.f32 (key: teacher, frontend, items). */
export async function cachedTeacherLogits(
  teacher: Teacher,
  set: FeatureSet,
  frontendHash: string,
  cacheRoot: string | null,
  normalization?: BandNormalization,
): Promise<{ logits: Float32Array; cacheHit: boolean }> {
  const key = createHash('sha256')
    .update(`${teacher.contentHash}\n${frontendHash}\n${set.frames}x${set.bands}\n${set.ids.join('\n')}`)
    .digest('hex')
    .slice(0, 32);
  const file = cacheRoot ? path.join(cacheRoot, `${key}.f32`) : null;
  const expected = set.labels.length * set.classNames.length;
  if (file && existsSync(file)) {
    const b = await readFile(file);
    const logits = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    if (logits.length === expected) return { logits, cacheHit: true };
  }
  const logits = await teacher.logits(set, normalization);
  if (file) {
    await mkdir(cacheRoot!, { recursive: true });
    await writeFile(file, new Uint8Array(logits.buffer, logits.byteOffset, logits.byteLength));
  }
  return { logits, cacheHit: false };
}
