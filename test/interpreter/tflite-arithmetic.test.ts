/**
 * The interpreter's 'tflite' arithmetic (runtime-sim/interpreter/tflite-arithmetic/) against the
 * real TFLite runtime (tfjs-tflite, XNNPACK as shipped): on seeded random single-op graphs every
 * output value must be equal, op by op; TFLM's arithmetic (the default) is shown to differ on the
 * ops the profile overrides, so the comparison can tell the two apart. Whole compiled models are
 * covered in test/compiler/tflite-agreement.test.ts and compile-fixtures.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { emptyGraph } from '../../compiler/ir/graph.js';
import { legalizePadding } from '../../compiler/passes/legalize-padding.js';
import { openTfliteRuntime } from '../../compiler/verify/tflite-runtime.js';
import { writeTflite } from '../../compiler/writers/tflite/tflite-writer.js';
import { createInterpreter, loadTfliteModel, runModel, type Arithmetic } from '../../runtime-sim/interpreter/index.js';
import { randomSingleOpGraph, Rng, SINGLE_OPS, type SingleOp } from './single-op-graphs.js';
import { ModelFormatError } from '../../compiler/errors.js';
import { UnsupportedOpError } from '../../runtime-sim/interpreter/errors.js';
import { haveGolden, readGolden, readGoldenModel, readManifest, skipReason } from './golden-paths.js';

function interpret(bytes: Uint8Array, inputs: Int8Array[], arithmetic: Arithmetic): Int8Array {
  const it = createInterpreter(loadTfliteModel(bytes, 'op.tflite'), { arithmetic });
  inputs.forEach((x, i) => it.setInput(i, x));
  it.invoke();
  return Int8Array.from(it.output(0).data as Int8Array);
}

async function runtime(bytes: Uint8Array, inputs: Int8Array[]): Promise<Int8Array> {
  const s = await openTfliteRuntime(bytes);
  try {
    return Int8Array.from(s.run(inputs)[0] as Int8Array);
  } finally {
    s.dispose();
  }
}

/** Ops whose int8 arithmetic differs between TFLM and the TFLite runtime on these samples. */
const DIFFERS_FROM_TFLM: readonly SingleOp[] = ['Conv2D', 'DepthwiseConv2D', 'TransposeConv2D', 'Mul', 'LeakyRelu', 'Softmax'];
/** Ops with no tflite-arithmetic kernel: TFLM's kernels must give the runtime's bytes. */
const SAME_AS_TFLM: readonly SingleOp[] = ['Sigmoid', 'Tanh', 'AveragePool2D', 'MaxPool2D', 'Concat', 'Pad'];
/** Softmax differs rarely (about 1 value in 120): more graphs so the comparison can see it. */
const trialsOf = (op: SingleOp) => (op === 'Softmax' ? 150 : 25);

describe("interpreter { arithmetic: 'tflite' } vs the real TFLite runtime, op by op", () => {
  for (const op of SINGLE_OPS) {
    it(`${op}: ${trialsOf(op)} random graphs, every output value equal`, async () => {
      const r = new Rng(1000 + SINGLE_OPS.indexOf(op));
      let values = 0, equalTflite = 0, equalTflm = 0;
      for (let t = 0; t < trialsOf(op); t++) {
        const { graph, inputs } = randomSingleOpGraph(op, r);
        const bytes = writeTflite(legalizePadding(graph)).bytes;
        const rt = await runtime(bytes, inputs);
        const a = interpret(bytes, inputs, 'tflite');
        const b = interpret(bytes, inputs, 'tflm');
        expect(a.length).toBe(rt.length);
        for (let i = 0; i < rt.length; i++) {
          values++;
          if (a[i] === rt[i]) equalTflite++;
          if (b[i] === rt[i]) equalTflm++;
        }
      }
      expect(values).toBeGreaterThan(300);
      expect(equalTflite, `${op}: ${values - equalTflite} of ${values} values differ`).toBe(values);
      // TFLM's arithmetic is a different function where the profile overrides it, the same elsewhere
      if (DIFFERS_FROM_TFLM.includes(op)) expect(equalTflm).toBeLessThan(values);
      if (SAME_AS_TFLM.includes(op)) expect(equalTflm).toBe(values);
    });
  }
});

