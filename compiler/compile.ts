/**
 * The compiler's public entry: model file -> IR -> passes -> int8 -> .tflite + TFLM artifacts +
 * arena plan + report, with agreement checks against the float model.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CORTEX_M4_168, CORTEX_M7_480, estimateLatencyMs, macsOf } from './cost-model.js';
import { TinyserError } from '../common/errors.js';
import { ModelFormatError, UnsupportedOpError } from './errors.js';
import { generateModelCFromTflite, writeModelC } from './writers/c/index.js';
import { importOnnx } from './import/onnx/import-onnx.js';
import { importTfjsModelFile } from './import/tfjs/import-tfjs.js';
import { evaluateGraphFloat64 } from './ir/evaluate-float64.js';
import type { Graph } from './ir/graph.js';
import { numElements, tensorOf } from './ir/graph.js';
import { optimizeGraph } from './passes/index.js';
import type { CalibrationSet } from './quantize/calibrate.js';
import { quantizeGraph } from './quantize/quantize.js';
import type { RangeMethod } from './quantize/range.js';
import { simulateInt8Float64 } from './quantize/simulate-int8.js';
import { alignUp, lifetimesFromGraph, planArena, type ArenaPlan } from './writers/planner.js';
import { layerReports, reportHtml, type AgreementReport, type CompileReport } from './writers/report/report.js';
import { writeTflmArtifacts, type TflmArtifacts } from './writers/tflm/tflm-writer.js';
import { writeTflite } from './writers/tflite/tflite-writer.js';
import type { BuiltinOperatorName } from './writers/tflite/schema.js';
import {
  argmax,
  compareInt8,
  cosine,
  dequantizeInt8,
  quantizeInt8,
  runInt8WithInterpreter,
  runInt8WithTfliteRuntime,
  compareWholeModel,
  snrDb,
} from './verify/agreement.js';

export interface CompileOptions {
  /** Float inputs (IR input layout: NHWC row-major; a [1,T,F,1] input is the [T,F] feature matrix). */
  calibration: CalibrationSet;
  /** Float inputs for the agreement checks; defaults to the calibration inputs. */
  evaluation?: CalibrationSet;
  range?: RangeMethod;
  percentile?: number;
  name?: string;
  /** Run the int8 model in tfjs-tflite and the interpreter and compare with float (default true). */
  verify?: boolean;
}

export interface CompileResult {
  name: string;
  floatGraph: Graph;
  int8Graph: Graph;
  tflite: Uint8Array;
  operators: BuiltinOperatorName[];
  plan: ArenaPlan;
  tflm: TflmArtifacts;
  report: CompileReport;
}

/** Loads an ONNX file or a TF.js Layers model.json (with its weight files beside it). */
export function loadModelFile(path: string): Graph {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new ModelFormatError(`cannot read model file ${path}: ${(e as Error).message}`, { file: path });
  }
  if (path.endsWith('.json')) return importTfjsModelFile(path);
  return importOnnx(bytes, { source: path });
}

/**
 * TFLM persistent allocations (eval tensors, nodes, per-channel requant data), estimated, plus the
 * largest op scratch buffer TFLM requests in the arena (int8 TRANSPOSE_CONV: output elements x 4 B).
 */
export function estimatePersistentBytes(g: Graph, tensorCount: number): number {
  let perChannel = 0;
  let scratch = 0;
  for (const n of g.nodes) {
    if (n.op === 'Conv2D' || n.op === 'DepthwiseConv2D' || n.op === 'TransposeConv2D') perChannel += tensorOf(g, n.outputs[0]).shape[3] * 8;
    // TFLM's int8 TRANSPOSE_CONV requests an int32 scratch buffer of the output's size
    if (n.op === 'TransposeConv2D') scratch = Math.max(scratch, numElements(tensorOf(g, n.outputs[0]).shape) * 4);
  }
  return alignUp(1024 + 16 * tensorCount + 64 * g.nodes.length + perChannel + scratch);
}

