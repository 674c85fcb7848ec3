/**
 * DESIGN.md contract 4 on whole models: the generated C (compiler/writers/c/) compiled with gcc
 * gives, for every op output tensor, the same bytes as the TS interpreter, and final outputs equal
 * to TFLM's golden .bin files. Models: the golden hello_world_int8, micro_speech_quantized and
 * person_detect (third-party .tflite files) and the repo's ONNX fixtures compiled by tinyser.
 * Each model's C also cross-compiles for the Cortex-M4F with arm-none-eabi-gcc -Werror.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildHostRunner, crossCompileCheck, generateModelC, runHostRunner, type GeneratedModelC } from '../../compiler/writers/c/index.js';
import { createInterpreter, loadTfliteModel, type TfliteModel } from '../../runtime-sim/interpreter/index.js';
import { hasCompiler } from './multi-runner.js';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const goldenDir = path.join(path.resolve(repoRoot, '../shared'), 'golden');
const haveGolden = existsSync(path.join(goldenDir, 'interpreter', 'hello_world_int8', 'manifest.json'));
const haveGcc = hasCompiler('gcc');
const haveArmGcc = hasCompiler('arm-none-eabi-gcc');
const tmpRoot = mkdtempSync(path.join(tmpdir(), 'tinyser-genc-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

interface Manifest {
  model: string;
  cases: { id: number | string; input: string; output: string }[];
  real_cases: { id: number | string; input: string; output: string }[] | null;
  sweep: { input: string; output: string } | null;
}

/** Runs the C and the interpreter on each input; every op output and the final output must be equal. */
function expectCEqualsInterpreter(model: TfliteModel, gen: GeneratedModelC, exe: string, inputs: Uint8Array[]): Uint8Array[] {
  const runs = runHostRunner(exe, inputs, true);
  expect(runs.length).toBe(inputs.length);
  const it = createInterpreter(model);
  const finals: Uint8Array[] = [];
  inputs.forEach((x, k) => {
    it.setInput(0, x);
    const dump = it.invoke({ dumpAll: true })!;
    const recs = runs[k]!;
    // one record per op (its output tensor) plus the final output
    expect(recs.length).toBe(gen.ops.length + 1);
    for (const r of recs.slice(0, -1)) {
      const want = dump.get(r.index);
      expect(want, `tensor ${r.index}`).toBeDefined();
      expect(Buffer.from(r.bytes).equals(Buffer.from(want!.bytes)), `input ${k}: tensor ${r.index} (${want!.name}) differs`).toBe(true);
    }
    const final = recs[recs.length - 1]!.bytes;
    expect(Buffer.from(final).equals(Buffer.from(it.output(0).bytes)), `input ${k}: final output differs`).toBe(true);
    finals.push(final);
  });
  return finals;
}

const GOLDEN = ['hello_world_int8', 'micro_speech_quantized', 'person_detect'] as const;

describe.skipIf(!haveGcc)('generated C = interpreter = TFLM goldens', () => {
  for (const name of GOLDEN) {
    it.skipIf(!haveGolden)(`${name}: every tensor equals the interpreter, outputs equal the goldens${haveGolden ? '' : ` (skipped: no ${goldenDir})`}`, () => {
      const dir = path.join(goldenDir, 'interpreter', name);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
      const bytes = new Uint8Array(readFileSync(path.join(goldenDir, manifest.model)));
      const model = loadTfliteModel(bytes, name);
      const gen = generateModelC(model);
      const exe = buildHostRunner(gen, path.join(tmpRoot, name));
      const cases = [...manifest.cases, ...(manifest.real_cases ?? [])];
      const read = (f: string): Uint8Array => new Uint8Array(readFileSync(path.join(dir, f)));
      const finals = expectCEqualsInterpreter(model, gen, exe, cases.map((c) => read(c.input)));
      cases.forEach((c, k) => expect(Buffer.from(finals[k]!).equals(Buffer.from(read(c.output))), `case ${c.id} vs TFLM golden`).toBe(true));
      if (manifest.sweep) {
        // hello_world: all 256 int8 inputs, outputs only
        const sweepIn = read(manifest.sweep.input), sweepOut = read(manifest.sweep.output);
        const n = gen.inputs[0]!.bytes, m = gen.outputs[0]!.bytes;
        const inputs = Array.from({ length: sweepIn.length / n }, (_, i) => sweepIn.subarray(i * n, (i + 1) * n));
        const outs = runHostRunner(exe, inputs, false).map((r) => r[0]!.bytes);
        expect(Buffer.from(Buffer.concat(outs)).equals(Buffer.from(sweepOut))).toBe(true);
        expect(outs.length * m).toBe(sweepOut.length);
      }
      // model.c only: kernels.test.ts cross-compiles the kernels themselves
      if (haveArmGcc) expect(crossCompileCheck(gen, path.join(tmpRoot, `${name}-arm`), undefined, undefined, false)).toHaveLength(1);
    }, 120_000);
  }
});

describe.skipIf(!haveGcc)('generated C = interpreter on tinyser-compiled fixtures', () => {
  it('compiles the ONNX fixtures and checks every tensor on 8 evaluation inputs each', async () => {
    const { compileGraph } = await import('../../compiler/compile.js');
    const { importOnnx } = await import('../../compiler/import/onnx/import-onnx.js');
    const { quantizeInt8 } = await import('../../compiler/verify/agreement.js');
    const { calibrationSet, evaluationIndices, fixtureInput, fixtureNames, onnxBytes } = await import('../compiler/fixtures.js');
    expect(fixtureNames.length).toBeGreaterThan(0);
    for (const name of fixtureNames) {
      const r = await compileGraph(importOnnx(onnxBytes(name), { source: name }), { calibration: calibrationSet(), name, verify: false });
      const model = loadTfliteModel(r.tflite, `${name}.tflite`);
      const gen = generateModelC(model);
      const exe = buildHostRunner(gen, path.join(tmpRoot, `fixture-${name}`));
      const q = r.report.input;
      const xs = evaluationIndices().slice(0, 8).map((i) => {
        const v = quantizeInt8(fixtureInput(i), q.scale, q.zeroPoint);
        return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      });
      expectCEqualsInterpreter(model, gen, exe, xs);
      if (haveArmGcc) expect(crossCompileCheck(gen, path.join(tmpRoot, `fixture-${name}-arm`), undefined, undefined, false)).toHaveLength(1);
    }
  }, 240_000);
});
