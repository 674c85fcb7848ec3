/**
 * Launches the emulated board: qemu-system-arm -M mps2-an386, paused (-S) with a QMP socket, the
 * serial port on a fresh pty. The caller opens the pty first and then calls resume(): QEMU polls
 * for a pty reader about once a second and drops what the firmware prints before that.
 *
 * With `serial: 'socat'` the UART is a QEMU socket chardev and socat makes the pty (a stable path
 * in the emulator's temp dir): the host still opens a real pseudo-terminal with serialport, but
 * QEMU's once-a-second pty polling is gone, so the first request after boot answers in
 * milliseconds instead of ~1 s. Power-cycle tests that boot the board hundreds of times use it.
 *
 * Persistence across "power cycles": with `flashFile`, the board's 16 MiB PSRAM (where the
 * bootloader keeps its A/B slots) is a shared file mapping, so every store the firmware makes is
 * in the file at once, and killing QEMU at any instruction leaves exactly what a power cut would.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceError } from '../protocol/errors.js';
import { QmpClient } from './qmp.js';
import { spawnTiedToParent } from './spawn-tied.js';

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
  /** 'pty' (default): QEMU's own pty. 'socat': QEMU socket chardev + a socat pty (no first-read delay). */
  serial?: 'pty' | 'socat';
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

export function qemuArgs(opts: EmulatorOptions, qmpPath: string, uartSocket?: string): string[] {
  const serial = uartSocket ? ['-chardev', `socket,id=uart0,path=${uartSocket},server=on,wait=off`, '-serial', 'chardev:uart0'] : ['-serial', 'pty'];
  const args = ['-M', 'mps2-an386', '-display', 'none', '-monitor', 'none', ...serial, '-S', '-nodefaults', '-qmp', `unix:${qmpPath},server=on,wait=off`, '-kernel', opts.bootloader];
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
  const uartSocket = opts.serial === 'socat' ? join(dir, 'uart.sock') : undefined;
  const child = spawnTiedToParent(bin, qemuArgs(opts, qmpPath, uartSocket), { stdio: ['ignore', 'pipe', 'pipe'] });
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
  const collect = (d: Buffer) => {
    output += d.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const timeoutMs = opts.startTimeoutMs ?? 15000;
  // Rejects if QEMU cannot be spawned or exits before it is ready; never resolves otherwise.
  const failedEarly = new Promise<never>((_, reject) => {
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(new DeviceError(e.code === 'ENOENT' ? `${bin} not found: install qemu-system-arm (apt-get install --no-install-recommends qemu-system-arm)` : `cannot start ${bin}: ${e.message}`));
    });
    child.on('exit', (code) => reject(new DeviceError(`qemu exited (code ${code}) during start-up: ${output.trim()}`)));
  });
  failedEarly.catch(() => undefined);
  const withStartTimeout = <T>(p: Promise<T>, what: string): Promise<T> => {
    let t: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      t = setTimeout(() => reject(new DeviceError(`qemu did not ${what} within ${timeoutMs} ms: ${output.trim()}`)), timeoutMs);
    });
    return Promise.race([p, failedEarly, timeout]).finally(() => clearTimeout(t));
  };
  let serialPath: string;
  if (uartSocket) {
    serialPath = join(dir, 'tty');
  } else {
    serialPath = await withStartTimeout(
      new Promise<string>((resolve) => {
        const scan = () => {
          const m = /char device redirected to (\/dev\/pts\/\d+)/.exec(output);
          if (m) resolve(m[1]!);
        };
        child.stdout!.on('data', scan);
        child.stderr!.on('data', scan);
      }),
      'report its pty',
    );
  }
  const qmp = await withStartTimeout(QmpClient.connect(qmpPath, timeoutMs), 'open its QMP socket');
  // QEMU listens on the UART socket before QMP answers, so socat can connect now.
  const relay = uartSocket ? await withStartTimeout(startSocatPty(uartSocket, serialPath, qmp), 'accept the socat pty relay').catch((e: unknown) => {
    child.kill('SIGKILL');
    qmp.close();
    throw e;
  }) : undefined;
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    qmp.close();
    await exited;
    // A power cut takes the board's USB-serial bridge with it: no draining.
    relay?.kill('SIGKILL');
    await stopRelay(relay);
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
      await stopRelay(relay);
    },
  };
}

/**
 * socat between QEMU's UART socket and a raw pty at `linkPath`. Resolves only once QEMU itself reports
 * the socket connected (QMP query-chardev): a socket chardev without a client drops what the firmware
 * prints, so resuming earlier could lose the boot announce.
 */
async function startSocatPty(uartSocket: string, linkPath: string, qmp: QmpClient): Promise<ChildProcess> {
  // Connect first, then make the pty: when the link exists, socat is QEMU's client.
  const socat = spawnTiedToParent('socat', ['-t', '0.1', `UNIX-CONNECT:${uartSocket}`, `PTY,raw,echo=0,link=${linkPath}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(socat);
  let err = '';
  socat.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  socat.on('exit', () => live.delete(socat));
  await new Promise<void>((resolve, reject) => {
    socat.on('error', (e: NodeJS.ErrnoException) =>
      reject(new DeviceError(e.code === 'ENOENT' ? 'socat not found: install socat (apt-get install --no-install-recommends socat) or use the plain pty' : `cannot start socat: ${e.message}`)),
    );
    socat.on('exit', (code) => reject(new DeviceError(`socat exited (code ${code}) before making the pty: ${err.trim()}`)));
    const poll = () => {
      if (existsSync(linkPath)) resolve();
      else if (socat.exitCode === null) setTimeout(poll, 2);
    };
    poll();
  });
  for (;;) {
    const devs = (await qmp.execute('query-chardev')) as Array<{ label: string; filename: string }>;
    const uart = devs.find((d) => d.label === 'uart0');
    if (uart && !uart.filename.startsWith('disconnected:')) break;
    if (socat.exitCode !== null || socat.signalCode !== null) throw new DeviceError(`socat exited before QEMU saw it connect: ${err.trim()}`);
    await new Promise((r) => setTimeout(r, 2));
  }
  return socat;
}

/** socat exits by itself (after -t 0.1 s of draining) when QEMU closes the socket; make sure of it. */
async function stopRelay(relay: ChildProcess | undefined): Promise<void> {
  if (!relay || relay.exitCode !== null || relay.signalCode !== null) return;
  const gone = new Promise<void>((r) => relay.once('exit', () => r()));
  const t = setTimeout(() => relay.kill('SIGKILL'), 500);
  await gone;
  clearTimeout(t);
}
