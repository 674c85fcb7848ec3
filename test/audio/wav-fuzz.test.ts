/**
 * Fuzz: mutated WAV files must either decode to a valid AudioClip or throw WavFormatError; no other
 * exception, no hang. Seeded (mulberry32) so a failure names a reproducible case index.
 */
import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, encodeWavInt16, floatToInt16Sample, WavFormatError } from '../../runtime-sim/audio/index.ts';
import { buildRiff, extensibleFmtBody, fmtBody, mulberry32 } from './riff-builder.ts';

const CASES = 2400;
const SEED = 0x5eed_a0d1;
const ENCODINGS = new Set(['pcm_u8', 'pcm_s16le', 'pcm_s24le', 'pcm_s32le', 'float32']);

function signal(n: number, seed: number): Float32Array {
  const rnd = mulberry32(seed);
  return Float32Array.from({ length: n }, () => rnd() * 1.8 - 0.9);
}

function baseCorpus(): Uint8Array[] {
  const ext = buildRiff([
    { id: 'LIST', body: new Uint8Array(7) },
    { id: 'fmt ', body: extensibleFmtBody(1, 2, 16000, 16) },
    { id: 'data', body: encodeWavInt16(new Int16Array(240).map((_, i) => i * 97), 16000, 2).subarray(44) },
    { id: 'id3 ', body: new Uint8Array(9) },
  ]);
  const floatExt = buildRiff([
    { id: 'fmt ', body: extensibleFmtBody(3, 1, 48000, 32) },
    { id: 'fact', body: new Uint8Array(4) },
    { id: 'data', body: encodeWav([signal(150, 6)], 48000, 'float32').subarray(44) },
  ]);
  const plainWithTags = buildRiff([
    { id: 'fmt ', body: fmtBody({ formatTag: 1, channels: 1, sampleRate: 16000, bitsPerSample: 16 }) },
    { id: 'data', body: encodeWavInt16(new Int16Array(128).map((_, i) => (i * 1013) & 0x7fff), 16000).subarray(44) },
  ]);
  return [
    encodeWavInt16(new Int16Array(200).map((_, i) => i * 331), 16000),
    encodeWav([signal(120, 1), signal(120, 2)], 22050, 'pcm_u8'),
    encodeWav([signal(160, 3)], 44100, 'pcm_s24le'),
    encodeWav([signal(60, 4), signal(60, 5), signal(60, 7)], 8000, 'pcm_s32le'),
    encodeWav([signal(100, 8)], 16000, 'float32'),
    ext,
    floatExt,
    plainWithTags,
  ];
}

/** Offsets of chunk headers found by a lenient walk of the original (unmutated) file. */
function chunkOffsets(b: Uint8Array): number[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: number[] = [];
  let pos = 12;
  while (pos + 8 <= b.length && out.length < 16) {
    out.push(pos);
    const size = v.getUint32(pos + 4, true);
    pos += 8 + size + (size & 1);
  }
  return out;
}

