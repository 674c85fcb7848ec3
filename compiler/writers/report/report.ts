/**
 * Compile report: per layer parameters, MACs, weight and activation bytes, scales, int8-vs-float
 * SNR and estimated cycles; totals for flash, RAM (arena + persistent) and latency on Cortex-M4
 * @ 168 MHz and M7 @ 480 MHz (COST_MODEL.md). Written as JSON and a static HTML page.
 */
import { CORTEX_M4_168, CORTEX_M7_480, estimateCycles, macsOf } from '../../cost-model.js';
import type { Graph } from '../../ir/graph.js';
import { numElements, tensorOf } from '../../ir/graph.js';
import { barChartSvg, escapeHtml, htmlPage, htmlTable } from '../../../common/html-report.js';

export interface LayerReport {
  index: number;
  name: string;
  op: string;
  activation?: string;
  outputShape: number[];
  params: number;
  macs: number;
  weightBytes: number;
  activationBytes: number;
  inputScale?: number;
  outputScale?: number;
  outputZeroPoint?: number;
  weightScaleMin?: number;
  weightScaleMax?: number;
  /** int8 vs float SNR of this layer's output (dB), see snrSource. */
  snrDb?: number;
  cyclesM4: number;
  cyclesM7: number;
}

export interface AgreementReport {
  inputs: number;
  top1VsFloat: number;
  meanCosineVsFloat: number;
  outputSnrDb: number;
  runtime: 'tfjs-tflite' | 'interpreter';
  /** tfjs-tflite vs interpreter, when both ran. */
  runtimeVsInterpreter?: { equalFraction: number; maxAbsDiff: number; values: number };
  /**
   * tfjs-tflite vs interpreter per verification mode (compiler/verify/agreement.ts AgreementMode):
   * 'tflite' (the file as written vs the interpreter with TFLite's arithmetic), 'double-rounding'
   * (TFLite kernels that round like TFLM vs the TFLM interpreter), 'xnnpack' (the file as written vs
   * the TFLM interpreter: app vs device), 'builtin' (XNNPACK off vs TFLM).
   */
  runtimeVsInterpreterByMode?: { mode: string; interpreter?: string; equalFraction: number; maxAbsDiff: number; values: number }[];
  interpreterNote?: string;
}

export interface CompileReport {
  model: string;
  range: string;
  operators: string[];
  minRuntimeVersion: string;
  input: { name: string; shape: number[]; scale: number; zeroPoint: number };
  output: { name: string; shape: number[]; scale: number; zeroPoint: number };
  layers: LayerReport[];
  snrSource: string;
  totals: {
    params: number;
    macs: number;
    weightBytes: number;
    flashBytes: number;
    arenaPlanBytes: number;
    arenaLowerBoundBytes: number;
    persistentBytesEstimate: number;
    arenaBytes: number;
    ramBytes: number;
    latencyMsM4: number;
    latencyMsM7: number;
  };
  agreement?: AgreementReport;
}

export function layerReports(g: Graph, snr?: Map<string, number>): LayerReport[] {
  return g.nodes.map((n, index) => {
    const out = tensorOf(g, n.outputs[0]);
    const consts = n.inputs.map((i) => tensorOf(g, i)).filter((t) => t.data);
    const w = n.op === 'Conv2D' || n.op === 'DepthwiseConv2D' || n.op === 'TransposeConv2D' || n.op === 'FullyConnected' ? tensorOf(g, n.inputs[1]) : undefined;
    const inQ = tensorOf(g, n.inputs[0]).quant;
    return {
      index,
      name: n.name,
      op: n.op,
      activation: 'activation' in n.attrs ? (n.attrs as { activation: string }).activation : undefined,
      outputShape: out.shape,
      params: consts.reduce((a, t) => a + numElements(t.shape), 0),
      macs: macsOf(g, n),
      weightBytes: consts.reduce((a, t) => a + (t.data ? t.data.byteLength : 0), 0),
      activationBytes: numElements(out.shape) * (out.dtype === 'int8' ? 1 : 4),
      inputScale: inQ?.scale[0],
      outputScale: out.quant?.scale[0],
      outputZeroPoint: out.quant?.zeroPoint[0],
      weightScaleMin: w?.quant ? Math.min(...w.quant.scale) : undefined,
      weightScaleMax: w?.quant ? Math.max(...w.quant.scale) : undefined,
      snrDb: snr?.get(out.name),
      cyclesM4: Math.round(estimateCycles(g, n, CORTEX_M4_168)),
      cyclesM7: Math.round(estimateCycles(g, n, CORTEX_M7_480)),
    };
  });
}

