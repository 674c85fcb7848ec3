/**
 * Transport over a serial port (USB CDC, UART adapter, or the emulator's pty) via `serialport`.
 * Writes go out in chunks of at most SERIAL_WRITE_CHUNK bytes, each awaited: bindings-cpp 13 on
 * Linux can hang forever on one huge write (its poller drops a pending "writable" watch).
 */
import { SerialPort } from 'serialport';
import { DeviceError } from '../protocol/errors.js';
import type { Transport } from './transport.js';

export const SERIAL_WRITE_CHUNK = 1024;

export interface SerialOptions {
  baudRate?: number;
}

export async function openSerial(path: string, opts: SerialOptions = {}): Promise<SerialTransport> {
  const port = new SerialPort({ path, baudRate: opts.baudRate ?? 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve()))).catch((err: NodeJS.ErrnoException) => {
    throw describeOpenError(path, err);
  });
  return new SerialTransport(port, path);
}

/** Turns open() failures into advice: permissions -> dialout group, busy -> who holds it. */
export function describeOpenError(path: string, err: NodeJS.ErrnoException): DeviceError {
  const msg = err.message ?? String(err);
  if (/EACCES|Permission denied/i.test(msg))
    return new DeviceError(`permission denied opening ${path}: add your user to the port's group (usually 'dialout': sudo usermod -aG dialout $USER, then log in again)`, { path, cause: msg });
  if (/EBUSY|Resource busy|Cannot lock port/i.test(msg))
    return new DeviceError(`${path} is busy: another program (a serial monitor, ModemManager, another tinyser) holds it; close it or check with 'fuser ${path}'`, { path, cause: msg });
  if (/ENOENT|No such file/i.test(msg)) return new DeviceError(`no serial port at ${path}: is the board plugged in (or the emulator running)? 'tinyser devices' lists ports`, { path, cause: msg });
  return new DeviceError(`cannot open ${path}: ${msg}`, { path, cause: msg });
}

export class SerialTransport implements Transport {
  private sink: ((chunk: Uint8Array) => void) | undefined;
  private pending: Uint8Array[] = [];
  private closeCbs: ((err?: Error) => void)[] = [];
  private isClosed = false;
  private writing: Promise<void> = Promise.resolve();
  /** Rejects once the port is gone, so a write stuck on a dead tty (peer hung up) fails instead of hanging. */
  private readonly gone: Promise<never>;
  private markGone!: (err: Error) => void;

  constructor(private readonly port: SerialPort, readonly path: string) {
    this.gone = new Promise<never>((_, reject) => (this.markGone = reject));
    this.gone.catch(() => undefined);
    port.on('data', (d: Buffer) => {
      const chunk = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
      if (this.sink) this.sink(chunk);
      else this.pending.push(chunk.slice());
    });
    const closed = (err?: Error) => {
      if (this.isClosed) return;
      this.isClosed = true;
      this.markGone(new DeviceError(`serial port ${path} closed${err ? `: ${err.message}` : ''}`, { path }));
      for (const cb of this.closeCbs) cb(err);
    };
    port.on('close', () => closed());
    port.on('error', (err: Error) => closed(err));
    this.markClosed = closed;
  }
  private readonly markClosed: (err?: Error) => void;

  onData(cb: (chunk: Uint8Array) => void): void {
    this.sink = cb;
    for (const c of this.pending) cb(c);
    this.pending = [];
  }

  onClose(cb: (err?: Error) => void): void {
    this.closeCbs.push(cb);
  }

  write(data: Uint8Array): Promise<void> {
    // Serialize writers so chunks of two frames never interleave.
    const run = async () => {
      for (let o = 0; o < data.length; o += SERIAL_WRITE_CHUNK) {
        const chunk = Buffer.from(data.buffer, data.byteOffset + o, Math.min(SERIAL_WRITE_CHUNK, data.length - o));
        await Promise.race([this.gone, new Promise<void>((resolve, reject) => this.port.write(chunk, (err) => (err ? reject(err) : resolve())))]);
        await Promise.race([this.gone, new Promise<void>((resolve, reject) => this.port.drain((err) => (err ? reject(err) : resolve())))]);
      }
    };
    const p = this.writing.then(run);
    this.writing = p.catch(() => undefined);
    return p;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Closes the port. Bounded: closing a tty whose peer stopped reading can block in the kernel
   * while it waits for output to drain, and that must not hang the caller.
   */
  async close(timeoutMs = 2000): Promise<void> {
    if (this.isClosed || !this.port.isOpen) return;
    this.markClosed(); // pending writes and readers learn now, not when the kernel lets go
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      t.unref();
      this.port.close(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
