/**
 * The tfjs-tflite harness (real TFLite runtime in WASM) on the TFLM golden models: it must load
 * them and reproduce TFLM's outputs exactly on the small non-LSTM models, both as shipped
 * (XNNPACK) and on builtin kernels only (builtin-kernels-only.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTfliteRuntime } from '../../compiler/verify/tflite-runtime.js';
import { ModelFormatError } from '../../compiler/errors.js';
import { sharedDir } from './fixtures.js';

const golden = path.join(sharedDir, 'golden');
const haveGolden = existsSync(path.join(golden, 'models'));

function bin(p: string): Int8Array {
  const b = new Uint8Array(readFileSync(p));
  return new Int8Array(b.buffer, b.byteOffset, b.length);
}

describe.skipIf(!haveGolden)('tfjs-tflite harness on TFLM golden models (needs ../shared/golden)', () => {
  for (const [model, kernels] of [
    ['hello_world_int8', 'xnnpack'],
    ['micro_speech_quantized', 'xnnpack'],
    ['hello_world_int8', 'builtin'],
    ['micro_speech_quantized', 'builtin'],
  ] as const) {
    it(`${model} (${kernels} kernels): 16 cases equal TFLM's outputs`, async () => {
      const s = await openTfliteRuntime(new Uint8Array(readFileSync(path.join(golden, 'models', `${model}.tflite`))), { kernels });
      try {
        expect(s.inputs[0].dataType).toBe('int8');
        for (let c = 0; c < 16; c++) {
          const id = String(c).padStart(2, '0');
          const out = s.run([bin(path.join(golden, 'interpreter', model, `case${id}_input.bin`))])[0];
          expect(Array.from(out)).toEqual(Array.from(bin(path.join(golden, 'interpreter', model, `case${id}_output.bin`))));
        }
      } finally {
        s.dispose();
      }
    });
  }

  it('micro_speech_quantized real "yes" features are classified as yes (index 2)', async () => {
    const dir = path.join(golden, 'interpreter', 'micro_speech_quantized');
    const s = await openTfliteRuntime(new Uint8Array(readFileSync(path.join(golden, 'models', 'micro_speech_quantized.tflite'))));
    const out = s.run([bin(path.join(dir, 'real_old_yes_features_input.bin'))])[0];
    s.dispose();
    expect(Array.from(out)).toEqual(Array.from(bin(path.join(dir, 'real_old_yes_features_output.bin'))));
    expect(Array.from(out).indexOf(Math.max(...out))).toBe(2);
  });
});

describe('tfjs-tflite harness errors', () => {
  it('rejects garbage with a typed error', async () => {
    await expect(openTfliteRuntime(new Uint8Array(64).fill(7))).rejects.toBeInstanceOf(ModelFormatError);
  });
});
