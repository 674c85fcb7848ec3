/**
 * Launches the emulated board: qemu-system-arm -M mps2-an386, paused (-S) with a QMP socket, the
 * serial port on a fresh pty. The caller opens the pty first and then calls resume(): QEMU polls
 * for a pty reader about once a second and drops what the firmware prints before that.
 *
 * Persistence across "power cycles": with `flashFile`, the board's 16 MiB PSRAM (where the
 * bootloader keeps its A/B slots) is a shared file mapping, so every store the firmware makes is
 * in the file at once, and killing QEMU at any instruction leaves exactly what a power cut would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceError } from '../protocol/errors.js';
import { QmpClient } from './qmp.js';

export const PSRAM_BYTES = 16 * 1024 * 1024;

export interface EmulatorOptions {
  /** Application ELF (linked at 0x10000), loaded with -device loader. */
  app?: string;
  /** Bootloader ELF at 0x0 (the reset vector). */
  bootloader: string;
  /** File backing the PSRAM (emulated flash slots) so it persists across restarts. */
  flashFile?: string;
  /** Deterministic instruction counting (default on): SysTick ticks repeat run to run. */
  icount?: boolean;
  qemuBinary?: string;
  startTimeoutMs?: number;
}

export interface Emulator {
  readonly serialPath: string;
  readonly pid: number;
  readonly qmp: QmpClient;
  /** Resolves with the exit code (or null when killed by a signal). */
  readonly exited: Promise<number | null>;
  resume(): Promise<void>;
  /** Board reset button (QMP system_reset): the firmware restarts, the pty stays. */
  reset(): Promise<void>;
  /** Power cut: SIGKILL, no cleanup by QEMU. */
  kill(): Promise<void>;
  /** Clean quit via QMP, SIGKILL if it does not exit in time. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
}

export function qemuArgs(opts: EmulatorOptions, qmpPath: string): string[] {
  const args = ['-M', 'mps2-an386', '-display', 'none', '-monitor', 'none', '-serial', 'pty', '-S', '-nodefaults', '-qmp', `unix:${qmpPath},server=on,wait=off`, '-kernel', opts.bootloader];
  if (opts.icount ?? true) args.push('-icount', 'shift=0');
  if (opts.app) args.push('-device', `loader,file=${opts.app}`);
  if (opts.flashFile) {
    args.push('-m', '16M', '-object', `memory-backend-file,id=psram,size=16M,mem-path=${opts.flashFile},share=on`, '-machine', 'memory-backend=psram');
  }
  return args;
}

export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  for (const f of [opts.bootloader, opts.app]) if (f && !existsSync(f)) throw new DeviceError(`firmware file ${f} not found: run 'tinyser firmware build' first`, { file: f });
  const dir = mkdtempSync(join(tmpdir(), 'tinyser-qemu-'));
  const qmpPath = join(dir, 'qmp.sock');
  const bin = opts.qemuBinary ?? 'qemu-system-arm';
  const child = spawn(bin, qemuArgs(opts, qmpPath), { stdio: ['ignore', 'pipe', 'pipe'] });
  installExitHook();
  live.add(child);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      live.delete(child);
      rmSync(dir, { recursive: true, force: true });
      resolve(code);
    });
  });
  let output = '';
  const serialPath = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new DeviceError(`qemu did not report its pty within ${opts.startTimeoutMs ?? 15000} ms: ${output.trim()}`)), opts.startTimeoutMs ?? 15000);
    const scan = (d: Buffer) => {
      output += d.toString();
      const m = /char device redirected to (\/dev\/pts\/\d+)/.exec(output);
      if (m) {
        clearTimeout(t);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', scan);
    child.stderr!.on('data', scan);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(t);
      reject(new DeviceError(e.code === 'ENOENT' ? `${bin} not found: install qemu-system-arm (apt-get install --no-install-recommends qemu-system-arm)` : `cannot start ${bin}: ${e.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(t);
      reject(new DeviceError(`qemu exited (code ${code}) before reporting its pty: ${output.trim()}`));
    });
  });
  const qmp = await QmpClient.connect(qmpPath);
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    qmp.close();
    await exited;
  };
  return {
    serialPath,
    pid: child.pid!,
    qmp,
    exited,
    resume: async () => {
      await qmp.execute('cont');
    },
    reset: async () => {
      await qmp.execute('system_reset');
    },
    kill,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await qmp.execute('quit').catch(() => undefined);
      await exited;
      clearTimeout(t);
      qmp.close();
    },
  };
}
