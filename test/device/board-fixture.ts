/** Shared fixture for the emulator tests: build once per file, boot QEMU paused, open the pty, continue. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../device-bridge/emulator/qemu.js';
import { buildFirmware, type FirmwareBuild } from '../../device-bridge/firmware/build.js';
import { Flag, MsgType } from '../../device-bridge/protocol/messages.js';
import type { Frame } from '../../device-bridge/protocol/frame.js';
import { Session } from '../../device-bridge/protocol/session.js';
import { openSerial, type SerialTransport } from '../../device-bridge/transport/serial.js';

const have = (cmd: string) => !spawnSync(cmd, ['--version']).error;
export const toolsMissing = ['qemu-system-arm', 'arm-none-eabi-gcc', 'socat'].filter((c) => !have(c));
export const skipReason = toolsMissing.length ? `device tests need ${toolsMissing.join(', ')} (CI installs them via .ci/run)` : '';

export function buildForTest(): FirmwareBuild {
  return buildFirmware({ buildDir: mkdtempSync(join(tmpdir(), 'tinyser-fw-')) });
}

export interface Board {
  emu: Emulator;
  port: SerialTransport;
  session: Session;
  announce: Frame;
}

/**
 * Starts the board and returns once its boot announce (INFO) arrived on the opened port. The UART goes through a socat pty by default (no ~1 s first-read delay from QEMU's pty polling, which
 * adds up over the bootloader's hundreds of power cycles); the e2e tests cover QEMU's own pty.
 */
export async function startBoard(fw: FirmwareBuild, opts: { flashFile?: string; ackTimeoutMs?: number; serial?: 'pty' | 'socat' } = {}): Promise<Board> {
  const emu = await startEmulator({ bootloader: fw.bootloader, app: fw.app, flashFile: opts.flashFile, serial: opts.serial ?? 'socat' });
  const port = await openSerial(emu.serialPath);
  const session = new Session(port, { ackTimeoutMs: opts.ackTimeoutMs ?? 2000 });
  const announce = await new Promise<Frame>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no boot announce within 20 s')), 20_000);
    session.onStream((f) => {
      if (f.type === MsgType.INFO && f.flags & Flag.ANNOUNCE) {
        clearTimeout(t);
        resolve(f);
      }
    });
    void emu.resume();
  });
  return { emu, port, session, announce };
}

export async function stopBoard(b: Board | undefined): Promise<void> {
  if (!b) return;
  // Emulator first: its pty then hangs up, and closing our end cannot wait on unread output.
  await b.emu.stop();
  await b.session.close().catch(() => undefined);
}

/** Deterministic speech-like test signal: bursts of harmonics and noise with silences. */
export function syntheticSpeech(samples: number, seed = 1): Int16Array {
  let s = seed >>> 0 || 1;
  const r = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000 - 0.5;
  };
  const pcm = new Int16Array(samples);
  for (let i = 0; i < samples; i++) {
    const syll = Math.floor(i / 2400);
    const on = syll % 3 !== 2;
    const env = on ? 0.3 + 0.7 * Math.sin((Math.PI * (i % 2400)) / 2400) : 0.01;
    const f0 = 0.02 + 0.01 * (syll % 4);
    const v = env * (9000 * Math.sin(i * f0 * 2 * Math.PI) + 4000 * Math.sin(i * f0 * 6 * Math.PI) + 3000 * r());
    pcm[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  return pcm;
}
