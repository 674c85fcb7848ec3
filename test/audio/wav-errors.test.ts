import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, encodeWavInt16, WavFormatError } from '../../runtime-sim/audio/index.ts';
import { ascii4, buildRiff, extensibleFmtBody, fmtBody, int16Bytes, type FmtSpec } from './riff-builder.ts';

const PCM16: FmtSpec = { formatTag: 1, channels: 1, sampleRate: 16000, bitsPerSample: 16 };
const DATA = int16Bytes([1, 2, 3, 4]);

function wavWith(fmt: Partial<FmtSpec>, data = DATA): Uint8Array {
  return buildRiff([{ id: 'fmt ', body: fmtBody({ ...PCM16, ...fmt }) }, { id: 'data', body: data }]);
}

/** Decode `bytes` as file "bad.wav" and return the WavFormatError it must throw. */
function errorOf(bytes: Uint8Array): WavFormatError {
  try {
    decodeWav(bytes, 'bad.wav');
  } catch (e) {
    expect(e).toBeInstanceOf(WavFormatError);
    const err = e as WavFormatError;
    expect(err.code).toBe('WAV_FORMAT');
    expect(err.exitCode).toBe(2);
    expect(err.file).toBe('bad.wav');
    expect(err.details.file).toBe('bad.wav');
    expect(err.details.problem).toBe(err.problem);
    expect(err.message).toBe(`bad.wav: ${err.problem}`);
    return err;
  }
  throw new Error('decodeWav accepted a malformed file');
}

describe('RIFF container errors', () => {
  it('too short for a header', () => {
    expect(errorOf(new Uint8Array(0)).problem).toMatch(/0 bytes, too short/);
    expect(errorOf(ascii4('RIFF')).problem).toMatch(/4 bytes, too short/);
  });

  it('wrong magic: not RIFF, big-endian RIFX, RF64, not WAVE', () => {
    const good = wavWith({});
    const patch = (at: number, s: string): Uint8Array => {
      const b = good.slice();
      b.set(ascii4(s), at);
      return b;
    };
    expect(errorOf(patch(0, 'OggS')).problem).toMatch(/not a RIFF file \(starts with "OggS"\)/);
    expect(errorOf(patch(0, 'RIFX')).problem).toMatch(/big-endian RIFX/);
    expect(errorOf(patch(0, 'RF64')).problem).toMatch(/RF64 .* not supported/);
    expect(errorOf(patch(8, 'AVI ')).problem).toMatch(/form type is "AVI ", not "WAVE"/);
  });

  it('missing, late or duplicated chunks', () => {
    expect(errorOf(buildRiff([{ id: 'data', body: DATA }])).problem).toMatch(/data chunk at offset 12 comes before any fmt chunk/);
    expect(errorOf(buildRiff([{ id: 'LIST', body: new Uint8Array(4) }])).problem).toBe('no fmt chunk found');
    expect(errorOf(buildRiff([{ id: 'fmt ', body: fmtBody(PCM16) }])).problem).toMatch(/no data chunk found/);
    const dupFmt = buildRiff([
      { id: 'fmt ', body: fmtBody(PCM16) },
      { id: 'fmt ', body: fmtBody(PCM16) },
      { id: 'data', body: DATA },
    ]);
    expect(errorOf(dupFmt).problem).toMatch(/second fmt chunk at offset 36/);
  });

  it('a chunk before data that claims more bytes than the file has', () => {
    const b = buildRiff([{ id: 'LIST', body: new Uint8Array(4), declaredSize: 4000 }, { id: 'fmt ', body: fmtBody(PCM16) }, { id: 'data', body: DATA }]);
    expect(errorOf(b).problem).toMatch(/chunk "LIST" at offset 12 declares 4000 bytes but only \d+ remain/);
    const fmtLie = buildRiff([{ id: 'fmt ', body: fmtBody(PCM16), declaredSize: 0xffffffff }]);
    expect(errorOf(fmtLie).problem).toMatch(/chunk "fmt " at offset 12 declares 4294967295 bytes/);
  });
});

describe('data chunk errors', () => {
  it('truncated data chunk names declared and available sizes', () => {
    const full = encodeWavInt16(new Int16Array(100), 16000);
    const cut = full.subarray(0, 44 + 150);
    expect(errorOf(cut).problem).toBe('truncated data chunk: declared 200 bytes, file has 150');
    const streaming = full.slice();
    new DataView(streaming.buffer).setUint32(40, 0xffffffff, true);
    expect(errorOf(streaming).problem).toBe('truncated data chunk: declared 4294967295 bytes, file has 200');
  });

  it('zero-length data', () => {
    expect(errorOf(wavWith({}, new Uint8Array(0))).problem).toMatch(/data chunk at offset 36 is empty/);
  });

  it('data size not a whole number of frames', () => {
    expect(errorOf(wavWith({ channels: 2 }, new Uint8Array(6))).problem).toMatch(/data chunk size 6 is not a whole number of 4-byte frames/);
  });

  it('non-finite float samples name frame, channel and byte offset', () => {
    const nan = encodeWav([Float32Array.from([0, 0.5]), Float32Array.from([0.25, Number.NaN])], 16000, 'float32');
    expect(errorOf(nan).problem).toBe('non-finite float sample (NaN) at frame 1, channel 1, byte offset 56');
    const inf = encodeWav([Float32Array.from([Number.NEGATIVE_INFINITY])], 16000, 'float32');
    expect(errorOf(inf).problem).toMatch(/non-finite float sample \(-Infinity\) at frame 0, channel 0/);
  });
});

