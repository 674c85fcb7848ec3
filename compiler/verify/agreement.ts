/**
 * Agreement checks of a compiled .tflite: int8 run vs float reference (top-1, cosine), and the
 * real TFLite runtime (tfjs-tflite) vs our int8 interpreter (runtime-sim/interpreter), op by op
 * and on the whole model, in the modes of AgreementMode below. The interpreter reproduces TFLM by
 * default (what the device runs) and the TFLite runtime's own arithmetic on request
 * ({ arithmetic: 'tflite' }); compiler/README.md has the figures and the reasons.
 */
import { TinyserError } from '../../common/errors.js';
import type { Arithmetic } from '../../runtime-sim/interpreter/interpreter.js';
import type { Graph } from '../ir/graph.js';
import { doubleRoundingVariant } from './double-rounding-variant.js';
import { openTfliteRuntime, type TfliteKernels } from './tflite-runtime.js';

export function quantizeInt8(values: ArrayLike<number>, scale: number, zeroPoint: number): Int8Array {
  const out = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.max(-128, Math.min(127, Math.round(values[i] / scale) + zeroPoint));
  return out;
}

export function dequantizeInt8(q: ArrayLike<number>, scale: number, zeroPoint: number): Float64Array {
  return Float64Array.from(q as ArrayLike<number>, (v) => (v - zeroPoint) * scale);
}

export function argmax(a: ArrayLike<number>): number {
  let b = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[b]) b = i;
  return b;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (na === 0 && nb === 0) return 1;
  return d / Math.sqrt(na * nb || 1);
}

export function snrDb(reference: ArrayLike<number>, test: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < reference.length; i++) {
    s += reference[i] * reference[i];
    n += (reference[i] - test[i]) ** 2;
  }
  if (n === 0) return Infinity;
  return 10 * Math.log10(s / n);
}

export interface LsbAgreement {
  values: number;
  equal: number;
  /** Fraction of output values that are exactly equal. */
  equalFraction: number;
  maxAbsDiff: number;
}

export function compareInt8(a: ArrayLike<number>[], b: ArrayLike<number>[]): LsbAgreement {
  let values = 0;
  let equal = 0;
  let maxAbsDiff = 0;
  a.forEach((x, k) => {
    for (let i = 0; i < x.length; i++) {
      values++;
      const d = Math.abs(x[i] - b[k][i]);
      if (d === 0) equal++;
      maxAbsDiff = Math.max(maxAbsDiff, d);
    }
  });
  return { values, equal, equalFraction: values ? equal / values : 1, maxAbsDiff };
}

/** Runs int8 inputs through the real TFLite runtime (one session for all inputs). */
export async function runInt8WithTfliteRuntime(tflite: Uint8Array, inputs: Int8Array[], kernels: TfliteKernels = 'xnnpack'): Promise<Int8Array[]> {
  const s = await openTfliteRuntime(tflite, { kernels });
  try {
    return inputs.map((x) => Int8Array.from(s.run([x])[0] as ArrayLike<number>));
  } finally {
    s.dispose();
  }
}

export type InterpreterRun = { ok: true; outputs: Int8Array[] } | { ok: false; reason: string };

/**
 * Runs int8 inputs through runtime-sim/interpreter with TFLM's arithmetic (default) or the TFLite
 * runtime's. If the interpreter cannot run the model yet (an op without a kernel), returns the
 * reason instead of throwing, so compile still reports.
 */
export async function runInt8WithInterpreter(tflite: Uint8Array, inputs: Int8Array[], arithmetic: Arithmetic = 'tflm'): Promise<InterpreterRun> {
  try {
    const { loadTfliteModel, createInterpreter } = await import('../../runtime-sim/interpreter/index.js');
    const it = createInterpreter(loadTfliteModel(tflite, 'compiled.tflite'), { arithmetic });
    const outputs = inputs.map((x) => {
      it.setInput(0, x);
      it.invoke();
      return Int8Array.from(it.output(0).data as ArrayLike<number>);
    });
    return { ok: true, outputs };
  } catch (e) {
    if (e instanceof TinyserError || (e instanceof Error && /Cannot find module|ERR_MODULE_NOT_FOUND/.test(e.message)))
      return { ok: false, reason: e.message };
    throw e;
  }
}

