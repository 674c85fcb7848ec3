/** `tinyser compile` end to end through the CLI entry (tsx), including exit codes. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, fixtureInput, repoRoot, sharedDir } from './fixtures.js';
import { modelBytes } from './onnx-builder.js';

const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
const cli = (...args: string[]) => spawnSync(tsx, [path.join(repoRoot, 'cli/main.ts'), ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });

describe('tinyser compile (CLI)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tinyser-compile-'));
  const calib = path.join(dir, 'calib.f32');
  writeFileSync(calib, new Uint8Array(Float32Array.from(Array.from({ length: 20 }, (_, i) => [...fixtureInput(i)]).flat()).buffer));

  it('compiles an ONNX model with --json and writes every artifact', () => {
    const out = path.join(dir, 'build');
    const r = cli('--json', 'compile', path.join(fixtureDir, 'ds_cnn.onnx'), '--calib', calib, '--out', out, '--range', 'percentile', '--eval-count', '10');
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { totals: { params: number; macs: number; flashBytes: number; arenaBytes: number; latencyMsM4: number }; agreement: { inputs: number; top1VsFloat: number }; range: string; files: string[] };
    expect(j.range).toBe('percentile');
    expect(j.totals.params).toBeGreaterThan(1000);
    expect(j.agreement.inputs).toBe(10);
    expect(j.agreement.top1VsFloat).toBeGreaterThanOrEqual(0.9);
    for (const f of ['model.tflite', 'model_data.cc', 'model_data.h', 'model_ops.h', 'report.json', 'report.html']) expect(existsSync(path.join(out, f))).toBe(true);
    expect(readFileSync(path.join(out, 'model.tflite')).length).toBe(j.totals.flashBytes);
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('Cortex-M4');
  });

  it("the JSON report lists the TFLite agreement modes; 'tflite' (the file as written vs the TFLite arithmetic) is equal", () => {
    const out = path.join(dir, 'build-modes');
    const r = cli('--json', 'compile', path.join(fixtureDir, 'cnn_bn.onnx'), '--calib', calib, '--out', out, '--eval-count', '10', '--check');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { agreement: { runtimeVsInterpreterByMode: { mode: string; interpreter: string; equalFraction: number; maxAbsDiff: number; values: number }[] } };
    const modes = j.agreement.runtimeVsInterpreterByMode;
    expect(modes.map((m) => [m.mode, m.interpreter])).toEqual([['tflite', 'tflite'], ['double-rounding', 'tflm'], ['xnnpack', 'tflm'], ['builtin', 'tflm']]);
    for (const m of modes.slice(0, 2)) expect([m.equalFraction, m.maxAbsDiff, m.values]).toEqual([1, 0, 40]);
  });

  const model = path.join(dir, 'build-modes', 'model.tflite');
  const x = path.join(dir, 'x.bin');
  writeFileSync(x, new Uint8Array(Int8Array.from(Array.from({ length: 1960 }, (_, i) => ((i * 37) % 255) - 127)).buffer));

  it('tinyser diff: layer by layer against the real runtime, every layer equal with the TFLite arithmetic', () => {
    const d = cli('--json', 'diff', model, '--input', x, '--base', 'tflite');
    expect(d.status).toBe(0);
    const j = JSON.parse(d.stdout) as { layers: { differing: number }[]; bitExactLayers: number; right: string };
    expect(j.right).toContain('TFLite runtime');
    expect(j.layers.length).toBe(8);
    expect(j.bitExactLayers).toBe(j.layers.length);
  });

  it('tinyser diff: int8 against the float32 twin compile wrote, by tensor name', () => {
    const floatModel = path.join(dir, 'build-modes', 'model_float.tflite');
    const xf = path.join(dir, 'x.f32');
    writeFileSync(xf, new Uint8Array(Float32Array.from(fixtureInput(30)).buffer));
    const f = cli('--json', 'diff', floatModel, '--against', model, '--input', xf);
    expect(f.status).toBe(0);
    const fj = JSON.parse(f.stdout) as { layers: { name: string; snrDb: number; differing: number }[] };
    expect(fj.layers.map((l) => l.name)).toContain('scores');
    expect(fj.layers.length).toBe(8);
    for (const l of fj.layers) expect(l.snrDb, l.name).toBeGreaterThan(20); // int8 tracks float on every layer...
    expect(fj.layers.every((l) => l.differing > 0)).toBe(true); // ...but is not float
  });

  it('tinyser run --arithmetic; bad --against / --arithmetic exit 2', () => {
    const a = cli('--json', 'run', model, '--input', x, '--arithmetic', 'tflite');
    expect(a.status).toBe(0);
    expect((JSON.parse(a.stdout) as { values: number[] }).values).toHaveLength(4);
    expect(cli('diff', model, '--input', x, '--against', 'onnx').status).toBe(2);
    expect(cli('run', model, '--input', x, '--arithmetic', 'xnn').status).toBe(2);
  });

  it('exit 2 with a typed JSON error for an unsupported op, a missing model and a bad --range', () => {
    const lstm = path.join(dir, 'lstm.onnx');
    writeFileSync(lstm, modelBytes([{ name: 'rnn', opType: 'LSTM', input: ['x'], output: ['y'] }], [], [1, 1960], 'y'));
    const a = cli('--json', 'compile', lstm, '--calib', calib, '--out', path.join(dir, 'x'));
    expect(a.status).toBe(2);
    expect(JSON.parse(a.stdout).code).toBe('UNSUPPORTED_OP');
    const b = cli('compile', path.join(dir, 'nope.onnx'), '--calib', calib);
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('nope.onnx');
    const c = cli('compile', path.join(fixtureDir, 'ds_cnn.onnx'), '--calib', calib, '--range', 'kl');
    expect(c.status).toBe(2);
    expect(c.stderr).toContain('--range');
  });

  const ravdess = path.join(sharedDir, 'datasets/ravdess-4class-16k');
  it.skipIf(!existsSync(ravdess))('--calib <wav dir> runs the WAVs through runtime-sim/frontend (needs ../shared/datasets)', () => {
    // links, not copies: the research-licensed WAVs are read in place
    const wavDir = path.join(dir, 'wavs');
    mkdirSync(wavDir);
    for (const f of readdirSync(ravdess).filter((x) => x.endsWith('.wav')).sort().slice(0, 3)) symlinkSync(path.join(ravdess, f), path.join(wavDir, f));
    const r = cli('--json', 'compile', path.join(fixtureDir, 'ds_cnn.onnx'), '--calib', wavDir, '--out', path.join(dir, 'wavbuild'), '--eval-count', '3');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { agreement: { inputs: number }; input: { scale: number } };
    // every clip gives at least one 49-frame window of 40 frontend features
    expect(j.agreement.inputs).toBe(3);
    expect(j.input.scale).toBeGreaterThan(0);
  });
});
