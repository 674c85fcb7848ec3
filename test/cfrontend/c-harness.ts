/**
 * Builds and runs the host C harness (test/cfrontend/harness/cfrontend_harness.c) against the C twin in
 * firmware-assets/src/frontend/ with tables emitted for a given config, and parses its output.
 * Shared by the cfrontend tests and bench/cfrontend.bench.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FrontendConfig } from '../../runtime-sim/frontend/index.js';
import { writeFrontendTablesC } from '../../runtime-sim/frontend-c-export/index.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const frontendCDir = join(repoRoot, 'firmware-assets/src/frontend');
export const harnessSource = join(repoRoot, 'test/cfrontend/harness/cfrontend_harness.c');
export const C_FLAGS = ['-std=c99', '-pedantic', '-Wall', '-Wextra', '-Werror'];

export function hasCompiler(cc: string): boolean {
  return spawnSync(cc, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The C twin's sources, without the checked-in generated tables (each build brings its own). */
export function frontendCSources(): string[] {
  return readdirSync(frontendCDir)
    .filter((f) => f.endsWith('.c'))
    .sort()
    .map((f) => join(frontendCDir, f));
}

export interface CHarness {
  dir: string;
  exe: string;
  cleanup(): void;
}

/** Emits the tables for `config` into a temp dir and compiles the harness with host gcc (-O2). */
export function buildHarness(config: FrontendConfig, name: string): CHarness {
  const dir = mkdtempSync(join(tmpdir(), `tsr-cfrontend-${name}-`));
  const { sourcePath } = writeFrontendTablesC(config, dir);
  const exe = join(dir, 'cfrontend_harness');
  // -I dir first: the emitted tsr_frontend_tables.h, not the checked-in default in generated/.
  execFileSync('gcc', [...C_FLAGS, '-O2', '-I', dir, '-I', frontendCDir, '-o', exe, harnessSource, ...frontendCSources(), sourcePath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { dir, exe, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CHarnessResult {
  frames: number;
  logMelQ20: Int32Array;
  mfccQ20: Int32Array;
  int8: Int8Array;
  saturated: number;
  streamFrames: number;
  streamInt8: Int8Array;
  streamSaturated: number;
  energyDbQ20: Int32Array;
  zeroCrossings: Uint32Array;
  /** tsr_yin_f0_q on each frame's centred YIN window: F0 in Q4 Hz and voicing. */
  f0Q4: Int32Array;
  voiced: Uint8Array;
  /** tsr_frontend_frame() on the first window (empty when no frame). */
  frame0: Int8Array;
}

let runCounter = 0;

/** Runs one signal; `chunks` are the streaming chunk sizes (cycled), `maxFramesPerPush` caps each push. */
export function runHarness(
  h: CHarness,
  samples: Int16Array,
  dims: { bands: number; mfccCount: number; dims: number },
  chunks: number[],
  maxFramesPerPush = 1_000_000,
): CHarnessResult {
  const id = runCounter++;
  const pcmPath = join(h.dir, `in-${id}.pcm`);
  const chunkPath = join(h.dir, `chunks-${id}.u32`);
  const outPath = join(h.dir, `out-${id}.bin`);
  writeFileSync(pcmPath, new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  writeFileSync(chunkPath, new Uint8Array(Uint32Array.from(chunks).buffer));
  const r = spawnSync(h.exe, [pcmPath, chunkPath, String(maxFramesPerPush), outPath], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`C harness exited ${r.status}: ${r.stderr}`);
  const buf = readFileSync(outPath);
  rmSync(pcmPath);
  rmSync(chunkPath);
  rmSync(outPath);
  let o = 0;
  const u32 = () => {
    const v = buf.readUInt32LE(o);
    o += 4;
    return v;
  };
  const i32s = (n: number) => {
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++, o += 4) a[i] = buf.readInt32LE(o);
    return a;
  };
  const i8s = (n: number) => {
    const a = new Int8Array(n);
    for (let i = 0; i < n; i++, o++) a[i] = buf.readInt8(o);
    return a;
  };
  const frames = u32();
  const logMelQ20 = i32s(frames * dims.bands);
  const mfccQ20 = i32s(frames * dims.mfccCount);
  const int8 = i8s(frames * dims.dims);
  const saturated = u32();
  const streamFrames = u32();
  const streamInt8 = i8s(streamFrames * dims.dims);
  const streamSaturated = u32();
  const energyDbQ20 = i32s(frames);
  const zeroCrossings = Uint32Array.from(i32s(frames), (v) => v >>> 0);
  const f0Q4 = i32s(frames);
  const voiced = Uint8Array.from(i8s(frames), (v) => v & 0xff);
  const frame0 = frames > 0 ? i8s(dims.dims) : new Int8Array(0);
  if (o !== buf.length) throw new Error(`C harness output has ${buf.length} bytes, parsed ${o}`);
  return { frames, logMelQ20, mfccQ20, int8, saturated, streamFrames, streamInt8, streamSaturated, energyDbQ20, zeroCrossings, f0Q4, voiced, frame0 };
}

/** CPU seconds and frames of the C streaming path over `samples`, repeated. */
export function benchHarness(h: CHarness, samples: Int16Array, repeat: number): { cpuSeconds: number; frames: number } {
  const pcmPath = join(h.dir, 'bench.pcm');
  writeFileSync(pcmPath, new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  const out = execFileSync(h.exe, ['bench', pcmPath, String(repeat)], { encoding: 'utf8' }).trim().split(/\s+/);
  return { cpuSeconds: Number(out[0]), frames: Number(out[1]) };
}

export const sharedDir = resolve(repoRoot, '../shared');
export const ravdessDir = join(sharedDir, 'datasets/ravdess-4class-16k');
export const ravdessAvailable = existsSync(ravdessDir);

/** tsr_frontend_reset_at(offset) then the samples from `offset` on: the first frame index and the int8 rows. */
export function runHarnessResetAt(h: CHarness, samples: Int16Array, offset: number, dims: number): { firstFrame: number; frames: number; int8: Int8Array } {
  const pcmPath = join(h.dir, `reset-${runCounter}.pcm`);
  const outPath = join(h.dir, `reset-${runCounter++}.bin`);
  writeFileSync(pcmPath, new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  const r = spawnSync(h.exe, ['reset', pcmPath, String(offset), outPath], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`C harness (reset) exited ${r.status}: ${r.stderr}`);
  const buf = readFileSync(outPath);
  rmSync(pcmPath);
  rmSync(outPath);
  const frames = buf.readUInt32LE(4);
  if (buf.length !== 8 + frames * dims) throw new Error(`C harness (reset) output has ${buf.length} bytes for ${frames} frames`);
  return { firstFrame: buf.readUInt32LE(0), frames, int8: new Int8Array(buf.buffer, buf.byteOffset + 8, frames * dims).slice() };
}
