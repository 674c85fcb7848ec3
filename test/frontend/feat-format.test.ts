import { describe, expect, it } from 'vitest';
import { decodeFeat, encodeFeat, FeatFormatError } from '../../runtime-sim/frontend/index.js';

const header = { file: 'a.wav', configHash: '0123456789abcdef', kind: 'logmel' as const, dtype: 'int8' as const, frames: 3, dims: 2, scale: 0.1, zeroPoint: -4 };

function formatError(bytes: Uint8Array): FeatFormatError {
  try {
    decodeFeat(bytes, 'x.feat');
  } catch (e) {
    if (e instanceof FeatFormatError) return e;
    throw e;
  }
  throw new Error('expected FeatFormatError');
}

describe('.feat format', () => {
  it('round-trips int8 and float32 with the documented layout', () => {
    const data = Int8Array.from([-128, -1, 0, 1, 2, 127]);
    const bytes = encodeFeat(header, data);
    expect(Buffer.from(bytes.subarray(0, 8)).toString('ascii')).toBe('TSFEAT01');
    const hlen = Buffer.from(bytes).readUInt32LE(8);
    expect(JSON.parse(Buffer.from(bytes.subarray(12, 12 + hlen)).toString('utf8'))).toEqual({ formatVersion: 1, ...header });
    expect(bytes.length).toBe(12 + hlen + 6);
    const back = decodeFeat(bytes);
    expect(back.header).toEqual({ formatVersion: 1, ...header });
    expect(Array.from(back.data)).toEqual(Array.from(data));
    const f = Float32Array.from([1.5, -2.25, 3, 0, 1e-3, 7]);
    const back32 = decodeFeat(encodeFeat({ ...header, dtype: 'float32' }, f));
    expect(back32.data).toBeInstanceOf(Float32Array);
    expect(Array.from(back32.data)).toEqual(Array.from(f));
  });

  it('rejects bad magic, truncation and wrong sizes with the byte offset', () => {
    const good = encodeFeat(header, new Int8Array(6));
    const bad = good.slice();
    bad[0] = 0x58;
    expect(formatError(bad).message).toMatch(/magic.*offset 0/);
    expect(formatError(good.subarray(0, good.length - 1)).message).toMatch(/data is 5 bytes.*= 6/);
    expect(formatError(good.subarray(0, 20)).message).toMatch(/header length/);
    expect(formatError(new Uint8Array(4)).message).toMatch(/shorter than/);
  });
});
