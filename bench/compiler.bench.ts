/**
 * Compiler bench: compile time of a ~100k-parameter CNN (built in memory as ONNX with seeded
 * weights) and int8 inference speed of our interpreter vs the real TFLite runtime (tfjs-tflite,
 * XNNPACK, 1 thread) on the compiled file, as a ratio; then whole-model agreement of the real
 * TFLite runtime with the interpreter on the ONNX fixtures' final outputs in each mode
 * (compiler/verify/agreement.ts AgreementMode).
 */
import { performance } from 'node:perf_hooks';
import { compileGraph } from '../compiler/compile.js';
import { importOnnx } from '../compiler/import/onnx/import-onnx.js';
import { onnx, type OnnxTypes } from '../compiler/import/onnx/onnx-proto.js';
import { openTfliteRuntime } from '../compiler/verify/tflite-runtime.js';
import { AGREEMENT_MODES, compareWholeModel, quantizeInt8 } from '../compiler/verify/agreement.js';
import { calibrationSet, evaluationIndices, fixtureInput, fixtureNames, onnxBytes } from '../test/compiler/fixtures.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296 - 0.5);
}

/** Conv-BN-ReLU x4 with pooling, average pool over the map, Gemm, Softmax: ~100k parameters. */
export function build100kOnnx(): { bytes: Uint8Array; params: number } {
  const r = rng(7);
  const inits: OnnxTypes.TensorProto[] = [];
  const nodes: OnnxTypes.INodeProto[] = [];
  let params = 0;
  const init = (name: string, dims: number[], scale: number, offset = 0) => {
    const n = dims.reduce((a, b) => a * b, 1);
    params += n;
    inits.push(onnx.TensorProto.create({ name, dims, dataType: 1, floatData: Array.from({ length: n }, () => offset + r() * scale) }));
  };
  let x = 'x';
  let cin = 1;
  const convs: [number, boolean][] = [[32, true], [64, true], [64, false], [64, false]];
  convs.forEach(([cout, pool], i) => {
    init(`w${i}`, [cout, cin, 3, 3], 2 / Math.sqrt(cin * 9));
    init(`b${i}`, [cout], 0.1);
    for (const [k, off, sc] of [['g', 1, 0.2], ['be', 0, 0.2], ['m', 0, 0.2], ['v', 1, 0.4]] as const) init(`${k}${i}`, [cout], sc, off);
    nodes.push({ name: `conv${i}`, opType: 'Conv', input: [x, `w${i}`, `b${i}`], output: [`c${i}`], attribute: [{ name: 'pads', type: 7, ints: [1, 1, 1, 1] }] });
    nodes.push({ name: `bn${i}`, opType: 'BatchNormalization', input: [`c${i}`, `g${i}`, `be${i}`, `m${i}`, `v${i}`], output: [`n${i}`] });
    nodes.push({ name: `relu${i}`, opType: 'Relu', input: [`n${i}`], output: [`r${i}`] });
    x = `r${i}`;
    if (pool) {
      nodes.push({ name: `pool${i}`, opType: 'MaxPool', input: [x], output: [`p${i}`], attribute: [{ name: 'kernel_shape', type: 7, ints: [2, 2] }, { name: 'strides', type: 7, ints: [2, 2] }] });
      x = `p${i}`;
    }
    cin = cout;
  });
  nodes.push({ name: 'avg', opType: 'AveragePool', input: [x], output: ['avg'], attribute: [{ name: 'kernel_shape', type: 7, ints: [12, 10] }] });
  nodes.push({ name: 'flat', opType: 'Flatten', input: ['avg'], output: ['flat'] });
  init('fw', [64, 8], 0.3);
  init('fb', [8], 0.1);
  nodes.push({ name: 'fc', opType: 'Gemm', input: ['flat', 'fw', 'fb'], output: ['logits'] });
  nodes.push({ name: 'sm', opType: 'Softmax', input: ['logits'], output: ['y'] });
  const vi = (name: string, dims: number[]) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
  const m = onnx.ModelProto.create({ irVersion: 7, opsetImport: [{ domain: '', version: 13 }], graph: { name: 'bench100k', node: nodes, initializer: inits, input: [vi('x', [1, 1, 49, 40])], output: [vi('y', [1, 8])] } });
  return { bytes: onnx.ModelProto.encode(m).finish(), params };
}