export interface LayerAgreement {
  node: string;
  op: string;
  values: number;
  equalFraction: number;
  maxAbsDiff: number;
}

/**
 * Op-by-op comparison of the real TFLite runtime with the interpreter: the interpreter runs the
 * whole model (dumping every tensor); then each op is written as a one-op .tflite, fed the
 * interpreter's int8 inputs of that op, run in tfjs-tflite, and compared with the interpreter's
 * output of that op. With TFLM's arithmetic one requantisation can differ by 1 LSB from XNNPACK's
 * fp32 requantisation (and the differences compound end to end); with the TFLite runtime's
 * arithmetic every op is expected to be equal.
 */
export async function compareOpByOp(
  q: Graph,
  inputs: Int8Array[],
  kernels: TfliteKernels = 'xnnpack',
  arithmetic: Arithmetic = 'tflm',
): Promise<{ ok: true; layers: LayerAgreement[] } | { ok: false; reason: string }> {
  const { writeTflite } = await import('../writers/tflite/tflite-writer.js');
  const full = writeTflite(q);
  let dumps: Map<number, { bytes: Uint8Array }>[];
  try {
    const { loadTfliteModel, createInterpreter } = await import('../../runtime-sim/interpreter/index.js');
    const it = createInterpreter(loadTfliteModel(full.bytes, 'compiled.tflite'), { arithmetic });
    dumps = inputs.map((x) => {
      it.setInput(0, x);
      return it.invoke({ dumpAll: true }) as Map<number, { bytes: Uint8Array }>;
    });
  } catch (e) {
    if (e instanceof TinyserError) return { ok: false, reason: e.message };
    throw e;
  }
  const int8Of = (dump: Map<number, { bytes: Uint8Array }>, name: string) => {
    const b = dump.get(full.tensorIndex.get(name)!)!.bytes;
    return new Int8Array(b.buffer, b.byteOffset, b.length);
  };
  const layers: LayerAgreement[] = [];
  for (const n of q.nodes) {
    const actIns = n.inputs.filter((i) => q.tensors.get(i)!.data === undefined);
    const g1 = { ...q, nodes: [n], inputs: actIns, outputs: [n.outputs[0]] };
    const one = writeTflite(g1).bytes;
    const s = await openTfliteRuntime(one, { kernels });
    try {
      const rt = dumps.map((d) => Int8Array.from(s.run(actIns.map((i) => int8Of(d, i)))[0] as ArrayLike<number>));
      const ref = dumps.map((d) => int8Of(d, n.outputs[0]));
      const c = compareInt8(rt, ref);
      layers.push({ node: n.name, op: n.op, values: c.values, equalFraction: c.equalFraction, maxAbsDiff: c.maxAbsDiff });
    } finally {
      s.dispose();
    }
  }
  return { ok: true, layers };
}

/**
 * What is compared on the whole model (runtime side / interpreter side):
 * - 'tflite': the file as written in the TFLite runtime (XNNPACK takes the convolutions, FCs, MUL,
 *   ADD, LEAKY_RELU) / the interpreter with the TFLite runtime's arithmetic. Expected equal: this
 *   is the check that our interpreter predicts what TFLite outputs for the file we wrote.
 * - 'double-rounding': double-rounding-variant.ts's rewrite (CONV_2D and FULLY_CONNECTED computed
 *   by TFLite's DEPTHWISE_CONV_2D kernel, which rounds as TFLM does) with XNNPACK off / the TFLM
 *   interpreter. Expected equal: TFLite's own kernels confirm the TFLM numbers. A final SOFTMAX is
 *   left out on both sides (the logits are compared): TFLite has only its float-table softmax,
 *   a different algorithm from TFLM's fixed-point one (1 LSB apart on rare values).
 * - 'xnnpack': the file as written / the TFLM interpreter: how far what an app gets from TFLite is
 *   from what the device (TFLM) computes; XNNPACK rounds once in fp32 where TFLM rounds twice in
 *   fixed point, so 1-LSB differences appear in a fraction of a percent of values per layer and
 *   compound through the layers. Reported, not a pass/fail check.
 * - 'builtin': the file with XNNPACK off (builtin-kernels-only.ts) / the TFLM interpreter:
 *   CONV_2D still runs through ruy (single rounding). Reported.
 */
