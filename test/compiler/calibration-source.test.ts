/** Calibration inputs from tensor files: .npy, raw float32, JSON, a directory of them, the WAV hook. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCalibration, parseNpy, registerWavFeatureExtractor } from '../../compiler/quantize/calibration-source.js';

/** A version-1 .npy file as numpy writes it (header padded so the data starts 64-byte aligned). */
function npyF4(values: number[], shape: number[]): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + 4 * values.length);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  new Float32Array(out.buffer, 10 + header.length).set(values);
  return out;
}

afterEach(() => registerWavFeatureExtractor(undefined));

describe('calibration sources', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tinyser-calsrc-'));

  it('parses .npy float32 and splits examples by the model input size', async () => {
    const v = Array.from({ length: 12 }, (_, i) => i * 0.5 - 1);
    expect(Array.from(parseNpy(npyF4(v, [3, 4]), 'a.npy'))).toEqual(v);
    writeFileSync(path.join(dir, 'a.npy'), npyF4(v, [3, 4]));
    const set = await loadCalibration(path.join(dir, 'a.npy'), 4);
    expect(set.length).toBe(3);
    expect(Array.from(set[2][0])).toEqual(v.slice(8));
  });

  it('reads a directory of raw float32 and JSON files in name order, up to a limit', async () => {
    const d = path.join(dir, 'set');
    mkdirSync(d);
    writeFileSync(path.join(d, 'b.f32'), new Uint8Array(Float32Array.from([1, 2, 3, 4]).buffer));
    writeFileSync(path.join(d, 'a.json'), JSON.stringify([[9, 8], [7, 6]]));
    writeFileSync(path.join(d, 'notes.txt'), 'ignored');
    const set = await loadCalibration(d, 2);
    expect(set.map((e) => Array.from(e[0]))).toEqual([[9, 8], [7, 6], [1, 2], [3, 4]]);
    expect((await loadCalibration(d, 2, 3)).length).toBe(3);
  });

  it('WAV files go through the registered frontend hook', async () => {
    const d = path.join(dir, 'wavs');
    mkdirSync(d);
    writeFileSync(path.join(d, 'x.wav'), new Uint8Array(44));
    await expect(loadCalibration(d, 3)).rejects.toThrow(/feature extractor/);
    const seen: string[] = [];
    registerWavFeatureExtractor(async (p) => {
      seen.push(path.basename(p));
      return Float32Array.from([0.5, 1, 1.5]);
    });
    const set = await loadCalibration(d, 3);
    expect(seen).toEqual(['x.wav']);
    expect(Array.from(set[0][0])).toEqual([0.5, 1, 1.5]);
  });
});
