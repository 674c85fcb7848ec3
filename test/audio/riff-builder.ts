/** Hand-built RIFF/WAVE files for tests: arbitrary chunk order, sizes that lie, odd formats. */

export interface ChunkSpec {
  id: string;
  body: Uint8Array;
  /** Size written into the chunk header instead of body.length (to make it lie). */
  declaredSize?: number;
  /** Omit the pad byte after an odd-sized body. */
  noPad?: boolean;
}

export function ascii4(s: string): Uint8Array {
  return Uint8Array.from([...s].map((c) => c.charCodeAt(0)));
}

export function buildRiff(chunks: ChunkSpec[], opts: { magic?: string; form?: string; riffSize?: number } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const ch of chunks) {
    const head = new Uint8Array(8);
    head.set(ascii4(ch.id), 0);
    new DataView(head.buffer).setUint32(4, ch.declaredSize ?? ch.body.length, true);
    parts.push(head, ch.body);
    if (ch.body.length % 2 === 1 && !ch.noPad) parts.push(new Uint8Array(1));
  }
  const bodyLen = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(12 + bodyLen);
  out.set(ascii4(opts.magic ?? 'RIFF'), 0);
  new DataView(out.buffer).setUint32(4, opts.riffSize ?? 4 + bodyLen, true);
  out.set(ascii4(opts.form ?? 'WAVE'), 8);
  let at = 12;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface FmtSpec {
  formatTag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign?: number;
  byteRate?: number;
  /** Bytes after the 16 standard ones (cbSize and extension); default none. */
  extra?: Uint8Array;
}

export function fmtBody(f: FmtSpec): Uint8Array {
  const extra = f.extra ?? new Uint8Array(0);
  const out = new Uint8Array(16 + extra.length);
  const v = new DataView(out.buffer);
  const blockAlign = f.blockAlign ?? f.channels * (f.bitsPerSample / 8);
  v.setUint16(0, f.formatTag, true);
  v.setUint16(2, f.channels, true);
  v.setUint32(4, f.sampleRate, true);
  v.setUint32(8, f.byteRate ?? f.sampleRate * blockAlign, true);
  v.setUint16(12, blockAlign, true);
  v.setUint16(14, f.bitsPerSample, true);
  out.set(extra, 16);
  return out;
}

/** WAVE_FORMAT_EXTENSIBLE fmt body with the given SubFormat tag (KSDATAFORMAT_SUBTYPE GUID). */
export function extensibleFmtBody(subTag: number, channels: number, sampleRate: number, bitsPerSample: number, validBits = bitsPerSample): Uint8Array {
  const ext = new Uint8Array(24);
  const v = new DataView(ext.buffer);
  v.setUint16(0, 22, true); // cbSize
  v.setUint16(2, validBits, true);
  v.setUint32(4, channels === 2 ? 0x3 : 0x4, true); // channel mask
  v.setUint16(8, subTag, true);
  ext.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 10);
  return fmtBody({ formatTag: 0xfffe, channels, sampleRate, bitsPerSample, extra: ext });
}

export function int16Bytes(samples: number[]): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const v = new DataView(out.buffer);
  samples.forEach((s, i) => v.setInt16(2 * i, s, true));
  return out;
}

/** Deterministic PRNG (mulberry32) so fuzz failures reproduce from the seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
