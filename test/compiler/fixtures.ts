/** Loads the committed ONNX fixtures (scripts/export_onnx_fixtures.py) for the compiler tests. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixtureDir = path.join(repoRoot, 'test/fixtures/onnx');
export const sharedDir = path.resolve(repoRoot, '../shared');

export interface FixtureManifest {
  inputShape: number[];
  inputScale: number;
  calibration: [number, number];
  evaluation: [number, number];
  labels: number[];
  models: Record<string, { file: string; reference: string; classes: number; softmaxOutput: boolean; params: number }>;
}

export const manifest = JSON.parse(readFileSync(path.join(fixtureDir, 'manifest.json'), 'utf8')) as FixtureManifest;
export const fixtureNames = Object.keys(manifest.models);
const perExample = manifest.inputShape.reduce((a, b) => a * b, 1);
const inputsInt8 = new Int8Array(new Uint8Array(readFileSync(path.join(fixtureDir, 'inputs.int8.bin'))).buffer);

/** Float features of example i (the int8 grid times the manifest scale, as the references used). */
export function fixtureInput(i: number): Float64Array {
  return Float64Array.from(inputsInt8.subarray(i * perExample, (i + 1) * perExample), (v) => v * manifest.inputScale);
}

export function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}

export const calibrationSet = () => range(...manifest.calibration).map((i) => [fixtureInput(i)]);
export const evaluationIndices = () => range(...manifest.evaluation);

export function onnxBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(fixtureDir, manifest.models[name].file)));
}

/** torch float32 reference outputs: [example][class]. */
export function referenceOutputs(name: string): Float32Array[] {
  const m = manifest.models[name];
  const all = new Float32Array(new Uint8Array(readFileSync(path.join(fixtureDir, m.reference))).buffer);
  return range(0, all.length / m.classes).map((i) => all.subarray(i * m.classes, (i + 1) * m.classes));
}
