/**
 * ConvTranspose fixture (test/fixtures/onnx/conv_transpose.onnx): int8 agreement with torch float
 * (interpreter and tfjs-tflite), TRANSPOSE_CONV op by op vs the interpreter in each runtime mode,
 * whole-model agreement per mode, interpreter and generated-C (host gcc -O2) speed per inference.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { compileGraph } from '../compiler/compile.js';
import { importOnnx } from '../compiler/import/onnx/import-onnx.js';
import { argmax, compareOpByOp, compareWholeModel, cosine, dequantizeInt8, quantizeInt8, runInt8WithInterpreter, runInt8WithTfliteRuntime } from '../compiler/verify/agreement.js';
import { benchHostRunner, buildHostRunner, generateModelCFromTflite, haveQemuM4Tools, runOnQemuM4 } from '../compiler/writers/c/index.js';
import { createInterpreter, loadTfliteModel } from '../runtime-sim/interpreter/index.js';
import { fixtureDir } from '../test/compiler/fixtures.js';

export default async function bench(): Promise<void> {
  const m = JSON.parse(readFileSync(path.join(fixtureDir, 'conv_transpose.manifest.json'), 'utf8')) as {
    inputShape: number[]; inputScale: number; calibration: [number, number]; evaluation: [number, number];
    models: { conv_transpose: { file: string; reference: string; classes: number } };
  };
  const spec = m.models.conv_transpose;
  const per = m.inputShape.reduce((a, b) => a * b, 1);
  const all = new Int8Array(new Uint8Array(readFileSync(path.join(fixtureDir, 'inputs.int8.bin'))).buffer);
  const input = (i: number) => Float64Array.from(all.subarray(i * per, (i + 1) * per), (v) => v * m.inputScale);
  const refAll = new Float32Array(new Uint8Array(readFileSync(path.join(fixtureDir, spec.reference))).buffer);
  const ref = (i: number) => refAll.subarray(i * spec.classes, (i + 1) * spec.classes);
  const calib = Array.from({ length: m.calibration[1] - m.calibration[0] }, (_, i) => [input(m.calibration[0] + i)]);
  const evalIdx = Array.from({ length: m.evaluation[1] - m.evaluation[0] }, (_, i) => m.evaluation[0] + i);

  const t0 = performance.now();
  const r = await compileGraph(importOnnx(new Uint8Array(readFileSync(path.join(fixtureDir, spec.file))), { source: spec.file }), { calibration: calib, name: 'conv_transpose', verify: false });
  const t = r.report.totals;
  console.log(`compile ${(performance.now() - t0).toFixed(0)} ms; params ${t.params}, MACs ${t.macs}, .tflite ${t.flashBytes} B, arena ${t.arenaBytes} B (plan ${t.arenaPlanBytes}, lower bound ${t.arenaLowerBoundBytes}), ops ${r.operators.join(' ')}`);
  const q = r.report.input;
  const o = r.report.output;
  const xs = evalIdx.map((i) => quantizeInt8(input(i), q.scale, q.zeroPoint));
  const interp = await runInt8WithInterpreter(r.tflite, xs);
  if (!interp.ok) throw new Error(interp.reason);
  const rt = await runInt8WithTfliteRuntime(r.tflite, xs);
  for (const [name, outs] of [['interpreter', interp.outputs], ['tfjs-tflite', rt]] as const) {
    let top1 = 0;
    let cos = 0;
    evalIdx.forEach((idx, k) => {
      const deq = dequantizeInt8(outs[k]!, o.scale, o.zeroPoint);
      if (argmax(deq) === argmax(ref(idx))) top1++;
      cos += cosine(deq, ref(idx));
    });
    console.log(`${name} vs torch float (${evalIdx.length} inputs): top-1 ${((100 * top1) / evalIdx.length).toFixed(2)} %, mean cosine ${(cos / evalIdx.length).toFixed(5)}`);
  }
  for (const [mode, arithmetic] of [['xnnpack', 'tflite'], ['xnnpack', 'tflm'], ['builtin', 'tflm']] as const) {
    const byOp = await compareOpByOp(r.int8Graph, xs.slice(0, 50), mode, arithmetic);
    if (!byOp.ok) throw new Error(byOp.reason);
    console.log(`op by op (TFLite ${mode} vs interpreter ${arithmetic} arithmetic, 50 inputs): ${byOp.layers.filter((l) => l.op !== 'Reshape').map((l) => `${l.op} ${(100 * l.equalFraction).toFixed(2)} % max ${l.maxAbsDiff}`).join('; ')}`);
  }
  const whole = await compareWholeModel(r.int8Graph, xs);
  if (whole.ok) console.log(`whole model vs interpreter (${xs.length} inputs): ${whole.modes.map((a) => `${a.mode} ${(100 * a.equalFraction).toFixed(2)} % max ${a.maxAbsDiff}`).join('; ')}`);

  const it = createInterpreter(loadTfliteModel(r.tflite, 'conv_transpose.tflite'));
  const x0 = new Uint8Array(xs[0]!.buffer, xs[0]!.byteOffset, xs[0]!.length);
  it.setInput(0, x0);
  it.invoke();
  const n = 20;
  const t1 = performance.now();
  for (let k = 0; k < n; k++) {
    it.setInput(0, x0);
    it.invoke();
  }
  console.log(`interpreter ${((performance.now() - t1) / n).toFixed(1)} ms / inference`);
  const dir = mkdtempSync(path.join(tmpdir(), 'tinyser-convt-bench-'));
  try {
    const gen = generateModelCFromTflite(r.tflite, 'conv_transpose.tflite');
    const exe = buildHostRunner(gen, dir);
    console.log(`generated C (host gcc): ${(benchHostRunner(exe, x0, 200) / 1e6).toFixed(3)} ms / inference, arena ${gen.arenaBytes} B (no transpose-conv scratch)`);
    if (haveQemuM4Tools()) {
      // -icount shift=0: instruction counts, not cycles (DESIGN.md "Emulated board")
      const run = runOnQemuM4(gen, path.join(dir, 'qemu'), x0, { optimize: '-O2' });
      const total = run.instructions.reduce((a, b) => a + b, 0);
      const tc = gen.ops.map((o, i) => ({ o, n: run.instructions[i]! })).filter(({ o }) => o.kernel === 'tsk_transpose_conv_int8');
      console.log(`Cortex-M4 (qemu, -O2): ${(total / 1e6).toFixed(2)} M instructions / inference; TRANSPOSE_CONV: ${tc.map(({ o, n }) => `${(n / 1e6).toFixed(2)} M = ${(n / o.macs).toFixed(2)} instr/MAC`).join(', ')}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
