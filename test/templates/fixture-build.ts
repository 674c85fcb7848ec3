/**
 * Compiles the ds_cnn ONNX fixture (49 frames x 40 log-mel, 4 classes) with the compiler API into a
 * fresh build folder and instantiates the three templates from it. Calibration on 8 fixture inputs
 * and no verify run: the templates only need the artifacts, and the test stays fast.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileGraph, loadModelFile, writeCompileOutputs } from '../../compiler/index.js';
import { instantiateTemplate, TEMPLATE_KINDS, type InstantiateResult, type TemplateKind } from '../../device-bridge/templates/index.js';
import { calibrationSet, fixtureDir } from '../compiler/fixtures.js';

export const CLASSES = ['neutral', 'happy "joy"', 'sad', 'angry'];
export const STUBS = path.resolve(path.dirname(new URL(import.meta.url).pathname), 'vendor-stubs');
export const HOST_BOARD_C = path.resolve(path.dirname(new URL(import.meta.url).pathname), 'host-board.c');

export interface TemplateFixture {
  root: string;
  buildDir: string;
  outs: Record<TemplateKind, InstantiateResult>;
}

export async function buildTemplateFixture(): Promise<TemplateFixture> {
  const root = mkdtempSync(path.join(tmpdir(), 'tinyser-templates-'));
  const buildDir = path.join(root, 'build');
  const graph = loadModelFile(path.join(fixtureDir, 'ds_cnn.onnx'));
  const r = await compileGraph(graph, { calibration: calibrationSet().slice(0, 8), verify: false, name: 'ds_cnn' });
  writeCompileOutputs(r, buildDir);
  const outs = {} as Record<TemplateKind, InstantiateResult>;
  for (const kind of TEMPLATE_KINDS) outs[kind] = instantiateTemplate({ kind, modelDir: buildDir, outDir: path.join(root, kind), classes: CLASSES });
  return { root, buildDir, outs };
}

export function filesUnder(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, path.posix.join(prefix, name)));
    else out.push(path.posix.join(prefix, name));
  }
  return out;
}

export function readText(...p: string[]): string {
  return readFileSync(path.join(...p), 'utf8');
}

/** `#define NAME value` of a header, as the raw value text. */
export function defineOf(header: string, name: string): string | undefined {
  return new RegExp(`^#define ${name} (.+?)\\s*(?:/\\*.*)?$`, 'm').exec(header)?.[1];
}

export function hasTool(cmd: string): boolean {
  return !spawnSync(cmd, ['--version']).error;
}
