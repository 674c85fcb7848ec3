/**
 * `writeCompileOutputs` writes every artifact of one compile: the .tflite, the TFLM files, the report and
 * the interpreter-free C (model.c/.h plus the C kernels it calls) whose arena and ops match the .tflite.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileGraph, loadModelFile, writeCompileOutputs } from '../../compiler/index.js';
import { generateModelCFromTflite } from '../../compiler/writers/c/index.js';
import { calibrationSet, fixtureDir } from './fixtures.js';

const out = mkdtempSync(path.join(tmpdir(), 'tinyser-compile-out-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('writeCompileOutputs', () => {
  it('writes .tflite, TFLM artifacts, report and generated C that compiles warning-free', async () => {
    const graph = loadModelFile(path.join(fixtureDir, 'ds_cnn.onnx'));
    const r = await compileGraph(graph, { calibration: calibrationSet().slice(0, 8), verify: false, name: 'ds_cnn' });
    const files = writeCompileOutputs(r, out).map((f) => path.relative(out, f));
    for (const f of ['model.tflite', 'model_data.cc', 'model_data.h', 'model_ops.h', 'report.json', 'report.html', 'c/model.c', 'c/model.h']) {
      expect(files, f).toContain(f);
    }
    expect(new Uint8Array(readFileSync(path.join(out, 'model.tflite')))).toEqual(r.tflite);
    const gen = generateModelCFromTflite(r.tflite, 'ds_cnn.tflite');
    const header = readFileSync(path.join(out, 'c/model.h'), 'utf8');
    expect(header).toContain(`${gen.arenaBytes}`);
    expect(existsSync(path.join(out, 'c/NOT_GENERATED.txt'))).toBe(false);
    const cc = spawnSync('cc', ['-std=c99', '-Wall', '-Wextra', '-Werror', '-c', '-o', path.join(out, 'model.o'), '-I', path.join(out, 'c'), path.join(out, 'c/model.c')], { encoding: 'utf8' });
    expect(cc.status, cc.stderr).toBe(0);
  });
});
