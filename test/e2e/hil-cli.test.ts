/**
 * `tinyser hil` through the CLI entry (tsx) against the emulated board running the SER firmware:
 * human/JSON output, JUnit XML, and exit codes (0 all good, 1 budget violated, 2 usage).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../device-bridge/emulator/qemu.js';
import { buildSerFirmware, type SerFirmwareBuild } from '../../device-bridge/firmware/ser-build.js';
import { encodeWavInt16 } from '../../runtime-sim/audio/index.js';
import { compileDsCnnFixture, repoRoot, speechLike } from './ser-fixture.js';

const have = (cmd: string) => !spawnSync(cmd, ['--version']).error;
const missing = ['qemu-system-arm', 'arm-none-eabi-gcc'].filter((c) => !have(c));
const skipReason = missing.length ? `needs ${missing.join(' and ')}` : '';
const tsx = join(repoRoot, 'node_modules/.bin/tsx');

function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  // Asynchronous: the emulator lives in this process and must keep serving its pty meanwhile.
  return new Promise((resolve) => {
    const p = spawn(tsx, [join(repoRoot, 'cli/main.ts'), ...args], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe.skipIf(skipReason !== '')(`tinyser hil on the emulated board${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let dir: string;
  let fw: SerFirmwareBuild;
  let emu: Emulator | undefined;
  let wav: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tinyser-hil-cli-'));
    const fx = await compileDsCnnFixture();
    fw = buildSerFirmware({ tflite: fx.tflite, frontend: fx.frontend, buildDir: join(dir, 'fw') });
    wav = join(dir, 'clip.wav');
    writeFileSync(wav, encodeWavInt16(speechLike(fw.geometry.windowSamples + 2 * fw.geometry.hopSamples, 21), 16000));
    emu = await startEmulator({ bootloader: fw.bootloader, app: fw.app });
    await emu.resume(); // the CLI starts with HELLO, so the lost boot announce does not matter
  }, 120_000);

  afterAll(async () => {
    await emu?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes with a generous budget and writes JSON and JUnit; exits 1 on a budget it cannot meet', async () => {
    const ok = join(dir, 'ok.json');
    writeFileSync(ok, JSON.stringify({ statistic: 'max', totalMs: 10000 }));
    const junit = join(dir, 'hil.xml');
    const r1 = await cli(['hil', '--json', '--port', emu!.serialPath, '--model', fw.buildDir, wav, '--budget', ok, '--junit', junit]);
    expect(r1.stderr).toBe('');
    expect(r1.status).toBe(0);
    const j = JSON.parse(r1.stdout) as { windows: number; matched: number; bitExact: boolean; pass: boolean; latency: { model: { ticks: { p50: number } } } };
    expect(j).toMatchObject({ windows: 3, matched: 3, bitExact: true, pass: true });
    expect(j.latency.model.ticks.p50).toBeGreaterThan(0);
    expect(readFileSync(junit, 'utf8')).toContain('tests="2" failures="0"');

    const tight = join(dir, 'tight.json');
    writeFileSync(tight, JSON.stringify({ statistic: 'p50', modelMs: 0.001 }));
    const r2 = await cli(['hil', '--port', emu!.serialPath, '--model', fw.buildDir, wav, '--budget', tight]);
    expect(r2.status).toBe(1);
    expect(r2.stdout).toContain('bit-exact with runtime-sim: 3/3 windows');
    expect(r2.stdout).toMatch(/budget model p50: .* VIOLATED/);
  }, 180_000);

  it('exits 2 on a malformed budget file', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ modelMS: 1 }));
    const r = await cli(['hil', '--port', emu!.serialPath, '--model', fw.buildDir, wav, '--budget', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('invalid budget');
  }, 60_000);
});
