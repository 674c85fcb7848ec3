/** The flatbuffer reader and the interpreter's error contract (typed errors naming what is at fault). */
import { describe, expect, it } from 'vitest';
import { TinyserError } from '../../common/errors.js';
import {
  ModelFormatError, UnsupportedOpError, createInterpreter, diffRuns, loadTfliteModel,
} from '../../runtime-sim/interpreter/index.js';
import { buildModel, bytesOf, tinyFcSpec, tinyFullyConnectedModel } from './tflite-builder.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('tflite reader', () => {
  it('reads tensors, quantization, options and operator codes of a hand-built model', () => {
    const m = loadTfliteModel(tinyFullyConnectedModel(), 'tiny.tflite');
    expect(m.version).toBe(3);
    expect(m.description).toBe('tinyser test model');
    const sg = m.subgraphs[0]!;
    expect(sg.name).toBe('main');
    expect(sg.tensors.map((t) => t.name)).toEqual(['x', 'w', 'b', 'y']);
    expect(sg.tensors[0]!.quantization!.zeroPoint).toEqual([-3]);
    expect(sg.tensors[0]!.quantization!.scale[0]).toBeCloseTo(0.05, 7);
    expect(Array.from(new Int8Array(sg.tensors[1]!.data!.slice().buffer))).toEqual([1, -2, 3, -4, 5, 6, -7, 8, 127, -128, 0, 9]);
    const op = sg.operators[0]!;
    expect(op.opName).toBe('FULLY_CONNECTED');
    expect(op.version).toBe(4);
    expect(op.options).toMatchObject({ kind: 'FullyConnectedOptions', activation: 'RELU' });
  });

  it('takes the larger of deprecated_builtin_code and builtin_code (codes above 127)', () => {
    // 150 = GELU: the int8 field saturates at 127 and the int32 field carries the real code.
    const spec = tinyFcSpec();
    spec.ops = [{ builtinCode: 150, inputs: [0], outputs: [3] }];
    const m = loadTfliteModel(buildModel(spec), 'gelu.tflite');
    expect(m.subgraphs[0]!.operators[0]!.opName).toBe('GELU');
    const e = thrown(() => createInterpreter(m));
    expect(e).toBeInstanceOf(UnsupportedOpError);
    const u = e as UnsupportedOpError;
    expect(u.code).toBe('UNSUPPORTED_OP');
    expect(u.details).toMatchObject({ op: 'GELU', version: 1, operatorIndex: 0, subgraph: 0 });
    expect(u.message).toMatch(/operator 0 of subgraph 0 is GELU version 1/);
  });

  it('reports corruption with the byte offset and what was being read', () => {
    const bytes = tinyFullyConnectedModel();
    const bad = bytes.slice();
    new DataView(bad.buffer).setUint32(0, bad.length + 100, true); // root offset past the end
    const e = thrown(() => loadTfliteModel(bad, 'bad.tflite')) as ModelFormatError;
    expect(e).toBeInstanceOf(ModelFormatError);
    expect(e.code).toBe('MODEL_FORMAT');
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/bad\.tflite: .* at byte offset 0 while reading Model root offset/);

    const e2 = thrown(() => loadTfliteModel(bytes.subarray(0, 200), 'cut.tflite')) as ModelFormatError;
    expect(e2).toBeInstanceOf(ModelFormatError);
    expect(e2.message).toMatch(/byte offset \d+ while reading /);

    const noIdent = bytes.slice();
    noIdent[4] = 0x41;
    expect((thrown(() => loadTfliteModel(noIdent)) as Error).message).toMatch(/file identifier "TFL3"/);
  });

  it('rejects external buffers (offset/size) clearly', () => {
    const bytes = tinyFullyConnectedModel({ bufferFields: [{ id: 1, kind: 'u64', value: 4096 }, { id: 2, kind: 'u64', value: 12 }] });
    const e = thrown(() => loadTfliteModel(bytes, 'big.tflite')) as ModelFormatError;
    expect(e).toBeInstanceOf(ModelFormatError);
    expect(e.message).toMatch(/outside the flatbuffer \(offset 4096, size 12\)/);
  });

  it('rejects a constant buffer whose size does not match the tensor shape', () => {
    const spec = tinyFcSpec();
    spec.tensors[1]!.data = bytesOf(Int8Array.from([1, 2, 3]));
    expect((thrown(() => loadTfliteModel(buildModel(spec), 'w.tflite')) as Error).message).toMatch(/holds 3 bytes but shape \[3,4\] of int8 needs 12/);
  });

  it('rejects out-of-range tensor indices in operators', () => {
    const spec = tinyFcSpec();
    spec.ops[0]!.inputs = [0, 1, 9];
    expect((thrown(() => loadTfliteModel(buildModel(spec))) as Error).message).toMatch(/tensor index 9 out of range/);
  });
});

