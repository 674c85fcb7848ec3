/** `tinyser devices`: list serial ports with permission/busy diagnostics. */
import type { Command } from 'commander';
import Table from 'cli-table3';
import { listDevices } from '../../device-bridge/devices.js';
import { action, printResult, type GlobalOptions } from '../output.js';

export function register(program: Command): void {
  program
    .command('devices')
    .description('list serial ports (USB boards) with diagnostics; emulator ptys are passed by path')
    .option('--probe', 'try to open each port to detect busy ones (may reset boards that reset on open)')
    .action(
      action(async (opts: { probe?: boolean }, cmd: Command) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        const r = await listDevices({ probe: opts.probe });
        printResult(g, r, () => {
          const t = new Table({ head: ['port', 'status', 'manufacturer', 'vid:pid', 'advice'] });
          for (const p of r.ports) t.push([p.path, p.status, p.manufacturer ?? '', p.vendorId ? `${p.vendorId}:${p.productId ?? ''}` : '', p.advice ?? '']);
          return [r.ports.length ? t.toString() : '', ...r.diagnostics.map((d) => `note: ${d}`)].filter(Boolean).join('\n');
        });
      }),
    );
}
