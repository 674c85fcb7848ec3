/**
 * Fault-injection relay for tests: sits between a device port and a host pty made by socat,
 * corrupting or dropping bytes in both directions with a seeded PRNG. Delimiters (0x00) are never
 * touched and no byte is turned into 0x00, so each damaged frame stays exactly one bad frame at
 * the receiver: the relay's per-direction `framesDamaged` is what the receiver must count as bad.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceError } from '../protocol/errors.js';
import type { Transport } from './transport.js';

export interface FaultOptions {
  /** Probability per non-delimiter byte of damage (flip or drop). */
  byteErrorRate: number;
  /** Of the damaged bytes, the share dropped instead of flipped. */
  dropShare?: number;
  seed?: number;
}

export interface DirectionStats {
  bytes: number;
  flipped: number;
  dropped: number;
  framesDamaged: number;
  frames: number;
}

export interface FaultRelay {
  /** Path of the host-side pty (open it with openSerial). */
  readonly path: string;
  readonly toDevice: DirectionStats;
  readonly toHost: DirectionStats;
  setRate(byteErrorRate: number): void;
  close(): Promise<void>;
}

/** xorshift32: small, seedable, reproducible fault patterns. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

export async function startFaultRelay(device: Transport, opts: FaultOptions): Promise<FaultRelay> {
  const dir = mkdtempSync(join(tmpdir(), 'tinyser-relay-'));
  const sockPath = join(dir, 'relay.sock');
  const ttyPath = join(dir, 'tty');
  const rand = prng(opts.seed ?? 1);
  let rate = opts.byteErrorRate;
  const dropShare = opts.dropShare ?? 0.2;
  const mk = (): DirectionStats & { touched: boolean } => ({ bytes: 0, flipped: 0, dropped: 0, framesDamaged: 0, frames: 0, touched: false });
  const toDevice = mk();
  const toHost = mk();

  const damage = (chunk: Uint8Array, st: ReturnType<typeof mk>): Uint8Array => {
    const out: number[] = [];
    for (const b of chunk) {
      st.bytes++;
      if (b === 0) {
        st.frames++;
        if (st.touched) st.framesDamaged++;
        st.touched = false;
        out.push(0);
        continue;
      }
      if (rate > 0 && rand() < rate) {
        st.touched = true;
        if (rand() < dropShare) {
          st.dropped++;
          continue;
        }
        let v = b;
        while (v === b || v === 0) v = Math.floor(rand() * 256);
        st.flipped++;
        out.push(v);
        continue;
      }
      out.push(b);
    }
    return Uint8Array.from(out);
  };

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(sockPath, resolve));
  const connected = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const socat = spawn('socat', [`pty,raw,echo=0,link=${ttyPath}`, `UNIX-CONNECT:${sockPath}`], { stdio: 'ignore' });
  const socatFailed = new Promise<never>((_, reject) => socat.once('error', (e) => reject(new DeviceError(`cannot start socat for the fault relay: ${e.message}`))));
  const sock = await Promise.race([connected, socatFailed]);
  for (let i = 0; i < 200 && !existsSync(ttyPath); i++) await new Promise((r) => setTimeout(r, 10));

  let sending = Promise.resolve();
  sock.on('data', (d: Buffer) => {
    const out = damage(new Uint8Array(d), toDevice);
    sending = sending.then(() => device.write(out)).catch(() => undefined);
  });
  device.onData((chunk) => {
    sock.write(damage(chunk, toHost));
  });

  const strip = (s: ReturnType<typeof mk>): DirectionStats => s;
  return {
    path: ttyPath,
    toDevice: strip(toDevice),
    toHost: strip(toHost),
    setRate(r: number) {
      rate = r;
    },
    async close() {
      sock.destroy();
      socat.kill('SIGTERM');
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
