/**
 * Bit-exactness against TFLite Micro (reference kernels, commit 90b983c2) on the six golden
 * models of ../shared/golden/interpreter: every numbered and real case in a fresh interpreter,
 * the hello_world sweep, every non-constant tensor of the case03 layer dump, and the stateful
 * streams (one interpreter, 16 invokes, no reset: outputs and final variable tensors).
 */
import { describe, expect, it } from 'vitest';
import { createInterpreter, loadTfliteModel, type TfliteModel } from '../../runtime-sim/interpreter/index.js';
import { GOLDEN_MODELS, haveGolden, readGolden, readGoldenModel, readManifest, skipReason } from './golden-paths.js';

/** Compares bytes and reports the first differing offset (a readable failure, not a 12 KB dump). */
function expectSameBytes(got: Uint8Array, want: Uint8Array, what: string): void {
  expect(got.length, `${what}: byte length`).toBe(want.length);
  let first = -1;
  let count = 0;
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i]) {
      if (first < 0) first = i;
      count++;
    }
  }
  expect(first === -1 ? 'equal' : `${count} bytes differ, first at byte ${first} (got ${got[first]}, want ${want[first]})`, what).toBe('equal');
}

describe.skipIf(!haveGolden)(`TFLM golden outputs${haveGolden ? '' : ` (skipped: ${skipReason})`}`, () => {
  for (const name of GOLDEN_MODELS) {
    describe(name, () => {
      const manifest = readManifest(name);
      const model: TfliteModel = loadTfliteModel(readGoldenModel(manifest), `${name}.tflite`);

      it('every numbered and real case matches in a fresh interpreter', () => {
        const cases = [...manifest.cases, ...(manifest.real_cases ?? [])];
        expect(cases.length).toBeGreaterThanOrEqual(16);
        for (const c of cases) {
          const interp = createInterpreter(model);
          interp.setInput(0, readGolden(name, c.input));
          interp.invoke();
          expectSameBytes(interp.output(0).bytes, readGolden(name, c.output), `${name} case ${c.id}`);
        }
      });

      it('every non-constant tensor of the case03 layer dump matches', () => {
        const interp = createInterpreter(model);
        interp.setInput(0, readGolden(name, 'case03_input.bin'));
        const dump = interp.invoke({ dumpAll: true })!;
        const files = manifest.layers.tensors.filter((t) => t.file);
        expect(files.length).toBeGreaterThan(1);
        for (const t of files) {
          const got = dump.get(t.tensor_index);
          expect(got, `tensor ${t.tensor_index} in dump`).toBeDefined();
          expectSameBytes(got!.bytes, readGolden(name, t.file!), `${name} layer t${t.tensor_index}`);
        }
      });

      if (manifest.stream) {
        const stream = manifest.stream;
        it('stream: 16 invokes on one interpreter carry state like TFLM', () => {
          const interp = createInterpreter(model);
          const outBytes = interp.outputs[0]!.byteLength;
          const want = readGolden(name, stream.output);
          expect(want.length).toBe(outBytes * stream.inputs.length);
          stream.inputs.forEach((file, k) => {
            interp.setInput(0, readGolden(name, file));
            interp.invoke();
            expectSameBytes(interp.output(0).bytes, want.subarray(k * outBytes, (k + 1) * outBytes), `${name} stream invoke ${k}`);
          });
          for (const s of stream.final_state) {
            expectSameBytes(interp.tensor(s.tensor_index).bytes, readGolden(name, s.file), `${name} final state t${s.tensor_index}`);
          }
          // reset() restores TFLM's reset value, so the next run equals a fresh interpreter.
          interp.reset();
          interp.setInput(0, readGolden(name, 'case05_input.bin'));
          interp.invoke();
          expectSameBytes(interp.output(0).bytes, readGolden(name, 'case05_output.bin'), `${name} after reset`);
        });
      }

      if (manifest.sweep) {
        const sweep = manifest.sweep;
        it('exhaustive sweep of all 256 inputs on one interpreter', () => {
          const interp = createInterpreter(model);
          const input = readGolden(name, sweep.input);
          const want = readGolden(name, sweep.output);
          expect(input.length).toBe(256);
          const got = new Uint8Array(256);
          for (let i = 0; i < 256; i++) {
            interp.setInput(0, input.subarray(i, i + 1));
            interp.invoke();
            got[i] = interp.output(0).bytes[0]!;
          }
          expectSameBytes(got, want, `${name} sweep`);
        });
      }
    });
  }
});