describe('interpreter API', () => {
  it('computes FULLY_CONNECTED with fused RELU exactly, from bytes, typed arrays and number lists', () => {
    const it8 = createInterpreter(loadTfliteModel(tinyFullyConnectedModel()));
    expect(it8.inputs[0]).toMatchObject({ name: 'x', type: 'int8', shape: [1, 4], zeroPoint: -3, byteLength: 4 });
    it8.setInput(0, Int8Array.from([10, -20, 30, 127]));
    it8.invoke();
    // Hand computation: acc = W(x + 3) + b = [-274, 572, 4061]; * 0.05*0.02/0.03 -> [-9, 19, 135]
    // + zp 4 -> [-5, 23, 139]; RELU floor at zp 4 and int8 ceiling -> [4, 23, 127].
    expect(Array.from(it8.output(0).data as Int8Array)).toEqual([4, 23, 127]);
    it8.setInput(0, [10, -20, 30, 127]);
    it8.invoke();
    expect(Array.from(it8.output(0).data as Int8Array)).toEqual([4, 23, 127]);
    it8.setInput(0, new Uint8Array(Int8Array.from([-3, -3, -3, -3]).buffer));
    const dump = it8.invoke({ dumpAll: true })!;
    expect(dump.has(1)).toBe(false); // constants are not dumped
    // x at its zero point leaves only the bias: [100,-200,300] * 0.001/0.03 -> [3,-7,10], + zp 4,
    // RELU floor 4 -> [7, 4, 14].
    expect(Array.from(dump.get(3)!.bytes)).toEqual([7, 4, 14]);
    expect(dump.get(3)!.values[2]).toBeCloseTo((14 - 4) * 0.03, 6);
  });

  it('rejects an input of the wrong size as an input error', () => {
    const interp = createInterpreter(loadTfliteModel(tinyFullyConnectedModel(), 'tiny.tflite'));
    const e = thrown(() => interp.setInput(0, new Uint8Array(3))) as TinyserError;
    expect(e).toBeInstanceOf(TinyserError);
    expect(e.code).toBe('INPUT');
    expect(e.message).toMatch(/needs 4 bytes, got 3/);
  });

  it('diffRuns reports bit-exact layers and quantifies differences', () => {
    const interp = createInterpreter(loadTfliteModel(tinyFullyConnectedModel()));
    interp.setInput(0, [10, -20, 30, 127]);
    const a = interp.invoke({ dumpAll: true })!;
    interp.setInput(0, [10, -20, 31, 127]);
    const b = interp.invoke({ dumpAll: true })!;
    const d = diffRuns(a, b);
    const byIdx = new Map(d.map((x) => [x.index, x]));
    expect(byIdx.get(0)!.bitExact).toBe(false);
    expect(byIdx.get(0)!.differing).toBe(1);
    expect(byIdx.get(0)!.maxAbsDiffRaw).toBe(1);
    expect(byIdx.get(0)!.maxAbsDiff).toBeCloseTo(0.05, 6);
    expect(Number.isFinite(byIdx.get(0)!.snrDb)).toBe(true);
    const same = diffRuns(a, a, { by: 'name' });
    expect(same.every((x) => x.bitExact && x.snrDb === Infinity)).toBe(true);
    expect(same.map((x) => x.name).sort()).toEqual(['x', 'y']);
  });
});
