/** `tinyser flash <image> --port P`: A/B update with SHA-256 verification, boot and confirm. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.js';
import { startProgress } from '../../common/progress.js';
import { flashImage } from '../../device-bridge/flash.js';
import { Session } from '../../device-bridge/protocol/session.js';
import { openSerial } from '../../device-bridge/transport/serial.js';
import { action, printResult, type GlobalOptions } from '../output.js';

export function register(program: Command): void {
  program
    .command('flash')
    .description('write an image to the inactive slot, verify it, boot it and confirm it')
    .argument('<image>', "image file from 'tinyser firmware image'")
    .requiredOption('--port <path>', 'serial port (or the emulator pty)')
    .option('--no-confirm', 'leave the new image pending: the next reset rolls back to the old one')
    .option('--attempts <n>', 'whole-transfer attempts on errors', '3')
    .action(
      action(async (file: string, opts: { port: string; confirm: boolean; attempts: string }, cmd: Command) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        let img: Uint8Array;
        try {
          img = new Uint8Array(readFileSync(file));
        } catch (e) {
          throw new UsageError(`cannot read image ${file}: ${(e as Error).message}`);
        }
        const session = new Session(await openSerial(opts.port));
        let bar: ReturnType<typeof startProgress> | undefined;
        let last = 0;
        try {
          const r = await flashImage(
            session,
            img,
            {
              skipConfirm: !opts.confirm,
              attempts: Number(opts.attempts),
              onProgress: (done, total) => {
                bar ??= startProgress({ label: 'flash', total, enabled: !g.json });
                bar.tick(done - last);
                last = done;
              },
            },
            file,
          );
          bar?.stop();
          const out = { slot: r.slot, imageVersion: r.imageVersion, payloadBytes: r.payloadBytes, seconds: r.seconds, attempts: r.attempts, confirmed: r.confirmed, retransmits: session.stats.retransmits, badFrames: session.stats.decoder.framesBad };
          printResult(g, out, () => `flashed ${file} (v${r.imageVersion}, ${r.payloadBytes} bytes) to slot ${r.slot} in ${r.seconds.toFixed(1)} s; device verified SHA-256 and booted it; ${r.confirmed ? 'confirmed' : 'left pending (rolls back on next reset)'}`);
        } finally {
          bar?.stop();
          await session.close();
        }
      }),
    );
}