export type AgreementMode = 'tflite' | 'double-rounding' | TfliteKernels;
export const AGREEMENT_MODES: readonly AgreementMode[] = ['tflite', 'double-rounding', 'xnnpack', 'builtin'];

/** The modes whose whole-model outputs must equal the interpreter's (the others are measurements). */
export const EXACT_AGREEMENT_MODES: readonly AgreementMode[] = ['tflite', 'double-rounding'];

/** A one-line label for reports: what runs on each side. */
export const AGREEMENT_MODE_LABELS: Readonly<Record<AgreementMode, string>> = {
  tflite: 'file as written in TFLite vs interpreter (TFLite arithmetic)',
  'double-rounding': 'TFLite double-rounding kernels vs interpreter (TFLM arithmetic; up to a final softmax)',
  xnnpack: 'TFLite (app) vs TFLM (device): file as written vs interpreter (TFLM arithmetic)',
  builtin: 'TFLite without XNNPACK vs interpreter (TFLM arithmetic)',
};

/** The interpreter's arithmetic a mode compares against. */
export function interpreterArithmeticOf(mode: AgreementMode): Arithmetic {
  return mode === 'tflite' ? 'tflite' : 'tflm';
}

/**
 * The graph a mode compares: `q` itself, or for 'double-rounding' `q` without a final SOFTMAX
 * (its output becomes the logits) so that only ops with a TFLM-rounding TFLite kernel remain.
 */
export function comparedGraphOf(q: Graph, mode: AgreementMode): Graph {
  if (mode !== 'double-rounding') return q;
  const last = q.nodes.at(-1);
  if (!last || last.op !== 'Softmax' || q.outputs.length !== 1 || last.outputs[0] !== q.outputs[0]) return q;
  return { ...q, nodes: q.nodes.slice(0, -1), outputs: [last.inputs[0]!] };
}

/** Runs the quantised graph `q` (as writeTflite writes it) in the TFLite runtime in the given mode. */
export async function runInt8GraphWithTfliteRuntime(q: Graph, inputs: Int8Array[], mode: AgreementMode): Promise<Int8Array[]> {
  const { writeTflite } = await import('../writers/tflite/tflite-writer.js');
  if (mode === 'double-rounding') return runInt8WithTfliteRuntime(writeTflite(doubleRoundingVariant(comparedGraphOf(q, mode)).graph).bytes, inputs, 'builtin');
  return runInt8WithTfliteRuntime(writeTflite(q).bytes, inputs, mode === 'tflite' ? 'xnnpack' : mode);
}

export interface WholeModelAgreement extends LsbAgreement {
  mode: AgreementMode;
  /** The interpreter's arithmetic in this comparison. */
  interpreter: Arithmetic;
}

/**
 * Whole-model agreement of the real TFLite runtime with the interpreter on the final outputs, in
 * each requested mode; `{ ok: false }` when the interpreter cannot run the model.
 */
export async function compareWholeModel(
  q: Graph,
  inputs: Int8Array[],
  modes: readonly AgreementMode[] = AGREEMENT_MODES,
): Promise<{ ok: true; modes: WholeModelAgreement[]; skipped: { mode: AgreementMode; reason: string }[] } | { ok: false; reason: string }> {
  const { writeTflite } = await import('../writers/tflite/tflite-writer.js');
  const interp = new Map<string, InterpreterRun>();
  const out: WholeModelAgreement[] = [];
  const skipped: { mode: AgreementMode; reason: string }[] = [];
  for (const mode of modes) {
    const arithmetic = interpreterArithmeticOf(mode);
    const g = comparedGraphOf(q, mode);
    const key = `${arithmetic}:${g === q ? 'full' : 'logits'}`;
    if (!interp.has(key)) interp.set(key, await runInt8WithInterpreter(writeTflite(g).bytes, inputs, arithmetic));
    const r = interp.get(key)!;
    // a mode the interpreter cannot run (an op without a kernel, or not modelled in that arithmetic) is skipped with its reason
    if (!r.ok) skipped.push({ mode, reason: r.reason });
    else out.push({ mode, interpreter: arithmetic, ...compareInt8(await runInt8GraphWithTfliteRuntime(q, inputs, mode), r.outputs) });
  }
  if (out.length === 0 && skipped.length > 0) return { ok: false, reason: skipped[0]!.reason };
  return { ok: true, modes: out, skipped };
}
