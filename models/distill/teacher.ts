/**
 * Teachers for distillation: an ONNX model (onnxruntime-node) or a tinyser run folder (TF.js
 * Layers model.json). Both give logits for a FeatureSet; soft labels are cached on disk.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TinyserError } from '../../common/errors.js';
import { loadLayersModelFromDir } from '../export/tfjs-layers-files.js';
import type { FeatureSet } from '../train/feature-set.js';
import { predictLogits } from '../train/trainer.js';
import { loadOnnxTeacher } from './onnx-teacher.js';

export type TeacherOutputKind = 'auto' | 'logits' | 'probabilities';

export interface Teacher {
  kind: 'onnx' | 'tinyser';
  path: string;
  /** sha256 of the model bytes: part of the soft-label cache key */
  contentHash: string;
  /** [N, C] logits (or log-probabilities) for every example of the set, in order */
  logits(set: FeatureSet): Promise<Float32Array>;
  dispose(): Promise<void>;
}

async function loadTinyserTeacher(dir: string): Promise<Teacher> {
  const model = await loadLayersModelFromDir(dir);
  const h = createHash('sha256');
  h.update(await readFile(path.join(dir, 'model.json')));
  h.update(await readFile(path.join(dir, 'weights.bin')));
  return {
    kind: 'tinyser',
    path: dir,
    contentHash: h.digest('hex'),
    async logits(set: FeatureSet) {
      return predictLogits(model, set);
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
  const logits = await teacher.logits(set);
  if (file) {
    await mkdir(cacheRoot!, { recursive: true });
    await writeFile(file, new Uint8Array(logits.buffer, logits.byteOffset, logits.byteLength));
  }
  return { logits, cacheHit: false };
}