const fmt = (v: number | undefined, digits = 4) => (v === undefined ? '' : Number.isFinite(v) ? (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : Number(v.toPrecision(digits)).toString()) : String(v));

/** Static page built with the shared common/html-report.ts helpers (opens offline). */
export function reportHtml(r: CompileReport): string {
  const t = r.totals;
  const a = r.agreement;
  const summary: (string | number)[][] = [
    ['parameters', fmt(t.params)],
    ['MACs', fmt(t.macs)],
    ['flash (.tflite)', `${fmt(t.flashBytes)} B`],
    ['RAM (tensor arena)', `${fmt(t.arenaBytes)} B = plan ${fmt(t.arenaPlanBytes)} B (lower bound ${fmt(t.arenaLowerBoundBytes)} B) + persistent estimate ${fmt(t.persistentBytesEstimate)} B`],
    ['latency, Cortex-M4 @ 168 MHz (estimate)', `${t.latencyMsM4.toFixed(2)} ms`],
    ['latency, Cortex-M7 @ 480 MHz (estimate)', `${t.latencyMsM7.toFixed(2)} ms`],
    ['input', `${escapeHtml(r.input.name)} [${r.input.shape.join('×')}] int8, scale ${fmt(r.input.scale, 6)}, zero point ${r.input.zeroPoint}`],
    ['output', `[${r.output.shape.join('×')}] int8, scale ${fmt(r.output.scale, 6)}, zero point ${r.output.zeroPoint}`],
    ['calibration range', escapeHtml(r.range)],
    ['operators', `${r.operators.join(', ')} (min runtime ${escapeHtml(r.minRuntimeVersion)})`],
  ];
  if (a) {
    summary.push(['top-1 agreement with float', `${(a.top1VsFloat * 100).toFixed(1)} % on ${a.inputs} inputs (${a.runtime})`]);
    summary.push(['mean cosine / output SNR', `${a.meanCosineVsFloat.toFixed(4)} / ${fmt(a.outputSnrDb, 3)} dB`]);
    if (a.runtimeVsInterpreter)
      summary.push(['tfjs-tflite vs interpreter', `${(a.runtimeVsInterpreter.equalFraction * 100).toFixed(2)} % equal, max ${a.runtimeVsInterpreter.maxAbsDiff} LSB`]);
    for (const m of a.runtimeVsInterpreterByMode ?? [])
      summary.push([`tfjs-tflite (${escapeHtml(m.mode)}) vs interpreter (${escapeHtml(m.interpreter ?? 'tflm')} arithmetic)`, `${(m.equalFraction * 100).toFixed(2)} % equal, max ${m.maxAbsDiff} LSB`]);
    if (a.interpreterNote) summary.push(['interpreter', escapeHtml(a.interpreterNote)]);
  }
  const rows = r.layers.map((l) => [
    l.index,
    escapeHtml(l.name),
    `${l.op}${l.activation && l.activation !== 'NONE' ? `+${l.activation}` : ''}`,
    `[${l.outputShape.join('×')}]`,
    fmt(l.params),
    fmt(l.macs),
    fmt(l.weightBytes),
    fmt(l.activationBytes),
    fmt(l.outputScale),
    l.outputZeroPoint ?? '',
    fmt(l.snrDb, 3),
    fmt(l.cyclesM4),
  ]);
  const chart = barChartSvg({
    title: 'int8 vs float SNR per layer (dB)',
    labels: r.layers.map((l) => `${l.index}`),
    values: r.layers.map((l) => l.snrDb ?? 0),
    yLabel: 'dB',
    xLabel: 'layer',
    yMax: 80,
  });
  return htmlPage(`tinyser compile report: ${r.model}`, [
    { title: 'Summary', html: htmlTable(['', ''], summary, 2) },
    { title: 'Layers', html: htmlTable(['#', 'name', 'op', 'output', 'params', 'MACs', 'weight B', 'act. B', 'out scale', 'out zp', 'SNR dB', 'M4 cycles'], rows, 3) },
    { title: 'Quantisation noise', html: `${chart}<p class="muted">${escapeHtml(r.snrSource)}. Latency figures come from compiler/COST_MODEL.md.</p>` },
  ]);
}
