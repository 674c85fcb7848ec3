/**
 * Contract 4 at the kernel level: every firmware C kernel (firmware-assets/src/kernels/), driven
 * through the generated-C writer, gives the same bytes as the TS interpreter kernel on seeded
 * random single-op models (shapes, strides, padding, dilation, groups, per-channel scales, fused
 * activations, broadcasting, every int8 input value for the activation functions).
 * All cases compile into one gcc run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CORTEX_M4_FLAGS, crossCompileCheck, generateModelCFromTflite, kernelSourceFiles } from '../../compiler/writers/c/index.js';
import { createInterpreter, loadTfliteModel } from '../../runtime-sim/interpreter/index.js';
import { allOpCases, type OpCase } from './op-cases.js';
import { buildMultiBinary, hasCompiler, type MultiBinary } from './multi-runner.js';

const haveGcc = hasCompiler('gcc');
const haveArmGcc = hasCompiler('arm-none-eabi-gcc');
const CASES: OpCase[] = allOpCases(20261123, 6);

function interpreterOutput(c: OpCase): Uint8Array {
  const it = createInterpreter(loadTfliteModel(c.model, c.name));
  c.inputs.forEach((x, i) => it.setInput(i, x));
  it.invoke();
  return it.output(0).bytes.slice();
}

describe.skipIf(!haveGcc)('C kernels = TS kernels (byte for byte)', () => {
  let bin: MultiBinary;
  let outputs: Uint8Array[];
  let outputsReversed: Uint8Array[];
  beforeAll(() => {
    bin = buildMultiBinary(CASES.map((c) => ({ name: c.name, model: c.model })));
    // one run of the binary for all cases; a second pass in reverse order in the same process
    // catches results that depend on what an earlier invoke left in the arena
    const order = CASES.map((c, id) => ({ id, inputs: c.inputs }));
    const both = bin.run([...order, ...[...order].reverse()]);
    outputs = both.slice(0, CASES.length);
    outputsReversed = both.slice(CASES.length).reverse();
  });
  afterAll(() => bin?.dispose());

  it('covers every kernel the C side implements', () => {
    const kernels = new Set(bin.gens.flatMap((g) => g.ops.map((o) => o.kernel)));
    for (const k of ['tsk_conv2d_int8', 'tsk_depthwise_conv2d_int8', 'tsk_fully_connected_int8', 'tsk_average_pool2d_int8', 'tsk_max_pool2d_int8',
      'tsk_mean_int8', 'tsk_softmax_int8', 'tsk_add_int8', 'tsk_mul_int8', 'tsk_concatenation', 'tsk_pad_int8', 'tsk_reshape',
      'tsk_quantize_int8', 'tsk_logistic_int8', 'tsk_tanh_int8', 'tsk_relu_int8', 'tsk_leaky_relu_int8', 'tsk_transpose_int8', 'tsk_dequantize_int8']) expect(kernels.has(k), k).toBe(true);
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const c = CASES[i]!;
    const expected = interpreterOutput(c);
    const got = outputs[i]!;
    expect(got.length).toBe(expected.length);
    // a single comparison of the whole buffer; on failure show the first differing element
    const first = got.findIndex((v, k) => v !== expected[k]);
    expect(first, `first differing byte ${first}: C ${got[first]} vs TS ${expected[first]}`).toBe(-1);
    expect(Array.from(outputsReversed[i]!)).toEqual(Array.from(got));
  });
});

describe.skipIf(!haveArmGcc)('C kernels build for the Cortex-M4F (arm-none-eabi-gcc, -std=c99 -pedantic -Wall -Wextra -Werror)', () => {
  // hard float is the brief's target; the firmware Makefile currently builds -mfloat-abi=soft
  it.each([['hard', CORTEX_M4_FLAGS], ['soft', ['-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=soft']]] as const)('-mfloat-abi=%s, -O2', (_abi, flags) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tinyser-ckernels-arm-'));
    try {
      // any generated model will do: the point is every kernel file plus one model.c
      const bin = generatedStub();
      const objs = crossCompileCheck(bin, dir, 'arm-none-eabi-gcc', [...flags, '-O2'], true);
      expect(objs).toHaveLength(1 + kernelSourceFiles().length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function generatedStub(): ReturnType<typeof generateModelCFromTflite> {
  const c = CASES[0]!;
  return generateModelCFromTflite(c.model, c.name);
}