const EXTREMES = [0, 1, 2, 3, 7, 8, 22, 32, 33, 40, 999, 1000, 0x7fff, 0x8000, 0xfffe, 0xffff, 384000, 384001, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const int = (n: number): number => Math.floor(rnd() * n);
  let b = src.slice();
  const rounds = 1 + int(3);
  for (let r = 0; r < rounds; r++) {
    const kind = int(7);
    if (kind === 0) {
      // bit flips, biased towards the header where they matter most
      const flips = 1 + int(8);
      for (let i = 0; i < flips && b.length > 0; i++) {
        const at = rnd() < 0.7 ? int(Math.min(b.length, 80)) : int(b.length);
        b[at] ^= 1 << int(8);
      }
    } else if (kind === 1) {
      b = b.slice(0, int(b.length + 1)); // truncation at a random offset
    } else if (kind === 2 && b.length >= 4) {
      // header field overwrite with an extreme value (u16 or u32, any header offset)
      const at = int(Math.min(b.length - 3, 72));
      const v = new DataView(b.buffer);
      const value = rnd() < 0.8 ? pick(EXTREMES) : int(0x100000000);
      if (rnd() < 0.5) v.setUint16(at, value & 0xffff, true);
      else v.setUint32(at, value >>> 0, true);
    } else if (kind === 3) {
      // chunk-size lie
      const offsets = chunkOffsets(b);
      if (offsets.length > 0) {
        const at = pick(offsets) + 4;
        if (at + 4 <= b.length) new DataView(b.buffer).setUint32(at, rnd() < 0.7 ? pick(EXTREMES) : int(0x100000000), true);
      }
    } else if (kind === 4) {
      // random garbage: a region overwritten, or a whole random file behind a valid RIFF/WAVE magic
      if (rnd() < 0.5 && b.length > 0) {
        const start = int(b.length);
        const len = 1 + int(Math.min(64, b.length - start));
        for (let i = 0; i < len; i++) b[start + i] = int(256);
      } else {
        const g = Uint8Array.from({ length: int(200) }, () => int(256));
        const head = src.subarray(0, 12);
        b = new Uint8Array(12 + g.length);
        b.set(head, 0);
        b.set(g, 12);
      }
    } else if (kind === 5) {
      // duplicated chunk inserted at a chunk boundary
      const offsets = chunkOffsets(b);
      if (offsets.length > 0) {
        const from = pick(offsets);
        const size = Math.min(new DataView(b.buffer).getUint32(from + 4, true), b.length - from - 8);
        const chunk = b.slice(from, from + 8 + Math.max(0, size));
        const to = pick([...offsets, b.length]);
        const out = new Uint8Array(b.length + chunk.length);
        out.set(b.subarray(0, to), 0);
        out.set(chunk, to);
        out.set(b.subarray(to), to + chunk.length);
        b = out;
      }
    } else {
      // appended trailing bytes (junk after the data chunk)
      const tail = Uint8Array.from({ length: int(40) }, () => int(256));
      const out = new Uint8Array(b.length + tail.length);
      out.set(b, 0);
      out.set(tail, b.length);
      b = out;
    }
  }
  return b;
}

describe('WAV decoder fuzz', () => {
  it(`${CASES} mutated files: valid AudioClip or WavFormatError, nothing else`, () => {
    const corpus = baseCorpus();
    // The unmutated corpus must decode, otherwise the fuzzer would only exercise the error paths.
    for (const b of corpus) expect(decodeWav(b, 'base.wav').samplesFloat32.length).toBeGreaterThan(0);
    const rnd = mulberry32(SEED);
    let valid = 0;
    let rejected = 0;
    const problems = new Set<string>();
    for (let c = 0; c < CASES; c++) {
      const bytes = mutate(corpus[c % corpus.length], rnd);
      let clip;
      try {
        clip = decodeWav(bytes, `case-${c}.wav`);
      } catch (e) {
        if (!(e instanceof WavFormatError)) {
          throw new Error(`case ${c}: threw ${(e as Error)?.name ?? typeof e}: ${(e as Error)?.message ?? String(e)}`);
        }
        expect(e.file).toBe(`case-${c}.wav`);
        problems.add(e.problem.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N').slice(0, 32));
        rejected++;
        continue;
      }
      valid++;
      const n = clip.samplesFloat32.length;
      expect(clip.sampleRate).toBe(16000);
      expect(ENCODINGS.has(clip.sourceEncoding)).toBe(true);
      expect(clip.sourceChannels).toBeGreaterThanOrEqual(1);
      expect(clip.sourceChannels).toBeLessThanOrEqual(32);
      expect(n).toBeGreaterThan(0);
      // sane length: never more output samples than the file's bytes allow at this rate ratio
      expect(n).toBeLessThanOrEqual(Math.ceil((bytes.length * 16000) / clip.sourceSampleRate));
      expect(clip.samplesInt16.length).toBe(n);
      expect(clip.durationSec).toBe(n / 16000);
      for (let i = 0; i < n; i++) {
        const v = clip.samplesFloat32[i];
        if (!(v >= -1 && v <= 1)) throw new Error(`case ${c}: sample ${i} is ${v}`);
        if (clip.samplesInt16[i] !== floatToInt16Sample(v)) throw new Error(`case ${c}: int16 ${i} inconsistent`);
      }
    }
    if (process.env.TINYSER_FUZZ_STATS) console.log({ valid, rejected, problems: [...problems].sort() });
    expect(valid + rejected).toBe(CASES);
    // Both outcomes must be well represented, and errors must come from many different checks.
    expect(valid).toBeGreaterThan(CASES / 10);
    expect(rejected).toBeGreaterThan(CASES / 4);
    expect(problems.size).toBeGreaterThan(10);
  });
});
