/**
 * Hardware-in-the-loop check of the device pipeline against its TS twin: stream PCM as AUDIO,
 * collect RESULT (and FEATURES) records, compare window by window. Today the twin is the
 * placeholder energy pipeline; when the real frontend and model land, the twin becomes
 * runtime-sim's fixed-point frontend + int8 interpreter with the same comparison.
 */
import { energyPipelineInt8, type EnergyWindowInt8 } from '../pipeline/energy-pipeline.js';
import { decodeFeatures, decodeResults, encodeAudio, Flag, MsgType, type ResultRecord } from '../protocol/messages.js';
import type { Session, UploadChunk } from '../protocol/session.js';

export interface TwinMismatch {
  window: number;
  field: 'missing' | 'top' | 'scores' | 'features';
  device: number[] | null;
  twin: number[];
}

export interface TwinComparison {
  windows: number;
  matched: number;
  mismatches: TwinMismatch[];
  /** Device tick counts per window (frontend, model), in window order. */
  ticks: { frontend: number[]; model: number[] };
}

export async function compareWithTwin(
  session: Session,
  pcm: Int16Array,
  opts: {
    chunkSamples?: number;
    window?: number;
    features?: boolean;
    /** Stream as BULK (default): the device sends RESULTs in full frames instead of within 100 ms. */
    bulk?: boolean;
    twin?: (pcm: Int16Array) => EnergyWindowInt8[];
  } = {},
): Promise<TwinComparison> {
  const results = new Map<number, ResultRecord>();
  const features = new Map<number, Int8Array>();
  const listener = (f: { type: number; body: Uint8Array }) => {
    if (f.type === MsgType.RESULT) for (const r of decodeResults(f.body)) results.set(r.window, r);
    if (f.type === MsgType.FEATURES) {
      const fb = decodeFeatures(f.body);
      features.set(fb.window, fb.features);
    }
  };
  session.onStream(listener);
  const chunk = opts.chunkSamples ?? 510;
  await session.command(MsgType.AUDIO, encodeAudio(0, new Int16Array(0)), Flag.START);
  const chunks: UploadChunk[] = [];
  for (let o = 0; o < pcm.length; o += chunk) {
    const e = Math.min(pcm.length, o + chunk);
    const flags = (opts.features ? Flag.FEATURES : 0) | (opts.bulk === false ? 0 : Flag.BULK) | (e === pcm.length ? Flag.END : 0);
    chunks.push({ start: o, end: e, body: encodeAudio(o, pcm.subarray(o, e)), flags });
  }
  await session.upload(MsgType.AUDIO, chunks, { window: opts.window ?? 3, startOffset: 0 });
  // END already made the device ship its held results before the last ACK; HELLO (answered only
  // after held results on every firmware version) also covers firmware 1.0, which ignores END.
  await session.request(MsgType.HELLO);
  session.offStream(listener);
  const twin = (opts.twin ?? energyPipelineInt8)(pcm);
  const mismatches: TwinMismatch[] = [];
  const ticks = { frontend: [] as number[], model: [] as number[] };
  for (const w of twin) {
    const d = results.get(w.window);
    if (!d) {
      mismatches.push({ window: w.window, field: 'missing', device: null, twin: Array.from(w.scores) });
      continue;
    }
    ticks.frontend.push(d.frontendCycles);
    ticks.model.push(d.modelCycles);
    if (d.top !== w.top) mismatches.push({ window: w.window, field: 'top', device: [d.top], twin: [w.top] });
    if (d.scores.some((s, i) => s !== w.scores[i])) mismatches.push({ window: w.window, field: 'scores', device: d.scores, twin: Array.from(w.scores) });
    if (opts.features) {
      const f = features.get(w.window);
      if (!f || f.some((v, i) => v !== w.features[i])) mismatches.push({ window: w.window, field: 'features', device: f ? Array.from(f) : null, twin: Array.from(w.features) });
    }
  }
  const bad = new Set(mismatches.map((m) => m.window));
  return { windows: twin.length, matched: twin.length - bad.size, mismatches, ticks };
}
