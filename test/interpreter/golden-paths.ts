/** Locates ../shared/golden (research data kept outside the repo) for the interpreter tests. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = path.resolve(repoRoot, '../shared');
export const goldenDir = path.join(sharedDir, 'golden');
export const goldenInterpreterDir = path.join(goldenDir, 'interpreter');
export const haveGolden = existsSync(path.join(goldenInterpreterDir, 'hello_world_int8', 'manifest.json'));
export const skipReason = `golden data not found at ${goldenDir} (needs ../shared/golden next to the repo)`;

export const GOLDEN_MODELS = [
  'hello_world_int8',
  'micro_speech_quantized',
  'person_detect',
  'keyword_scrambled_8bit',
  'micro_speech_lstm',
  'trained_lstm_int8',
] as const;

export interface GoldenCase { id: number | string; input: string; output: string }
export interface GoldenManifest {
  model: string;
  inputs: { tensor_index: number; dtype: string; shape: number[]; bytes: number }[];
  outputs: { tensor_index: number; dtype: string; shape: number[]; bytes: number }[];
  variable_tensors: { tensor_index: number; reset_value: number }[];
  cases: GoldenCase[];
  real_cases: GoldenCase[] | null;
  stream: { inputs: string[]; output: string; final_state: { tensor_index: number; file: string }[] } | null;
  sweep: { input: string; output: string } | null;
  layers: { dir: string; tensors: { tensor_index: number; file: string | null; is_variable: boolean }[] };
}

export function readManifest(model: string): GoldenManifest {
  return JSON.parse(readFileSync(path.join(goldenInterpreterDir, model, 'manifest.json'), 'utf8')) as GoldenManifest;
}

export function readGolden(model: string, file: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(goldenInterpreterDir, model, file)));
}

export function readGoldenModel(manifest: GoldenManifest): Uint8Array {
  return new Uint8Array(readFileSync(path.join(goldenDir, manifest.model)));
}
