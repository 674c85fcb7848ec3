/**
 * `tinyser codegen`: writes model.h/model.c for a .tflite, --verify proves it bit-exact against the
 * interpreter (exit 0), and a model the C writer cannot express is an input error (exit 2).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModel, tinyFullyConnectedModel } from '../interpreter/tflite-builder.js';
import { hasCompiler } from './multi-runner.js';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'tinyser-codegen-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'cli/main.ts'), ...args], { encoding: 'utf8', cwd: repoRoot });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!hasCompiler('gcc'))('tinyser codegen', () => {
  it('writes the files and --verify reports bit-exact', () => {
    const model = path.join(dir, 'tiny_fc.tflite');
    writeFileSync(model, tinyFullyConnectedModel());
    const out = path.join(dir, 'out');
    const r = cli(['--json', 'codegen', model, '--out', out, '--verify', '3', '--copy-kernels']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { verification: { bitExact: boolean; tensorsCompared: number }; arenaBytes: number };
    expect(j.verification.bitExact).toBe(true);
    expect(j.verification.tensorsCompared).toBe(3 * 2); // one FC output + the final output, per input
    for (const f of ['model.h', 'model.c', 'conv2d.c', 'tinyser_kernels.h']) expect(existsSync(path.join(out, f)), f).toBe(true);
  });

  it('rejects an op/type combination without a C kernel with exit 2 and names the operator', () => {
    // SOFTMAX int8 -> int16: the interpreter supports it, the C kernels do not
    const model = path.join(dir, 'softmax16.tflite');
    writeFileSync(model, buildModel({
      tensors: [
        { shape: [1, 4], type: 'int8', name: 'x', scale: [0.1], zeroPoint: [0] },
        { shape: [1, 4], type: 'int16', name: 'y', scale: [1 / 32768], zeroPoint: [-32768] },
      ],
      inputs: [0], outputs: [1],
      ops: [{ builtinCode: 25, version: 3, inputs: [0], outputs: [1], optionsType: 9, options: [{ id: 0, kind: 'f32', value: 1 }] }],
    }));
    const r = cli(['codegen', model, '--out', path.join(dir, 'out2')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/operator 0 \(SOFTMAX/);
  });
});
