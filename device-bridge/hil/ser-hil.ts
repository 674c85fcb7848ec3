/**
 * Hardware-in-the-loop run of the speech-emotion pipeline: each clip is streamed to the device as
 * AUDIO (with FEATURES), the device's per-window features / int8 scores / tick counts are compared
 * bit for bit with the TS twin (runtime-sim fixed frontend + int8 interpreter), and the tick counts
 * become per-stage latency percentiles, checked against an optional budget.
 *
 * Ticks are the board's SysTick at INFO.cpuHz (25 MHz on mps2-an386). Under QEMU -icount shift=0
 * one tick = 40 emulated instructions: these are instruction counts, not Cortex-M4 cycles.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { TinyserError } from '../../common/errors.js';
import { defaultFrontendConfig, parseFrontendConfig } from '../../runtime-sim/frontend/index.js';
import { frontendForModel, loadSerSpec } from '../firmware/ser-build.js';
import type { Frame } from '../protocol/frame.js';
import { decodeInfo, decodeResults, MsgType, type DeviceInfo } from '../protocol/messages.js';
import { ResultWireMeter, type ResultWireCost } from '../protocol/result-batch.js';
import type { Session } from '../protocol/session.js';
import { serGeometry, serPipelineInt8, type SerPipelineSpec, type SerWindowInt8 } from '../pipeline/ser-pipeline.js';
import { compareWithTwin, type TwinComparison, type TwinMismatch } from './compare-twin.js';

export type LatencyStage = 'frontend' | 'model' | 'total';

export interface LatencyStats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface StageLatency {
  ticks: LatencyStats;
  ms: LatencyStats;
}

export interface SerClip {
  name: string;
  pcm: Int16Array;
}

export interface SerClipResult {
  name: string;
  windows: number;
  matched: number;
  bitExact: boolean;
  mismatches: TwinMismatch[];
  /** Device scores per twin window (window order; a missing window reads as zeros and is a mismatch). */
  deviceScores: Int8Array[];
  twinScores: Int8Array[];
}

export const latencyBudgetSchema = z
  .object({
    statistic: z.enum(['p50', 'p95', 'p99', 'max']).default('p99').describe('which percentile must stay under the limits'),
    frontendMs: z.number().positive().optional(),
    modelMs: z.number().positive().optional(),
    totalMs: z.number().positive().optional(),
  })
  .strict();
export type LatencyBudget = z.output<typeof latencyBudgetSchema>;

export interface BudgetCheck {
  stage: LatencyStage;
  statistic: LatencyBudget['statistic'];
  limitMs: number;
  measuredMs: number;
  pass: boolean;
}

export interface SerHilReport {
  device: DeviceInfo;
  clockHz: number;
  clips: SerClipResult[];
  windows: number;
  matched: number;
  bitExact: boolean;
  latency: Record<LatencyStage, StageLatency>;
  budget: BudgetCheck[];
  /** What the streamed RESULT frames cost on the wire (clips go as BULK streams: full frames). */
  resultWire: ResultWireCost;
  pass: boolean;
}