export async function compileGraph(imported: Graph, opts: CompileOptions): Promise<CompileResult> {
  const name = opts.name ?? imported.name;
  const floatGraph = optimizeGraph(imported);
  const { graph: q } = quantizeGraph(floatGraph, opts.calibration, { range: opts.range, percentile: opts.percentile });
  const written = writeTflite(q, `tinyser compile: ${name}`);
  const plan = planArena(lifetimesFromGraph(q));
  const persistent = estimatePersistentBytes(q, written.tensorIndex.size);
  const arenaBytes = alignUp(plan.arenaBytes + persistent);
  const tflm = writeTflmArtifacts(written.bytes, { arenaBytes, operators: written.operators });

  const evalSet = opts.evaluation ?? opts.calibration;
  const inT = tensorOf(q, q.inputs[0]);
  const outT = tensorOf(q, q.outputs[0]);
  // per-layer SNR from the fake-quant simulation on the first 4 evaluation inputs
  const snrAcc = new Map<string, { s: number; n: number }>();
  for (const inputs of evalSet.slice(0, 4)) {
    const f = evaluateGraphFloat64(floatGraph, inputs, true).values;
    const sim = simulateInt8Float64(q, inputs);
    for (const node of q.nodes) {
      const o = node.outputs[0];
      const a = f.get(o);
      const b = sim.get(o);
      if (!a || !b) continue;
      const acc = snrAcc.get(o) ?? { s: 0, n: 0 };
      for (let i = 0; i < a.data.length; i++) {
        acc.s += a.data[i] ** 2;
        acc.n += (a.data[i] - b.data[i]) ** 2;
      }
      snrAcc.set(o, acc);
    }
  }
  const snr = new Map([...snrAcc].map(([k, v]) => [k, v.n === 0 ? Infinity : 10 * Math.log10(v.s / v.n)]));

  let agreement: AgreementReport | undefined;
  if (opts.verify !== false && evalSet.length > 0) {
    const xs = evalSet.map((inputs) => quantizeInt8(inputs[0], inT.quant!.scale[0], inT.quant!.zeroPoint[0]));
    const rt = await runInt8WithTfliteRuntime(written.bytes, xs);
    const interp = await runInt8WithInterpreter(written.bytes, xs);
    const byMode = interp.ok ? await compareWholeModel(q, xs) : undefined;
    const primary = interp.ok ? interp.outputs : rt;
    let top1 = 0;
    let cos = 0;
    let sig = 0;
    let noise = 0;
    evalSet.forEach((inputs, i) => {
      const ref = evaluateGraphFloat64(floatGraph, inputs).outputs[0].data;
      const deq = dequantizeInt8(primary[i], outT.quant!.scale[0], outT.quant!.zeroPoint[0]);
      if (argmax(ref) === argmax(deq)) top1++;
      cos += cosine(ref, deq);
      for (let k = 0; k < ref.length; k++) {
        sig += ref[k] ** 2;
        noise += (ref[k] - deq[k]) ** 2;
      }
    });
    agreement = {
      inputs: evalSet.length,
      top1VsFloat: top1 / evalSet.length,
      meanCosineVsFloat: cos / evalSet.length,
      outputSnrDb: noise === 0 ? Infinity : 10 * Math.log10(sig / noise),
      runtime: interp.ok ? 'interpreter' : 'tfjs-tflite',
      runtimeVsInterpreter: interp.ok ? compareInt8(rt, interp.outputs) : undefined,
      runtimeVsInterpreterByMode: byMode?.ok ? byMode.modes : undefined,
      interpreterNote: !interp.ok
        ? `interpreter could not run the model: ${interp.reason}`
        : byMode?.ok && byMode.skipped.length > 0
          ? `not compared: ${byMode.skipped.map((x) => `${x.mode} (${x.reason})`).join('; ')}`
          : undefined,
    };
  }

  const layers = layerReports(q, snr);
  const params = layers.reduce((a, l) => a + l.params, 0);
  const report: CompileReport = {
    model: name,
    range: opts.range ?? 'minmax',
    operators: written.operators,
    minRuntimeVersion: written.minRuntimeVersion,
    input: { name: inT.name, shape: inT.shape, scale: inT.quant!.scale[0], zeroPoint: inT.quant!.zeroPoint[0] },
    output: { name: outT.name, shape: outT.shape, scale: outT.quant!.scale[0], zeroPoint: outT.quant!.zeroPoint[0] },
    layers,
    snrSource: 'per layer: float64 fake-quant simulation vs float, first 4 evaluation inputs; end-to-end agreement: real int8 run',
    totals: {
      params,
      macs: q.nodes.reduce((a, n) => a + macsOf(q, n), 0),
      weightBytes: layers.reduce((a, l) => a + l.weightBytes, 0),
      flashBytes: written.bytes.length,
      arenaPlanBytes: plan.arenaBytes,
      arenaLowerBoundBytes: plan.lowerBoundBytes,
      persistentBytesEstimate: persistent,
      arenaBytes,
      ramBytes: arenaBytes,
      latencyMsM4: estimateLatencyMs(q, CORTEX_M4_168),
      latencyMsM7: estimateLatencyMs(q, CORTEX_M7_480),
    },
    agreement,
  };
  return { name, floatGraph, int8Graph: q, tflite: written.bytes, operators: written.operators, plan, tflm, report };
}

/** Writes model.tflite, model_data.cc/.h, model_ops.h, report.json, report.html; returns the paths. */
export function writeCompileOutputs(r: CompileResult, outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const files: [string, string | Uint8Array][] = [
    ['model.tflite', r.tflite],
    ...Object.entries(r.tflm),
    ['report.json', JSON.stringify(r.report, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n'],
    ['report.html', reportHtml(r.report)],
  ];
  try {
    // float32 twin of the same optimised graph (same tensor names): `tinyser diff model.tflite
    // --against model_float.tflite` compares int8 with float layer by layer. Not for the device.
    files.push(['model_float.tflite', writeTflite(r.floatGraph, 'tinyser compiler: float32 reference of model.tflite (verification only)').bytes]);
  } catch (e) {
    if (!(e instanceof TinyserError)) throw e;
  }
  const written = files.map(([f, content]) => {
    const p = join(outDir, f);
    writeFileSync(p, content);
    return p;
  });
  // Interpreter-free C (model.c/.h + the C kernels it calls) goes to c/. A model with an op that has
  // an int8 .tflite kernel but no C twin still gets every other artifact; the reason is written down.
  const cDir = join(outDir, 'c');
  try {
    const gen = generateModelCFromTflite(r.tflite, `${r.report.model}.tflite`);
    written.push(...writeModelC(cDir, gen, { copyKernels: true }));
  } catch (e) {
    if (!(e instanceof UnsupportedOpError) && !(e instanceof TinyserError)) throw e;
    mkdirSync(cDir, { recursive: true });
    const note = join(cDir, 'NOT_GENERATED.txt');
    writeFileSync(note, `Generated C was not written: ${e.message}\nThe .tflite and TFLM artifacts above are complete; run it with TFLM instead.\n`);
    written.push(note);
  }
  return written;
}

export function modelNameOf(path: string): string {
  return basename(path).replace(/\.(onnx|json)$/, '');
}

export { numElements };