describe('SAME convolutions with negative SAME padding (XNNPACK miscomputes them)', () => {
  const q = (s: number) => ({ scale: [Math.fround(s)], zeroPoint: [0], axis: 0 });
  /** 1x3 kernel, stride 2, input 4x9: SAME would need -1 rows of padding on H. */
  function graph() {
    const g = emptyGraph('same');
    g.tensors.set('x', { name: 'x', shape: [1, 4, 9, 1], dtype: 'int8', quant: q(0.05) });
    g.tensors.set('w', { name: 'w', shape: [1, 1, 3, 1], dtype: 'int8', data: Int8Array.from([20, 60, 100]), quant: q(0.01) });
    g.tensors.set('b', { name: 'b', shape: [1], dtype: 'int32', data: Int32Array.from([0]), quant: q(0.0005) });
    g.tensors.set('y', { name: 'y', shape: [1, 2, 5, 1], dtype: 'int8', quant: q(0.05) });
    g.nodes.push({ op: 'Conv2D', name: 'conv', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { strides: [2, 2], dilations: [1, 1], pads: [0, 1, 0, 1], activation: 'NONE' } });
    g.inputs = ['x'];
    g.outputs = ['y'];
    return g;
  }
  const x = Int8Array.from({ length: 36 }, (_, i) => (i * 7) % 50);

  it('written as SAME, the runtime disagrees with TFLM; legalizePadding writes Pad + VALID, which it computes right', async () => {
    const raw = writeTflite(graph()).bytes;
    const asSame = await runtime(raw, [x]);
    const want = interpret(raw, [x], 'tflm');
    expect(Array.from(asSame)).not.toEqual(Array.from(want)); // the runtime's bug this pass avoids
    const legal = legalizePadding(graph());
    expect(legal.nodes.map((n) => n.op)).toEqual(['Pad', 'Conv2D']);
    const fixed = writeTflite(legal).bytes;
    expect(Array.from(await runtime(fixed, [x]))).toEqual(Array.from(want));
    expect(Array.from(interpret(fixed, [x], 'tflm'))).toEqual(Array.from(want));
  });

  it('SAME convolutions with non-negative padding stay one SAME op', () => {
    const g = graph();
    g.tensors.get('x')!.shape = [1, 5, 9, 1];
    g.tensors.get('y')!.shape = [1, 3, 5, 1];
    expect(legalizePadding(g).nodes.map((n) => n.op)).toEqual(['Conv2D']);
  });
});

describe('runModel (tinyser run --arithmetic)', () => {
  it("'tflite' gives the runtime's bytes, the default gives TFLM's, on a convolution where they differ", async () => {
    const r = new Rng(77);
    for (let t = 0; t < 50; t++) {
      const { graph, inputs } = randomSingleOpGraph('Conv2D', r);
      const bytes = writeTflite(legalizePadding(graph)).bytes;
      const tflm = interpret(bytes, inputs, 'tflm');
      const rt = await runtime(bytes, inputs);
      if (Array.from(tflm).every((v, i) => v === rt[i])) continue;
      const input = new Uint8Array(inputs[0]!.buffer);
      expect(runModel(bytes, 'conv.tflite', input, { arithmetic: 'tflite' }).values).toEqual(Array.from(rt));
      expect(runModel(bytes, 'conv.tflite', input).values).toEqual(Array.from(tflm));
      return;
    }
    throw new Error('no convolution among 50 where TFLM and TFLite differ');
  });
});

describe.skipIf(!haveGolden)(`third-party models (../shared/golden) in the real runtime${haveGolden ? '' : ` (skipped: ${skipReason})`}`, () => {
  const elementsOf = (bytes: Uint8Array, dtype: string) => (dtype === 'int16' ? new Int16Array(bytes.slice().buffer) : dtype === 'float32' ? new Float32Array(bytes.slice().buffer) : new Int8Array(bytes.slice().buffer));

  for (const name of ['hello_world_int8', 'micro_speech_quantized', 'keyword_scrambled_8bit'] as const) {
    it(`${name}: the 'tflite' arithmetic gives the runtime's outputs on every golden case`, async () => {
      const m = readManifest(name);
      const model = readGoldenModel(m);
      const s = await openTfliteRuntime(model);
      let compared = 0;
      try {
        for (const c of m.cases) {
          const input = readGolden(name, c.input);
          const rt = s.run([elementsOf(input, m.inputs[0]!.dtype)])[0]!;
          const it = createInterpreter(loadTfliteModel(model, name), { arithmetic: 'tflite' });
          it.setInput(0, input);
          it.invoke();
          expect(Array.from(it.output(0).data as ArrayLike<number>), `${name} case ${c.id}`).toEqual(Array.from(rt));
          compared++;
        }
      } finally {
        // keyword_scrambled_8bit runs, then traps inside TFLite's own teardown: a typed error
        try {
          s.dispose();
        } catch (e) {
          expect(e).toBeInstanceOf(ModelFormatError);
          expect((e as Error).message).toContain('crashed releasing the model');
        }
      }
      expect(compared).toBe(m.cases.length);
    });
  }

  for (const name of ['micro_speech_lstm', 'trained_lstm_int8'] as const) {
    it(`${name}: the 'tflite' arithmetic refuses UNIDIRECTIONAL_SEQUENCE_LSTM (TFLite's differs from TFLM's, not modelled)`, () => {
      const model = readGoldenModel(readManifest(name));
      expect(() => createInterpreter(loadTfliteModel(model, name), { arithmetic: 'tflite' })).toThrow(UnsupportedOpError);
      expect(() => createInterpreter(loadTfliteModel(model, name), { arithmetic: 'tflite' })).toThrow(/UNIDIRECTIONAL_SEQUENCE_LSTM/);
      expect(() => createInterpreter(loadTfliteModel(model, name))).not.toThrow();
    });
  }
});
