/** `runModel`, the library function behind `tinyser run`: output, argmax and the tensor dump. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runModel } from '../../runtime-sim/interpreter/index.js';
import { tinyFullyConnectedModel } from './tflite-builder.js';

describe('runModel', () => {
  it('returns raw and dequantized outputs with argmax and dumps every non-constant tensor', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tinyser-run-'));
    try {
      const input = new Uint8Array(Int8Array.from([10, -20, 30, 127]).buffer);
      const r = runModel(tinyFullyConnectedModel(), 'tiny.tflite', input, { dumpDir: dir });
      expect(r.values).toEqual([4, 23, 127]);
      expect(r.argmax).toBe(2);
      expect(r.dequantized[1]).toBeCloseTo((23 - 4) * 0.03, 6);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { tensors: { index: number; file: string }[] };
      expect(manifest.tensors.map((t) => t.index)).toEqual([0, 3]); // weights and bias are constants
      expect(Array.from(new Int8Array(Uint8Array.from(readFileSync(path.join(dir, 't3.bin'))).buffer))).toEqual([4, 23, 127]);
      expect(r.dumped).toHaveLength(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
