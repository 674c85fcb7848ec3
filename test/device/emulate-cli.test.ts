/**
 * `tinyser emulate` through the CLI entry: it prints the board's serial path (QEMU's own pty or a
 * socat pty), the board answers HELLO there through serialport, and SIGINT stops it with exit 0.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeInfo, MsgType } from '../../device-bridge/protocol/messages.js';
import { Session } from '../../device-bridge/protocol/session.js';
import { openSerial } from '../../device-bridge/transport/serial.js';
import { repoRoot } from '../e2e/ser-fixture.js';
import { skipReason } from './board-fixture.js';

// The bundled CLI when `npm test` has built it (starts in a second even on a loaded machine), else tsx.
const bundle = join(repoRoot, 'dist/tinyser.mjs');
const cliCommand = existsSync(bundle) ? [process.execPath, bundle] : [join(repoRoot, 'node_modules/.bin/tsx'), join(repoRoot, 'cli/main.ts')];

function jsonOutput(p: ChildProcessWithoutNullStreams): Promise<{ serialPath: string; pid: number }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const t = setTimeout(() => reject(new Error(`no JSON from tinyser emulate within 60 s: ${err}`)), 60_000);
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      let parsed: { serialPath: string; pid: number } | undefined;
      try {
        parsed = JSON.parse(out) as { serialPath: string; pid: number }; // complete once it parses
      } catch {
        return;
      }
      clearTimeout(t);
      resolve(parsed);
    });
    p.on('close', (code) => reject(new Error(`tinyser emulate exited ${code} early: ${err}`)));
  });
}

describe.skipIf(skipReason !== '')('tinyser emulate (CLI)', () => {
  for (const serial of ['pty', 'socat'] as const) {
    it(`--serial ${serial}: prints a serial path where the board answers HELLO; SIGINT exits 0`, async () => {
      const p = spawn(cliCommand[0]!, [...cliCommand.slice(1), 'emulate', '--serial', serial, '--json'], { cwd: repoRoot });
      const exit = new Promise<number | null>((r) => p.on('close', (c) => r(c)));
      try {
        const { serialPath } = await jsonOutput(p);
        expect(serialPath).toMatch(serial === 'pty' ? /^\/dev\/pts\/\d+$/ : /tty$/);
        const session = new Session(await openSerial(serialPath), { ackTimeoutMs: 1500 });
        try {
          const info = decodeInfo((await session.request(MsgType.HELLO)).body);
          expect(info.board).toBe('mps2-an386');
        } finally {
          await session.close();
        }
      } finally {
        p.kill('SIGINT');
      }
      expect(await exit).toBe(0);
    }, 120_000);
  }
});