describe('fmt chunk errors', () => {
  it('fmt chunk shorter than 16 bytes', () => {
    const b = buildRiff([{ id: 'fmt ', body: fmtBody(PCM16).subarray(0, 14) }, { id: 'data', body: DATA }]);
    expect(errorOf(b).problem).toMatch(/fmt chunk at offset 12 is 14 bytes, needs at least 16/);
  });

  it('unsupported encodings name the format tag', () => {
    expect(errorOf(wavWith({ formatTag: 0x0002, bitsPerSample: 4, blockAlign: 256 })).problem).toMatch(/unsupported encoding: format tag 0x0002 \(Microsoft ADPCM\)/);
    expect(errorOf(wavWith({ formatTag: 0x0007, bitsPerSample: 8 })).problem).toMatch(/format tag 0x0007 \(mu-law\)/);
    expect(errorOf(wavWith({ formatTag: 0x0006, bitsPerSample: 8 })).problem).toMatch(/format tag 0x0006 \(A-law\)/);
    expect(errorOf(wavWith({ formatTag: 0x0011, bitsPerSample: 4, blockAlign: 256 })).problem).toMatch(/0x0011 \(IMA ADPCM\)/);
    expect(errorOf(wavWith({ formatTag: 0x1234 })).problem).toMatch(/unsupported encoding: format tag 0x1234;.*sox/);
  });

  it('64-bit float and odd bit depths', () => {
    const f64 = wavWith({ formatTag: 3, bitsPerSample: 64 }, new Uint8Array(16));
    expect(errorOf(f64).problem).toMatch(/unsupported 64-bit float \(format tag 0x0003 \(IEEE float\)\)/);
    expect(errorOf(wavWith({ formatTag: 3, bitsPerSample: 16 })).problem).toMatch(/unsupported 16-bit float/);
    expect(errorOf(wavWith({ bitsPerSample: 12, blockAlign: 2 })).problem).toMatch(/unsupported PCM bit depth 12/);
    expect(errorOf(wavWith({ bitsPerSample: 0, blockAlign: 2 })).problem).toMatch(/unsupported PCM bit depth 0/);
  });

  it('channel count and sample rate ranges', () => {
    expect(errorOf(wavWith({ channels: 0, blockAlign: 2 })).problem).toBe('channel count 0 is outside 1..32');
    expect(errorOf(wavWith({ channels: 33 }, new Uint8Array(66))).problem).toBe('channel count 33 is outside 1..32');
    expect(errorOf(wavWith({ sampleRate: 999 })).problem).toBe('sample rate 999 Hz is outside 1000..384000 Hz');
    expect(errorOf(wavWith({ sampleRate: 384001 })).problem).toBe('sample rate 384001 Hz is outside 1000..384000 Hz');
    expect(errorOf(wavWith({ sampleRate: 0xffffffff })).problem).toMatch(/sample rate 4294967295 Hz/);
  });

  it('block align inconsistent with channels and bits', () => {
    expect(errorOf(wavWith({ blockAlign: 4 })).problem).toBe('block align 4 does not match 1 channel(s) × 2 bytes = 2');
    expect(errorOf(wavWith({ blockAlign: 0 })).problem).toMatch(/block align 0 does not match/);
  });

  it('byte rate is not checked (redundant, and wrong in some real files)', () => {
    expect(Array.from(decodeWav(wavWith({ byteRate: 7 }), 'ok.wav').samplesInt16)).toEqual([1, 2, 3, 4]);
  });

  it('WAVE_FORMAT_EXTENSIBLE: short fmt, bad GUID, unsupported subformat, valid bits > container', () => {
    const ext = extensibleFmtBody(1, 1, 16000, 16);
    const short = buildRiff([{ id: 'fmt ', body: ext.subarray(0, 24) }, { id: 'data', body: DATA }]);
    expect(errorOf(short).problem).toMatch(/WAVE_FORMAT_EXTENSIBLE fmt chunk is 24 bytes, needs at least 40/);
    const badGuid = ext.slice();
    badGuid[30] ^= 0xff;
    expect(errorOf(buildRiff([{ id: 'fmt ', body: badGuid }, { id: 'data', body: DATA }])).problem).toMatch(/SubFormat GUID at offset 44/);
    const muLaw = extensibleFmtBody(7, 1, 16000, 8);
    expect(errorOf(buildRiff([{ id: 'fmt ', body: muLaw }, { id: 'data', body: DATA }])).problem).toMatch(/format tag 0x0007 \(mu-law\) inside WAVE_FORMAT_EXTENSIBLE/);
    const valid = extensibleFmtBody(1, 1, 16000, 16, 20);
    expect(errorOf(buildRiff([{ id: 'fmt ', body: valid }, { id: 'data', body: DATA }])).problem).toMatch(/valid bits per sample 20 exceed/);
    const cb = ext.slice();
    cb[16] = 0;
    expect(errorOf(buildRiff([{ id: 'fmt ', body: cb }, { id: 'data', body: DATA }])).problem).toMatch(/extension size is 0/);
  });
});
