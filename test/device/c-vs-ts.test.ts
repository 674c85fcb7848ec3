/** The portable C (host gcc) and the TS twins produce identical bytes: COBS/CRC framing, frame
 * decoding of damaged streams, SHA-256, and the placeholder pipeline. */
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHostCheck } from '../../device-bridge/firmware/build.js';
import { ed25519PublicKeyRaw } from '../../device-bridge/image/image.js';
import { energyPipelineInt8 } from '../../device-bridge/pipeline/energy-pipeline.js';
import { cobsDecode, cobsEncode } from '../../device-bridge/protocol/cobs.js';
import { crc32Ieee } from '../../device-bridge/protocol/crc32.js';
import { encodeFrame, FrameDecoder, type Frame } from '../../device-bridge/protocol/frame.js';

let dir = '';
let bin = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tinyser-hostc-'));
  bin = buildHostCheck(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], input: Uint8Array) => execFileSync(bin, args, { input, maxBuffer: 64 << 20 });

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

/** Bodies rich in zeros and in long non-zero runs (the COBS edge cases: 253/254/255 runs). */
function randomBodies(count: number, r: () => number): Uint8Array[] {
  const out: Uint8Array[] = [new Uint8Array(0), new Uint8Array(254).fill(7), new Uint8Array(1024).fill(0), new Uint8Array(1024).fill(255)];
  for (const n of [253, 254, 255, 508, 509]) out.push(Uint8Array.from({ length: n }, (_, i) => (i % 254) + 1));
  while (out.length < count) {
    const n = Math.floor(r() * 1025);
    const zeroRate = r() < 0.3 ? 0 : r() * 0.5;
    out.push(Uint8Array.from({ length: n }, () => (r() < zeroRate ? 0 : 1 + Math.floor(r() * 255))));
  }
  return out;
}

describe('C vs TS on the host compiler', () => {
  it('frame_encode and encodeFrame give identical wire bytes, and COBS round-trips', () => {
    const r = rng(11);
    const bodies = randomBodies(200, r);
    const spec: number[] = [];
    const tsWire: Uint8Array[] = [];
    bodies.forEach((b, i) => {
      const type = 1 + (i % 0x7f);
      const flags = (i * 37) & 0xff;
      const seq = (i * 2654435761) & 0xffff;
      spec.push(type, flags, seq & 0xff, seq >> 8, b.length & 0xff, b.length >> 8, ...b);
      tsWire.push(encodeFrame(type, flags, seq, b));
      const enc = cobsEncode(b);
      expect(enc.includes(0)).toBe(false);
      expect(Buffer.from(cobsDecode(enc)!)).toEqual(Buffer.from(b));
    });
    const cWire = run(['encode'], Uint8Array.from(spec));
    expect(Buffer.from(cWire)).toEqual(Buffer.concat(tsWire));
  });

  it('decoders agree frame by frame on a damaged stream and count the same bad frames', () => {
    const r = rng(5);
    const frames = randomBodies(300, r).map((b, i) => encodeFrame(3, 0, i, b));
    const wire: number[] = [];
    for (const f of frames) {
      for (const byte of f) {
        const x = r();
        if (byte !== 0 && x < 0.0005) continue; // drop
        if (byte !== 0 && x < 0.001) {
          wire.push(byte ^ 0x5a || 1);
          continue;
        }
        wire.push(byte);
      }
      if (r() < 0.02) wire.push(0); // stray delimiters are idle filler, not frames
    }
    const input = Uint8Array.from(wire);
    const ts: string[] = [];
    const dec = new FrameDecoder((f: Frame) => ts.push(`${f.type} ${f.flags} ${f.seq} ${f.body.length} ${crc32Ieee(f.body).toString(16).padStart(8, '0')}`));
    dec.push(input);
    ts.push(`bad ${dec.stats.framesBad} ok ${dec.stats.framesOk}`);
    const c = run(['decode'], input).toString().trim().split('\n');
    expect(c).toEqual(ts);
    expect(dec.stats.framesBad).toBeGreaterThan(10);
    expect(dec.stats.framesOk).toBeGreaterThan(100);
  });

  it('SHA-256 and CRC-32 match node:crypto / the TS table', () => {
    const r = rng(9);
    const data = Uint8Array.from({ length: 5000 }, () => Math.floor(r() * 256));
    const lens = [0, 1, 55, 56, 63, 64, 65, 119, 120, 4096, 5000];
    const c = run(['sha256', ...lens.map(String)], data).toString().trim().split('\n');
    expect(c).toEqual(lens.map((n) => createHash('sha256').update(data.subarray(0, n)).digest('hex')));
    expect(run(['crc32'], data).toString().trim()).toBe(crc32Ieee(data).toString(16).padStart(8, '0'));
  });

  it('the placeholder pipeline is bit-exact between C and TS (features and scores)', () => {
    const r = rng(3);
    const n = 16000;
    const pcm = new Int16Array(n);
    for (let i = 0; i < n; i++) {
      const env = i < 4000 ? 0.02 : i < 9000 ? 1 : 0.3;
      pcm[i] = Math.max(-32768, Math.min(32767, Math.round(env * (12000 * Math.sin(i * 0.031) + 9000 * (r() - 0.5)))));
    }
    for (const offset of [0, 160, 173]) {
      const c = run(['pipeline', String(offset)], new Uint8Array(pcm.buffer)).toString().trim().split('\n');
      const ts = energyPipelineInt8(pcm, offset).map((w) => `${w.window} ${w.top} ${Array.from(w.scores).join(' ')} | ${Array.from(w.features).join(' ')}`);
      expect(ts.length).toBeGreaterThan(90);
      expect(c).toEqual(ts);
    }
  });

  it('C ed25519 verification accepts node:crypto signatures and rejects every altered one', () => {
    const r = rng(21);
    const L = (1n << 252n) + 27742317777372353535851937790883648493n;
    const verifyC = (pk: Uint8Array, sig: Uint8Array, msg: Uint8Array) => run(['ed25519'], Buffer.concat([pk, sig, msg])).toString().trim();
    let checked = 0;
    for (let i = 0; i < 6; i++) {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const pk = ed25519PublicKeyRaw(publicKey);
      const msg = Uint8Array.from({ length: [0, 1, 64, 100, 333, 1000][i]! }, () => Math.floor(r() * 256));
      const sig = new Uint8Array(sign(null, msg, privateKey));
      expect(verifyC(pk, sig, msg)).toBe('1');
      const badSig = sig.slice();
      badSig[Math.floor(r() * 64)] ^= 1 << Math.floor(r() * 8);
      expect(verifyC(pk, badSig, msg)).toBe('0');
      if (msg.length > 0) {
        const badMsg = msg.slice();
        badMsg[Math.floor(r() * msg.length)] ^= 0x10;
        expect(verifyC(pk, sig, badMsg)).toBe('0');
      }
      const other = ed25519PublicKeyRaw(generateKeyPairSync('ed25519').publicKey);
      expect(verifyC(other, sig, msg)).toBe('0');
      // S + L verifies mathematically but is not canonical: malleability must be refused.
      let s = 0n;
      for (let k = 31; k >= 0; k--) s = (s << 8n) | BigInt(sig[32 + k]!);
      const sPlusL = s + L;
      if (sPlusL < 1n << 256n) {
        const mall = sig.slice();
        for (let k = 0; k < 32; k++) mall[32 + k] = Number((sPlusL >> BigInt(8 * k)) & 0xffn);
        expect(verifyC(pk, mall, msg)).toBe('0');
      }
      checked++;
    }
    expect(checked).toBe(6);
  });
});
