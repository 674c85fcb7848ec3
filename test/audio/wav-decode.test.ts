import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, encodeWavInt16, type WavSampleEncoding } from '../../runtime-sim/audio/index.ts';
import { buildRiff, extensibleFmtBody, fmtBody, int16Bytes, mulberry32 } from './riff-builder.ts';

function randomSignal(n: number, seed: number, amplitude = 0.9): Float32Array {
  const rnd = mulberry32(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = (rnd() * 2 - 1) * amplitude;
  return x;
}

/** Reference quantizer written independently of the library: ties away from zero, saturate. */
function quantize(v: number, bits: number): number {
  const scale = 2 ** (bits - 1);
  const q = v * scale;
  const r = Math.sign(q) * Math.floor(Math.abs(q) + 0.5) + 0; // + 0 turns -0 into 0
  return Math.min(scale - 1, Math.max(-scale, r));
}

describe('decodeWav round trip through encodeWav', () => {
  const x = randomSignal(4001, 1);
  // Full-scale extremes and exact ties are where asymmetric scaling bugs hide.
  x.set([1, -1, 0, 0.5, -0.5, 1 / 65536, -1 / 65536], 0);

  for (const [encoding, bits] of [['pcm_u8', 8], ['pcm_s16le', 16], ['pcm_s24le', 24]] as const) {
    it(`${encoding}: samples equal code / 2^(bits-1) exactly`, () => {
      const clip = decodeWav(encodeWav([x], 16000, encoding), '<memory>');
      expect(clip.sourceEncoding).toBe(encoding);
      expect(clip.sourceSampleRate).toBe(16000);
      expect(clip.sampleRate).toBe(16000);
      expect(clip.samplesFloat32.length).toBe(x.length);
      const expected = Float32Array.from(x, (v) => quantize(v, bits) / 2 ** (bits - 1));
      expect(clip.samplesFloat32).toEqual(expected);
      expect(clip.durationSec).toBe(x.length / 16000);
    });
  }

  it('pcm_s32le: within one float32 ulp of code / 2^31 (float32 holds 24 bits of the 32-bit code)', () => {
    const clip = decodeWav(encodeWav([x], 16000, 'pcm_s32le'), '<memory>');
    expect(clip.sourceEncoding).toBe('pcm_s32le');
    for (let i = 0; i < x.length; i++) {
      const exact = quantize(x[i], 32) / 2 ** 31;
      const ulp = Math.max(2 ** -149, 2 ** (Math.floor(Math.log2(Math.abs(exact) || 1)) - 23));
      expect(Math.abs(clip.samplesFloat32[i] - exact)).toBeLessThanOrEqual(ulp);
    }
    expect(clip.samplesFloat32[1]).toBe(-1);
  });

  it('float32: samples pass through bit for bit', () => {
    const clip = decodeWav(encodeWav([x], 16000, 'float32'), '<memory>');
    expect(clip.sourceEncoding).toBe('float32');
    expect(clip.samplesFloat32).toEqual(x);
  });

  it('16-bit mono at 16 kHz passes through exactly into samplesInt16, including both extremes', () => {
    const codes = Int16Array.from({ length: 3000 }, (_, i) => ((i * 7919) % 65536) - 32768);
    codes.set([32767, -32768, 0, 1, -1], 0);
    const clip = decodeWav(encodeWavInt16(codes, 16000), 'pass.wav');
    expect(clip.samplesInt16).toEqual(codes);
    expect(clip.samplesFloat32[0]).toBe(32767 / 32768);
    expect(clip.samplesFloat32[1]).toBe(-1);
    expect(clip.path).toBe('pass.wav');
  });

  it('24-bit code 0x800000 decodes as -1 (node-wav reads it as +1.0000001)', () => {
    const data = Uint8Array.from([0x00, 0x00, 0x80, 0xff, 0xff, 0x7f, 0x01, 0x00, 0x00]);
    const bytes = buildRiff([
      { id: 'fmt ', body: fmtBody({ formatTag: 1, channels: 1, sampleRate: 16000, bitsPerSample: 24 }) },
      { id: 'data', body: data },
    ]);
    const clip = decodeWav(bytes, '<memory>');
    expect(Array.from(clip.samplesFloat32)).toEqual([-1, 8388607 / 8388608, 1 / 8388608]);
    expect(Array.from(clip.samplesInt16)).toEqual([-32768, 32767, 0]);
  });

  it('8-bit unsigned: 0 -> -1, 128 -> 0, 255 -> 127/128', () => {
    const bytes = buildRiff([
      { id: 'fmt ', body: fmtBody({ formatTag: 1, channels: 1, sampleRate: 16000, bitsPerSample: 8 }) },
      { id: 'data', body: Uint8Array.from([0, 128, 255]) },
    ]);
    expect(Array.from(decodeWav(bytes, '<memory>').samplesFloat32)).toEqual([-1, 0, 127 / 128]);
  });
});

describe('downmix and int16 conversion', () => {
  it('stereo 16-bit averages the channels; int16 rounds half away from zero', () => {
    // frames: (100, 201) -> 150.5 -> 151; (-100, -201) -> -150.5 -> -151; (32767, 32767); (-32768, 32767) -> -0.5 -> -1
    const interleaved = Int16Array.from([100, 201, -100, -201, 32767, 32767, -32768, 32767]);
    const clip = decodeWav(encodeWavInt16(interleaved, 16000, 2), '<memory>');
    expect(clip.sourceChannels).toBe(2);
    expect(Array.from(clip.samplesFloat32)).toEqual([150.5, -150.5, 32767, -0.5].map((v) => v / 32768));
    expect(Array.from(clip.samplesInt16)).toEqual([151, -151, 32767, -1]);
  });

  it('multichannel (6 ch, 24-bit and float32) equals the mean of the channels', () => {
    const chans = Array.from({ length: 6 }, (_, c) => randomSignal(500, 10 + c, 0.5));
    for (const enc of ['pcm_s24le', 'float32'] as WavSampleEncoding[]) {
      const clip = decodeWav(encodeWav(chans, 16000, enc), '<memory>');
      expect(clip.sourceChannels).toBe(6);
      const single = chans.map((ch) => decodeWav(encodeWav([ch], 16000, enc), '<memory>').samplesFloat32);
      for (let i = 0; i < 500; i++) {
        const mean = single.reduce((s, ch) => s + ch[i], 0) / 6;
        expect(Math.abs(clip.samplesFloat32[i] - mean)).toBeLessThanOrEqual(2 ** -24);
      }
    }
  });

  it('float32 samples beyond [-1, 1] are clipped', () => {
    const clip = decodeWav(encodeWav([Float32Array.from([1.5, -3, 0.25])], 16000, 'float32'), '<memory>');
    expect(Array.from(clip.samplesFloat32)).toEqual([1, -1, 0.25]);
    expect(Array.from(clip.samplesInt16)).toEqual([32767, -32768, 8192]);
  });
});

describe('container variants', () => {
  const codes = [0, 1000, -1000, 32767, -32768, 12345];

  it('WAVE_FORMAT_EXTENSIBLE PCM and float are decoded like the plain tags', () => {
    const pcm = buildRiff([
      { id: 'fmt ', body: extensibleFmtBody(1, 1, 16000, 16) },
      { id: 'data', body: int16Bytes(codes) },
    ]);
    const clip = decodeWav(pcm, '<memory>');
    expect(Array.from(clip.samplesInt16)).toEqual(codes);

    const f = Float32Array.from([0.25, -0.75, 0.5, 0.125]);
    const plain = encodeWav([f], 16000, 'float32');
    const ext = buildRiff([
      { id: 'fmt ', body: extensibleFmtBody(3, 1, 16000, 32) },
      { id: 'data', body: plain.subarray(44) },
    ]);
    const fclip = decodeWav(ext, '<memory>');
    expect(fclip.sourceEncoding).toBe('float32');
    expect(fclip.samplesFloat32).toEqual(f);
  });

  it('extra chunks, odd-sized chunks, an unaligned data offset and a trailing junk tail are handled', () => {
    const f = Float32Array.from([0.5, -0.25, 0.125, 1, -1]);
    const bytes = buildRiff([
      { id: 'LIST', body: new Uint8Array(3) }, // odd size + pad byte
      { id: 'fmt ', body: fmtBody({ formatTag: 3, channels: 1, sampleRate: 16000, bitsPerSample: 32 }) },
      { id: 'junk', body: new Uint8Array(2) }, // data now starts at an offset that is not a multiple of 4
      { id: 'data', body: encodeWav([f], 16000, 'float32').subarray(44) },
      { id: 'id3 ', body: new Uint8Array(5), declaredSize: 1_000_000 }, // after data: never read
    ]);
    expect(decodeWav(bytes, '<memory>').samplesFloat32).toEqual(f);
  });

  it('a Uint8Array view with a non-zero byteOffset decodes the viewed bytes only', () => {
    const wav = encodeWavInt16(Int16Array.from(codes), 16000);
    const backing = new Uint8Array(wav.length + 13);
    backing.set(wav, 7);
    const clip = decodeWav(backing.subarray(7, 7 + wav.length), '<memory>');
    expect(Array.from(clip.samplesInt16)).toEqual(codes);
  });

  it('RIFF size field is ignored (streaming writers leave 0 or 0xFFFFFFFF)', () => {
    for (const riffSize of [0, 0xffffffff]) {
      const bytes = buildRiff(
        [
          { id: 'fmt ', body: fmtBody({ formatTag: 1, channels: 1, sampleRate: 16000, bitsPerSample: 16 }) },
          { id: 'data', body: int16Bytes(codes) },
        ],
        { riffSize },
      );
      expect(Array.from(decodeWav(bytes, '<memory>').samplesInt16)).toEqual(codes);
    }
  });

  it('a non-16 kHz file is resampled to the default 16 kHz, and targetSampleRate overrides it', () => {
    const x = randomSignal(4410, 3, 0.3);
    const wav = encodeWav([x], 44100, 'float32');
    const clip = decodeWav(wav, '<memory>');
    expect(clip.sourceSampleRate).toBe(44100);
    expect(clip.sampleRate).toBe(16000);
    expect(clip.samplesFloat32.length).toBe(1600);
    expect(clip.durationSec).toBe(0.1);
    const same = decodeWav(wav, '<memory>', { targetSampleRate: 44100 });
    expect(same.samplesFloat32).toEqual(x);
    expect(() => decodeWav(wav, '<memory>', { targetSampleRate: 12.5 })).toThrow(/targetSampleRate/);
  });
});
