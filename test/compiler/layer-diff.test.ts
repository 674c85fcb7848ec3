/**
 * Layer-by-layer diff against the real TFLite runtime (compiler/verify/layer-diff.ts, `tinyser diff`):
 * every operator output exposed as a model output (with-outputs.ts) must not change what TFLite
 * computes, and each layer must equal the interpreter with the TFLite arithmetic.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph, type CompileResult } from '../../compiler/compile.js';
import { ModelFormatError } from '../../compiler/errors.js';
import { importOnnx } from '../../compiler/import/onnx/import-onnx.js';
import { quantizeInt8, runInt8WithTfliteRuntime } from '../../compiler/verify/agreement.js';
import { interpreterLayerDump, tfliteRuntimeLayerDump } from '../../compiler/verify/layer-diff.js';
import { withOutputs } from '../../compiler/verify/with-outputs.js';
import { diffRuns } from '../../runtime-sim/interpreter/index.js';
import { calibrationSet, evaluationIndices, fixtureInput, onnxBytes } from './fixtures.js';

let r: CompileResult;
let xs: Int8Array[];

beforeAll(async () => {
  r = await compileGraph(importOnnx(onnxBytes('ds_cnn'), { source: 'ds_cnn' }), { calibration: calibrationSet(), name: 'ds_cnn', verify: false });
  xs = evaluationIndices().slice(0, 4).map((i) => quantizeInt8(fixtureInput(i), r.report.input.scale, r.report.input.zeroPoint));
});

describe('tfliteRuntimeLayerDump', () => {
  it('the exposed final output equals the runtime on the file as written; every layer equals the TFLite arithmetic', async () => {
    const plain = await runInt8WithTfliteRuntime(r.tflite, xs);
    let tflmDiffers = 0;
    for (const [k, x] of xs.entries()) {
      const bytes = new Uint8Array(x.buffer, x.byteOffset, x.length);
      const rt = await tfliteRuntimeLayerDump(r.tflite, 'ds_cnn.tflite', [bytes]);
      const tflite = interpreterLayerDump(r.tflite, 'ds_cnn.tflite', [bytes], 'tflite');
      const tflm = interpreterLayerDump(r.tflite, 'ds_cnn.tflite', [bytes]);
      const outIndex = [...tflm.values()].at(-1)!.index;
      expect(Array.from(new Int8Array(rt.get(outIndex)!.bytes.buffer.slice(0)))).toEqual(Array.from(plain[k]!));
      const layers = diffRuns(tflite, rt).filter((d) => tflite.get(d.index)!.producedBy !== null);
      expect(layers.length).toBe(r.int8Graph.nodes.length);
      for (const d of layers) expect(d.bitExact, `${d.name}: ${d.differing} values differ`).toBe(true);
      const gap = diffRuns(tflm, rt);
      tflmDiffers += gap.filter((d) => !d.bitExact).length;
    }
    expect(tflmDiffers).toBeGreaterThan(0); // TFLM's arithmetic is visibly a different function
  });

  it('withOutputs refuses an out-of-range tensor index with a typed error', () => {
    expect(() => withOutputs(r.tflite, [10_000])).toThrow(ModelFormatError);
  });
});
