/**
 * `tinyser codegen` (cli/commands/codegen.ts), registered on a commander program in-process like
 * cli/main.ts does: writes model.h/model.c for a .tflite, --verify proves it bit-exact against the
 * interpreter (exit 0), and a model the C writer cannot express is an input error (exit 2).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { register } from '../../cli/commands/codegen.js';
import { buildModel, tinyFullyConnectedModel } from '../interpreter/tflite-builder.js';
import { hasCompiler } from './multi-runner.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tinyser-codegen-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const program = new Command().option('--json').exitOverride();
  register(program);
  const out: string[] = [], err: string[] = [];
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out.push(String(s)); return true; });
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { err.push(String(s)); return true; });
  const before = process.exitCode;
  try {
    await program.parseAsync(['node', 'tinyser', ...args]);
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
  const status = Number(process.exitCode ?? 0);
  process.exitCode = before;
  return { status, stdout: out.join(''), stderr: err.join('') };
}

describe.skipIf(!hasCompiler('gcc'))('tinyser codegen', () => {
  it('writes the files and --verify reports bit-exact', async () => {
    const model = path.join(dir, 'tiny_fc.tflite');
    writeFileSync(model, tinyFullyConnectedModel());
    const out = path.join(dir, 'out');
    const r = await cli(['--json', 'codegen', model, '--out', out, '--verify', '3', '--copy-kernels']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { verification: { bitExact: boolean; tensorsCompared: number }; arenaBytes: number };
    expect(j.verification.bitExact).toBe(true);
    expect(j.verification.tensorsCompared).toBe(3 * 2); // one FC output + the final output, per input
    for (const f of ['model.h', 'model.c', 'conv2d.c', 'tinyser_kernels.h']) expect(existsSync(path.join(out, f)), f).toBe(true);
  });

  it('rejects an op/type combination without a C kernel with exit 2 and names the operator', async () => {
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
    const r = await cli(['codegen', model, '--out', path.join(dir, 'out2')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/operator 0 \(SOFTMAX/);
  });
});