export function loadLatencyBudget(file: string): LatencyBudget {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TinyserError('INPUT', `${file}: cannot read the latency budget: ${(e as Error).message}`, { file });
  }
  const r = latencyBudgetSchema.safeParse(raw);
  if (!r.success) throw new TinyserError('CONFIG', `${file}: invalid budget: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, { file });
  return r.data;
}

/** Nearest-rank percentiles. */
export function latencyStats(values: readonly number[]): LatencyStats {
  const s = [...values].sort((a, b) => a - b);
  const rank = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : 0);
  return { count: s.length, p50: rank(50), p95: rank(95), p99: rank(99), max: s.length ? s[s.length - 1]! : 0 };
}

function toMs(s: LatencyStats, hz: number): LatencyStats {
  const f = (t: number) => (t * 1000) / hz;
  return { count: s.count, p50: f(s.p50), p95: f(s.p95), p99: f(s.p99), max: f(s.max) };
}

export interface SerHilOptions {
  budget?: LatencyBudget;
  /** AUDIO samples per frame (default 510: a full 1024-byte body). */
  chunkSamples?: number;
  /** Unacknowledged AUDIO frames in flight (go-back-N window, default 3). */
  uploadWindow?: number;
  onClip?: (done: number, total: number, clip: SerClipResult) => void;
}

export async function runSerHil(session: Session, spec: SerPipelineSpec, clips: readonly SerClip[], opts: SerHilOptions = {}): Promise<SerHilReport> {
  const device = decodeInfo((await session.request(MsgType.HELLO)).body);
  const g = serGeometry(spec);
  if (device.windowSamples !== g.windowSamples || device.hopSamples !== g.hopSamples || device.numClasses !== g.numClasses) {
    throw new TinyserError(
      'DEVICE',
      `the device runs windows of ${device.windowSamples}/${device.hopSamples} samples with ${device.numClasses} classes, the model spec needs ${g.windowSamples}/${g.hopSamples} with ${g.numClasses}: flash the firmware built for this model`,
      { device: { windowSamples: device.windowSamples, hopSamples: device.hopSamples, numClasses: device.numClasses }, spec: g },
    );
  }
  const frontendTicks: number[] = [];
  const modelTicks: number[] = [];
  const totalTicks: number[] = [];
  const results: SerClipResult[] = [];
  const meter = new ResultWireMeter();
  const metering = (f: Frame) => meter.addFrame(f.type, f.flags, f.seq, f.body);
  session.onStream(metering);
  try {
    for (const clip of clips) {
      const twin: SerWindowInt8[] = serPipelineInt8(spec, clip.pcm);
      const deviceResults = new Map<number, Int8Array>();
      const listener = (f: Frame) => {
        if (f.type === MsgType.RESULT) for (const rec of decodeResults(f.body)) deviceResults.set(rec.window, Int8Array.from(rec.scores));
      };
      session.onStream(listener);
      let cmp: TwinComparison;
      try {
        cmp = await compareWithTwin(session, clip.pcm, { features: true, chunkSamples: opts.chunkSamples, window: opts.uploadWindow, twin: () => twin });
      } finally {
        session.offStream(listener);
      }
      cmp.ticks.frontend.forEach((f, i) => {
        const m = cmp.ticks.model[i]!;
        frontendTicks.push(f);
        modelTicks.push(m);
        totalTicks.push(f + m);
      });
      const r: SerClipResult = {
        name: clip.name,
        windows: cmp.windows,
        matched: cmp.matched,
        bitExact: cmp.mismatches.length === 0,
        mismatches: cmp.mismatches,
        deviceScores: twin.map((w) => deviceResults.get(w.window) ?? new Int8Array(g.numClasses)),
        twinScores: twin.map((w) => w.scores),
      };
      results.push(r);
      opts.onClip?.(results.length, clips.length, r);
    }
  } finally {
    session.offStream(metering);
  }
  const hz = device.cpuHz;
  const stage = (v: number[]): StageLatency => {
    const t = latencyStats(v);
    return { ticks: t, ms: toMs(t, hz) };
  };
  const latency = { frontend: stage(frontendTicks), model: stage(modelTicks), total: stage(totalTicks) };
  const budget: BudgetCheck[] = [];
  if (opts.budget) {
    const b = opts.budget;
    for (const [st, limit] of [['frontend', b.frontendMs], ['model', b.modelMs], ['total', b.totalMs]] as const) {
      if (limit === undefined) continue;
      const measuredMs = latency[st].ms[b.statistic];
      budget.push({ stage: st, statistic: b.statistic, limitMs: limit, measuredMs, pass: measuredMs <= limit });
    }
  }
  const windows = results.reduce((a, r) => a + r.windows, 0);
  const matched = results.reduce((a, r) => a + r.matched, 0);
  const bitExact = results.every((r) => r.bitExact);
  return { device, clockHz: hz, clips: results, windows, matched, bitExact, latency, budget, resultWire: meter.cost, pass: bitExact && budget.every((c) => c.pass) };
}

function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** JUnit XML: one test case per clip (bit-exact with the twin) and one per budget limit. */
export function serHilJunit(r: SerHilReport, suite = 'tinyser-hil'): string {
  const cases: string[] = [];
  for (const c of r.clips) {
    const fail = c.bitExact
      ? ''
      : `<failure message="${xmlEscape(`${c.windows - c.matched} of ${c.windows} windows differ from the simulator`)}">${xmlEscape(
          c.mismatches.slice(0, 20).map((m) => `window ${m.window} ${m.field}: device ${JSON.stringify(m.device)} twin ${JSON.stringify(m.twin)}`).join('\n'),
        )}</failure>`;
    cases.push(`  <testcase classname="bit-exact" name="${xmlEscape(c.name)}">${fail}</testcase>`);
  }
  for (const b of r.budget) {
    const fail = b.pass ? '' : `<failure message="${xmlEscape(`${b.stage} ${b.statistic} ${b.measuredMs.toFixed(3)} ms > ${b.limitMs} ms`)}"/>`;
    cases.push(`  <testcase classname="latency-budget" name="${b.stage} ${b.statistic} <= ${b.limitMs} ms">${fail}</testcase>`);
  }
  const failures = r.clips.filter((c) => !c.bitExact).length + r.budget.filter((b) => !b.pass).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="${xmlEscape(suite)}" tests="${cases.length}" failures="${failures}">\n${cases.join('\n')}\n</testsuite>\n`;
}

/**
 * The twin spec for a device: a SER firmware build folder (ser-spec.json), or a compiler output
 * folder (model.tflite + optional frontend.json) whose window hop is taken from the device's INFO.
 */
export function serSpecForDevice(dir: string, device: DeviceInfo): SerPipelineSpec {
  if (existsSync(join(dir, 'ser-spec.json')) || dir.endsWith('.json')) return loadSerSpec(dir);
  const tfl = join(dir, 'model.tflite');
  if (!existsSync(tfl)) throw new TinyserError('INPUT', `${dir}: neither ser-spec.json (firmware build folder) nor model.tflite (compiler output)`, { dir });
  const fe = join(dir, 'frontend.json');
  const base = existsSync(fe) ? parseFrontendConfig(JSON.parse(readFileSync(fe, 'utf8')), fe) : defaultFrontendConfig();
  const tflite = new Uint8Array(readFileSync(tfl));
  const frontend = frontendForModel(base, tflite, tfl);
  if (device.hopSamples % frontend.hopSamples !== 0) {
    throw new TinyserError('DEVICE', `the device hops ${device.hopSamples} samples, not a whole number of ${frontend.hopSamples}-sample frames: is it running the SER firmware?`);
  }
  return { frontend, tflite, hopFrames: device.hopSamples / frontend.hopSamples, modelName: tfl };
}
