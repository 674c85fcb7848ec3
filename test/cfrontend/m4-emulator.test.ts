/**
 * The C twin on the emulated Cortex-M4 (arm-none-eabi-gcc -O2, qemu-system-arm -M mps2-an386 -icount shift=0)
 * gives the TS streaming frontend's bytes: frame count, saturation count and an FNV-1a hash of every int8
 * row, for the default and an MFCC config. The icount SysTick ticks (40 instructions each) are printed, not
 * asserted (speed is the bench's job). Skips when the ARM toolchain or QEMU is absent.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFixedFrontend, parseFrontendConfig, type FrontendConfig } from '../../runtime-sim/frontend/index.js';
import { writeFrontendTablesC } from '../../runtime-sim/frontend-c-export/index.js';
import { frontendCDir, frontendCSources, hasCompiler, repoRoot } from './c-harness.js';

const boardDir = join(repoRoot, 'firmware-assets/boards/mps2-an386');
const harnessDir = join(repoRoot, 'test/cfrontend/harness');
const available = hasCompiler('arm-none-eabi-gcc') && hasCompiler('qemu-system-arm');

/** The integer signal of m4_emulator_main.c, sample for sample. */
function m4Signal(): Int16Array {
  const out = new Int16Array(16000);
  let seed = 12345;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < out.length; i++) {
    let e = i % 107 === 0 ? 20000 : 0;
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    e += (seed >>> 22) - 512;
    const y = e + Math.floor((y1 * 58000) / 32768) - Math.floor((y2 * 30000) / 32768);
    y2 = y1;
    y1 = y;
    out[i] = Math.max(-32768, Math.min(32767, y));
  }
  return out;
}

function tsExpected(config: FrontendConfig): { frames: number; sat: number; fnv: number } {
  const fe = createFixedFrontend(config);
  const s = m4Signal();
  let fnv = 2166136261;
  let frames = 0;
  for (let i = 0; i < s.length; i += 160)
    for (const row of fe.pushSamples(s.subarray(i, i + 160))) {
      frames++;
      for (const v of row) fnv = Math.imul(fnv ^ (v & 0xff), 16777619) >>> 0;
    }
  return { frames, sat: fe.saturated, fnv };
}

/** Runs the ELF until it prints its result line (QEMU never exits by itself), then stops it. */
function runQemu(elf: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const q = spawn('qemu-system-arm', ['-M', 'mps2-an386', '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-icount', 'shift=0', '-kernel', elf], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => {
      q.kill('SIGKILL');
      reject(new Error(`QEMU printed no result within 45 s; output so far: ${JSON.stringify(out)}`));
    }, 45_000);
    q.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = /frames \d+ ticks \d+ sat \d+ fnv \d+\n/.exec(out);
      if (line) {
        clearTimeout(timer);
        q.kill('SIGKILL');
        resolve(line[0]);
      }
    });
    q.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

const configs: Record<string, FrontendConfig> = {
  default: parseFrontendConfig({}),
  mfcc: parseFrontendConfig({ kind: 'mfcc', preEmphasis: 0.97, quantization: { scale: 0.3, zeroPoint: 0 } }),
};

describe.skipIf(!available)(`C frontend on the emulated Cortex-M4 == TS${available ? '' : ' (skipped: arm-none-eabi-gcc or qemu-system-arm missing)'}`, () => {
  for (const [name, config] of Object.entries(configs)) {
    it(`config '${name}': frames, saturations and int8 hash equal`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tsr-cfrontend-m4-'));
      try {
        const { sourcePath } = writeFrontendTablesC(config, dir);
        const elf = join(dir, 'frontend_m4.elf');
        execFileSync(
          'arm-none-eabi-gcc',
          [
            '-std=c99', '-Wall', '-Wextra', '-Werror', '-O2', '-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=soft', '-ffreestanding',
            '-ffunction-sections', '-fdata-sections', '-I', dir, '-I', frontendCDir, '-I', boardDir,
            join(harnessDir, 'm4_emulator_main.c'), join(boardDir, 'startup.c'), join(boardDir, 'board.c'), ...frontendCSources(), sourcePath,
            '-T', join(harnessDir, 'm4_flat.ld'), '-L', boardDir, '-nostartfiles', '--specs=nano.specs', '-Wl,--gc-sections', '-o', elf,
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        const line = await runQemu(elf);
        const m = /frames (\d+) ticks (\d+) sat (\d+) fnv (\d+)/.exec(line)!;
        const got = { frames: Number(m[1]), sat: Number(m[3]), fnv: Number(m[4]) };
        const ticks = Number(m[2]);
        console.log(`[cfrontend m4] ${name}: ${got.frames} frames, ${ticks} SysTick ticks in push = ${Math.round((ticks * 40) / got.frames)} instructions/frame (icount)`);
        expect(got).toEqual(tsExpected(config));
        expect(got.frames).toBe(98);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 90_000);
  }
});
