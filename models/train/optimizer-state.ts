/**
 * Adam state on disk (optimizer.json + optimizer.bin) so a resumed run continues with the same
 * moments and step count instead of restarting Adam's bias correction.
 */
import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TinyserError } from '../../common/errors.js';

export async function saveOptimizerState(optimizer: tf.Optimizer, dir: string): Promise<void> {
  const named = await optimizer.getWeights();
  const { data, specs } = await tf.io.encodeWeights(named);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'optimizer.bin'), new Uint8Array(data as ArrayBuffer));
  await writeFile(path.join(dir, 'optimizer.json'), JSON.stringify({ className: optimizer.getClassName(), specs }));
}

/** Returns false when the directory holds no optimizer state (a fresh optimizer is kept). */
export async function loadOptimizerState(optimizer: tf.Optimizer, dir: string): Promise<boolean> {
  const jsonPath = path.join(dir, 'optimizer.json');
  if (!existsSync(jsonPath)) return false;
  const meta = JSON.parse(await readFile(jsonPath, 'utf8')) as { className: string; specs: tf.io.WeightsManifestEntry[] };
  if (meta.className !== optimizer.getClassName()) {
    throw new TinyserError('INPUT', `${jsonPath}: optimizer is ${meta.className}, this run uses ${optimizer.getClassName()}`);
  }
  const bytes = await readFile(path.join(dir, 'optimizer.bin'));
  const map = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, meta.specs);
  const list = meta.specs.map((s) => ({ name: s.name, tensor: map[s.name]! }));
  await optimizer.setWeights(list);
  tf.dispose(list.map((l) => l.tensor));
  return true;
}
