/** Minimal QMP client (QEMU Machine Protocol, JSON lines over a unix socket). */
import { createConnection, type Socket } from 'node:net';
import { DeviceError } from '../protocol/errors.js';

export class QmpClient {
  private buf = '';
  private queue: { resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  private constructor(private readonly sock: Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      this.buf += d;
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, nl).trim();
        this.buf = this.buf.slice(nl + 1);
        if (!line) continue;
        const msg = JSON.parse(line) as { return?: unknown; error?: { desc: string }; event?: string; QMP?: unknown };
        if (msg.event || msg.QMP) continue;
        const w = this.queue.shift();
        if (!w) continue;
        if (msg.error) w.reject(new DeviceError(`QMP error: ${msg.error.desc}`));
        else w.resolve(msg.return);
      }
    });
    sock.on('close', () => {
      for (const w of this.queue.splice(0)) w.reject(new DeviceError('QMP socket closed'));
    });
  }

  static async connect(path: string, timeoutMs = 10_000): Promise<QmpClient> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const sock = await new Promise<Socket>((resolve, reject) => {
          const s = createConnection(path, () => resolve(s));
          s.once('error', reject);
        });
        const c = new QmpClient(sock);
        await c.execute('qmp_capabilities');
        return c;
      } catch (e) {
        if (Date.now() > deadline) throw new DeviceError(`cannot connect to QMP socket ${path}: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ resolve, reject });
      this.sock.write(JSON.stringify(args ? { execute: command, arguments: args } : { execute: command }) + '\n');
    });
  }

  close(): void {
    this.sock.destroy();
  }
}
