/**
 * Contract 4 on the emulated board's CPU: the generated C cross-compiled for the Cortex-M4F runs on
 * qemu-system-arm (mps2-an386) and every op output (FNV-1a 32 hash taken on the device after each
 * op) and the final output equal the TS interpreter's. Bare-metal probe from
 * compiler/writers/c/qemu-m4.ts (not the firmware port). Skips without arm-none-eabi-gcc/QEMU or
 * ../shared/golden.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fnv1a32, generateModelC, haveQemuM4Tools, runOnQemuM4 } from '../../compiler/writers/c/index.js';
import { createInterpreter, loadTfliteModel } from '../../runtime-sim/interpreter/index.js';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const goldenDir = path.join(path.resolve(repoRoot, '../shared'), 'golden');
const haveGolden = existsSync(path.join(goldenDir, 'interpreter', 'micro_speech_quantized', 'manifest.json'));
const tmpRoot = mkdtempSync(path.join(tmpdir(), 'tinyser-qemu-m4-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

describe.skipIf(!haveQemuM4Tools() || !haveGolden)(`generated C on the emulated Cortex-M4 = interpreter${haveGolden ? '' : ` (skipped: no ${goldenDir})`}`, () => {
  it.each(['micro_speech_quantized', 'person_detect'])('%s: every op output and the final output, real input', (name) => {
    const bytes = new Uint8Array(readFileSync(path.join(goldenDir, 'models', `${name}.tflite`)));
    const dir = path.join(goldenDir, 'interpreter', name);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { real_cases: { input: string; output: string }[] };
    const real = manifest.real_cases[0]!;
    const input = new Uint8Array(readFileSync(path.join(dir, real.input)));
    const model = loadTfliteModel(bytes, name);
    const gen = generateModelC(model);
    const run = runOnQemuM4(gen, path.join(tmpRoot, name), input);
    const it = createInterpreter(model);
    it.setInput(0, input);
    const dump = it.invoke({ dumpAll: true })!;
    const expected = gen.ops.map((o) => fnv1a32(dump.get(o.outputs[0]!)!.bytes));
    expect(run.outputHashes).toEqual(expected);
    expect(Array.from(run.output)).toEqual(Array.from(readFileSync(path.join(dir, real.output))));
    expect(run.instructions.every((n) => n > 0)).toBe(true);
  }, 300_000);
});
