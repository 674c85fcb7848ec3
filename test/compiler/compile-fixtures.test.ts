/**
 * End-to-end: each PyTorch fixture compiles to int8; the real TFLite runtime (tfjs-tflite) loads
 * every file; on the 200 evaluation inputs the int8 outputs agree with the torch float outputs
 * (top-1 >= 98 %, mean cosine >= 0.99); tfjs-tflite as shipped (XNNPACK) agrees with the
 * interpreter op by op within 1 LSB (XNNPACK requantises in fp32, TFLM in fixed point with double
 * rounding); and on the whole model, TFLite's builtin kernels with every CONV_2D /
 * FULLY_CONNECTED computed by its double-rounding DEPTHWISE_CONV_2D kernel
 * (compiler/verify/double-rounding-variant.ts) give the interpreter's final outputs on >= 99.9 %
 * of the values, never more than 1 LSB apart. compiler/README.md has the figures of every mode.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph, type CompileResult } from '../../compiler/compile.js';
import { importOnnx } from '../../compiler/import/onnx/import-onnx.js';
import { argmax, compareOpByOp, compareWholeModel, cosine, dequantizeInt8, quantizeInt8, runInt8WithInterpreter, runInt8WithTfliteRuntime } from '../../compiler/verify/agreement.js';
import { calibrationSet, evaluationIndices, fixtureInput, fixtureNames, manifest, onnxBytes, referenceOutputs } from './fixtures.js';

const results = new Map<string, CompileResult>();
const runtimeOutputs = new Map<string, Int8Array[]>();
const inputsInt8 = new Map<string, Int8Array[]>();

beforeAll(async () => {
  for (const name of fixtureNames) {
    const r = await compileGraph(importOnnx(onnxBytes(name), { source: name }), { calibration: calibrationSet(), name, verify: false });
    results.set(name, r);
    const q = r.report.input;
    const xs = evaluationIndices().map((i) => quantizeInt8(fixtureInput(i), q.scale, q.zeroPoint));
    inputsInt8.set(name, xs);
    runtimeOutputs.set(name, await runInt8WithTfliteRuntime(r.tflite, xs));
  }
});

describe('compiled fixtures vs float', () => {
  for (const name of fixtureNames) {
    it(`${name}: int8 in tfjs-tflite agrees with torch float on the 200 evaluation inputs`, () => {
      const r = results.get(name)!;
      const outs = runtimeOutputs.get(name)!;
      const ref = referenceOutputs(name);
      const o = r.report.output;
      let top1 = 0;
      let cos = 0;
      evaluationIndices().forEach((idx, k) => {
        const deq = dequantizeInt8(outs[k], o.scale, o.zeroPoint);
        if (argmax(deq) === argmax(ref[idx])) top1++;
        cos += cosine(deq, ref[idx]);
      });
      expect(outs.length).toBe(200);
      expect(top1 / 200).toBeGreaterThanOrEqual(0.98);
      expect(cos / 200).toBeGreaterThanOrEqual(0.99);
      // the model is int8 end to end
      expect(r.int8Graph.nodes.every((n) => n.outputs.every((t) => r.int8Graph.tensors.get(t)!.dtype === 'int8'))).toBe(true);
      if (manifest.models[name].softmaxOutput) expect([o.scale, o.zeroPoint]).toEqual([1 / 256, -128]);
    });

    it(`${name}: op by op, tfjs-tflite and the int8 interpreter agree within 1 LSB`, async (ctx) => {
      const r = results.get(name)!;
      const cmp = await compareOpByOp(r.int8Graph, inputsInt8.get(name)!.slice(0, 20));
      if (!cmp.ok) {
        ctx.skip(`interpreter cannot run this model yet: ${cmp.reason}`);
        return;
      }
      for (const l of cmp.layers) {
        // one requantisation apart: XNNPACK/optimised TFLite round in fp32 or with other formulas
        // (e.g. MEAN), TFLM in fixed point, so near-ties differ by 1 LSB; a wrong scale or zero
        // point would instead shift most values, which the equal-fraction bound catches
        expect(l.maxAbsDiff, `${l.node} (${l.op})`).toBeLessThanOrEqual(1);
        expect(l.equalFraction, `${l.node} (${l.op})`).toBeGreaterThanOrEqual(0.9);
      }
      // whole model: the interpreter (TFLM-exact) also meets the accuracy bar on its own
      const interp = await runInt8WithInterpreter(r.tflite, inputsInt8.get(name)!);
      expect(interp.ok).toBe(true);
      if (!interp.ok) return;
      const ref = referenceOutputs(name);
      const o = r.report.output;
      let top1 = 0;
      evaluationIndices().forEach((idx, k) => {
        if (argmax(dequantizeInt8(interp.outputs[k], o.scale, o.zeroPoint)) === argmax(ref[idx])) top1++;
      });
      expect(top1 / 200).toBeGreaterThanOrEqual(0.98);
    });
  }

  for (const name of fixtureNames) {
    it(`${name}: whole model, the file as written in TFLite gives the interpreter's outputs (tflite arithmetic; and TFLM's via double-rounding kernels): >= 99.9 % equal, <= 1 LSB`, async (ctx) => {
      const cmp = await compareWholeModel(results.get(name)!.int8Graph, inputsInt8.get(name)!, ['tflite', 'double-rounding', 'xnnpack']);
      if (!cmp.ok) {
        ctx.skip(`interpreter cannot run this model yet: ${cmp.reason}`);
        return;
      }
      const [asWritten, dr, gap] = cmp.modes;
      for (const m of [asWritten, dr]) {
        expect(m.values, m.mode).toBe(200 * manifest.models[name].classes);
        expect(m.equalFraction, m.mode).toBeGreaterThanOrEqual(0.999);
        expect(m.maxAbsDiff, m.mode).toBeLessThanOrEqual(1);
      }
      // the same file in the TFLM interpreter (the device's numbers) is a different function:
      // checked so that the 'tflite' comparison above cannot pass by comparing TFLM with itself
      expect(gap.interpreter).toBe('tflm');
      expect(gap.equalFraction).toBeLessThan(1);
    });
  }

  for (const name of fixtureNames) {
    it(`${name}: op by op, the interpreter with the TFLite runtime's arithmetic equals tfjs-tflite on every op`, async () => {
      const cmp = await compareOpByOp(results.get(name)!.int8Graph, inputsInt8.get(name)!.slice(0, 20), 'xnnpack', 'tflite');
      expect(cmp.ok).toBe(true);
      if (!cmp.ok) return;
      for (const l of cmp.layers) expect(l.equalFraction, `${l.node} (${l.op}): max ${l.maxAbsDiff} LSB`).toBe(1);
    });
  }

  it('percentile and MSE range choices also compile and stay accurate (ds_cnn)', async () => {
    for (const range of ['percentile', 'mse'] as const) {
      const r = await compileGraph(importOnnx(onnxBytes('ds_cnn')), {
        calibration: calibrationSet(),
        evaluation: evaluationIndices().slice(0, 20).map((i) => [fixtureInput(i)]),
        range,
      });
      expect(r.report.range).toBe(range);
      expect(r.report.agreement!.top1VsFloat).toBeGreaterThanOrEqual(0.98);
      expect(r.report.agreement!.meanCosineVsFloat).toBeGreaterThanOrEqual(0.99);
    }
  });
});

describe('compile artifacts', () => {
  it('report totals are consistent with the layers and the .tflite', () => {
    for (const r of results.values()) {
      const t = r.report.totals;
      expect(t.flashBytes).toBe(r.tflite.length);
      expect(t.params).toBe(r.report.layers.reduce((a, l) => a + l.params, 0));
      expect(t.macs).toBeGreaterThan(0);
      expect(t.arenaBytes).toBeGreaterThanOrEqual(t.arenaPlanBytes + t.persistentBytesEstimate);
      expect(t.arenaPlanBytes).toBeLessThanOrEqual(Math.ceil(1.05 * t.arenaLowerBoundBytes));
      expect(t.latencyMsM7).toBeLessThan(t.latencyMsM4);
      for (const l of r.report.layers) if (l.op === 'Conv2D') expect(l.snrDb!).toBeGreaterThan(20);
    }
  });

  it('TFLM artifacts: aligned C array of the exact bytes, resolver with exactly the used ops', () => {
    const r = results.get('res_concat')!;
    const cc = r.tflm['model_data.cc'];
    expect(cc).toContain('alignas(16) const unsigned char g_model_data[]');
    const bytes = [...cc.matchAll(/0x([0-9a-f]{2})/g)].map((m) => parseInt(m[1], 16));
    expect(Uint8Array.from(bytes)).toEqual(r.tflite);
    expect(cc).toContain(`g_model_data_len = ${r.tflite.length};`);
    const ops = r.tflm['model_ops.h'];
    expect(ops).toContain(`MicroMutableOpResolver<kModelOpCount>`);
    expect(ops).toContain(`constexpr int kModelOpCount = ${r.operators.length};`);
    expect([...ops.matchAll(/resolver\.Add/g)].length).toBe(r.operators.length);
    expect(new Set(r.operators).size).toBe(r.operators.length);
    expect(r.tflm['model_data.h']).toContain(`kTensorArenaSize = ${r.report.totals.arenaBytes};`);
  });
});
