/**
 * Protocol v1 framing: header {version u8, type u8, flags u8, seq u16, len u16} + body + CRC-32 LE
 * over header and body, COBS-encoded, then a 0x00 delimiter. Twin of firmware-assets/src/protocol/frame.c.
 */
import { cobsDecode, cobsEncode } from './cobs.js';
import { crc32Ieee } from './crc32.js';

export const PROTOCOL_VERSION = 1;
export const HEADER_BYTES = 7;
export const CRC_BYTES = 4;
export const MAX_BODY = 1024;
export const MAX_FRAME = HEADER_BYTES + MAX_BODY + CRC_BYTES;
export const MAX_WIRE = MAX_FRAME + Math.floor(MAX_FRAME / 254) + 2;

export interface Frame {
  version: number;
  type: number;
  flags: number;
  seq: number;
  body: Uint8Array;
}

export function encodeFrame(type: number, flags: number, seq: number, body: Uint8Array): Uint8Array {
  if (body.length > MAX_BODY) throw new RangeError(`frame body of ${body.length} bytes exceeds MAX_BODY ${MAX_BODY}`);
  const raw = new Uint8Array(HEADER_BYTES + body.length + CRC_BYTES);
  const dv = new DataView(raw.buffer);
  raw[0] = PROTOCOL_VERSION;
  raw[1] = type;
  raw[2] = flags;
  dv.setUint16(3, seq & 0xffff, true);
  dv.setUint16(5, body.length, true);
  raw.set(body, HEADER_BYTES);
  dv.setUint32(HEADER_BYTES + body.length, crc32Ieee(raw.subarray(0, HEADER_BYTES + body.length)), true);
  const enc = cobsEncode(raw);
  const wire = new Uint8Array(enc.length + 1);
  wire.set(enc);
  return wire;
}

export type BadFrameReason = 'cobs' | 'short' | 'length' | 'crc' | 'version' | 'overlong';

export interface DecoderStats {
  framesOk: number;
  framesBad: number;
  badByReason: Record<BadFrameReason, number>;
}

/** Splits a byte stream at 0x00 and yields only frames whose COBS, length, version and CRC hold. */
export class FrameDecoder {
  private buf = new Uint8Array(MAX_WIRE);
  private fill = 0;
  private overflowed = false;
  readonly stats: DecoderStats = {
    framesOk: 0,
    framesBad: 0,
    badByReason: { cobs: 0, short: 0, length: 0, crc: 0, version: 0, overlong: 0 },
  };

  constructor(private readonly onFrame: (f: Frame) => void, private readonly onBad?: (reason: BadFrameReason, raw: Uint8Array) => void) {}

  push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b !== 0) {
        if (this.fill < this.buf.length) this.buf[this.fill++] = b;
        else this.overflowed = true;
        continue;
      }
      const n = this.fill;
      const overflowed = this.overflowed;
      this.fill = 0;
      this.overflowed = false;
      if (n === 0) continue;
      const raw = this.buf.slice(0, n);
      if (overflowed) this.bad('overlong', raw);
      else this.finish(raw);
    }
  }

  private bad(reason: BadFrameReason, raw: Uint8Array): void {
    this.stats.framesBad++;
    this.stats.badByReason[reason]++;
    this.onBad?.(reason, raw);
  }

  private finish(raw: Uint8Array): void {
    const dec = cobsDecode(raw);
    if (!dec) return this.bad('cobs', raw);
    if (dec.length < HEADER_BYTES + CRC_BYTES) return this.bad('short', raw);
    const dv = new DataView(dec.buffer, dec.byteOffset, dec.byteLength);
    const len = dv.getUint16(5, true);
    if (len !== dec.length - HEADER_BYTES - CRC_BYTES) return this.bad('length', raw);
    const crc = dv.getUint32(dec.length - CRC_BYTES, true);
    if (crc !== crc32Ieee(dec.subarray(0, dec.length - CRC_BYTES))) return this.bad('crc', raw);
    if (dec[0] !== PROTOCOL_VERSION) return this.bad('version', raw);
    this.stats.framesOk++;
    this.onFrame({
      version: dec[0]!,
      type: dec[1]!,
      flags: dec[2]!,
      seq: dv.getUint16(3, true),
      body: dec.slice(HEADER_BYTES, HEADER_BYTES + len),
    });
  }
}