export default async function bench(): Promise<void> {
  const { bytes, params } = build100kOnnx();
  const r = rng(11);
  const calib = Array.from({ length: 8 }, () => [Float64Array.from({ length: 1960 }, () => r() * 6)]);
  const t0 = performance.now();
  const res = await compileGraph(importOnnx(bytes, { source: 'bench100k' }), { calibration: calib, verify: false });
  const compileMs = performance.now() - t0;
  console.log(`model: ${params.toLocaleString('en-US')} params (${res.report.totals.params.toLocaleString('en-US')} after BN folding), ${(res.report.totals.macs / 1e6).toFixed(1)} M MACs, ${res.tflite.length} B .tflite`);
  console.log(`compile (import + passes + calibrate on 8 inputs + quantize + write + plan): ${compileMs.toFixed(0)} ms`);

  const x = quantizeInt8(calib[0][0], res.report.input.scale, res.report.input.zeroPoint);
  const s = await openTfliteRuntime(res.tflite);
  s.run([x]);
  let interp: { invoke(): unknown } | null = null;
  try {
    const { loadTfliteModel, createInterpreter } = await import('../runtime-sim/interpreter/index.js');
    const it = createInterpreter(loadTfliteModel(res.tflite, 'bench100k.tflite'));
    it.setInput(0, x);
    it.invoke();
    interp = it;
  } catch (e) {
    console.log(`interpreter: cannot run the model (${(e as Error).message})`);
  }
  // Interleaved rounds, best rate of each: the machine is shared, and a load spike during one
  // runtime's only window would otherwise decide the ratio.
  const rate = (run: () => void, ms: number): number => {
    let n = 0;
    const t = performance.now();
    while (performance.now() - t < ms) {
      run();
      n++;
    }
    return n / ((performance.now() - t) / 1000);
  };
  let tfliteRate = 0, interpRate = 0;
  for (let round = 0; round < 8; round++) {
    tfliteRate = Math.max(tfliteRate, rate(() => s.run([x]), 350));
    if (interp) interpRate = Math.max(interpRate, rate(() => interp.invoke(), 350));
  }
  s.dispose();
  console.log(`tfjs-tflite (XNNPACK, 1 thread): ${tfliteRate.toFixed(1)} inferences/s`);
  if (interp) {
    console.log(`interpreter (TFLM-exact TS): ${interpRate.toFixed(1)} inferences/s`);
    console.log(`ratio interpreter / tfjs-tflite: ${(interpRate / tfliteRate).toFixed(3)}`);
  }
  await agreementLines();
}

/** Share of equal final outputs and max |diff| (LSB), tfjs-tflite vs interpreter, per fixture and mode. */
async function agreementLines(): Promise<void> {
  for (const name of fixtureNames) {
    const res = await compileGraph(importOnnx(onnxBytes(name), { source: name }), { calibration: calibrationSet(), name, verify: false });
    const q = res.report.input;
    const xs = evaluationIndices().map((i) => quantizeInt8(fixtureInput(i), q.scale, q.zeroPoint));
    const cmp = await compareWholeModel(res.int8Graph, xs, AGREEMENT_MODES);
    if (!cmp.ok) {
      console.log(`agreement ${name}: interpreter cannot run it (${cmp.reason})`);
      continue;
    }
    const cells = cmp.modes.map((m) => `${m.mode} (vs ${m.interpreter} arithmetic) ${(100 * m.equalFraction).toFixed(2)} % equal, max ${m.maxAbsDiff} LSB`);
    console.log(`agreement ${name} (${xs.length} inputs, ${cmp.modes[0].values} outputs): ${cells.join('; ')}`);
  }
}
