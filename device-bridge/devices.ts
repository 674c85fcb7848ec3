/**
 * `tinyser devices` as a library: SerialPort.list() plus the diagnostics people actually need
 * (udevadm missing, no permission -> dialout advice, busy port). Emulator ptys never appear in
 * the list: pass them by path.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { describeOpenError } from './transport/serial.js';

export interface PortEntry {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  /** ok | permission | busy | unknown (busy is only known with probe) */
  status: 'ok' | 'permission' | 'busy' | 'unknown';
  advice?: string;
}

export interface DevicesReport {
  ports: PortEntry[];
  diagnostics: string[];
}

function groupOf(path: string): string {
  const r = spawnSync('stat', ['-c', '%G', path], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'dialout';
}

export async function listDevices(opts: { probe?: boolean } = {}): Promise<DevicesReport> {
  const diagnostics: string[] = [];
  if (process.platform === 'linux' && spawnSync('udevadm', ['--version']).error)
    diagnostics.push("udevadm not found: serialport lists ports through it on Linux (install 'udev', or pass the port path directly)");
  let listed: Awaited<ReturnType<typeof SerialPort.list>> = [];
  try {
    listed = await SerialPort.list();
  } catch (e) {
    diagnostics.push(`listing ports failed: ${(e as Error).message}`);
  }
  const ports: PortEntry[] = [];
  for (const p of listed) {
    const entry: PortEntry = { path: p.path, manufacturer: p.manufacturer, serialNumber: p.serialNumber, vendorId: p.vendorId, productId: p.productId, status: 'unknown' };
    try {
      statSync(p.path);
      accessSync(p.path, constants.R_OK | constants.W_OK);
      entry.status = 'ok';
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EACCES') {
        entry.status = 'permission';
        entry.advice = `no read/write access: add your user to group '${groupOf(p.path)}' (sudo usermod -aG ${groupOf(p.path)} $USER, then log in again)`;
      }
    }
    if (opts.probe && entry.status === 'ok') {
      const port = new SerialPort({ path: p.path, baudRate: 115200, autoOpen: false });
      const err = await new Promise<Error | null>((resolve) => port.open((e) => resolve(e ?? null)));
      if (err) {
        const d = describeOpenError(p.path, err as NodeJS.ErrnoException);
        entry.status = /busy/.test(d.message) ? 'busy' : /permission/.test(d.message) ? 'permission' : 'unknown';
        entry.advice = d.message;
      } else await new Promise<void>((resolve) => port.close(() => resolve()));
    }
    ports.push(entry);
  }
  if (ports.length === 0) diagnostics.push("no serial ports found; for the emulator run 'tinyser emulate' and pass the /dev/pts/N path it prints");
  return { ports, diagnostics };
}
