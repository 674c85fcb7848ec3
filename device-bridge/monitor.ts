/**
 * `tinyser monitor` as a library: records RESULT windows to an append-only JSONL file, one line
 * per window, flushed (synchronously written) as each arrives. The record is keyed by window
 * index: re-running on an existing record skips what it holds, so Ctrl-C and restarts neither
 * lose nor duplicate. With `audio`, the monitor also feeds the device: after a device reset or a
 * lost RESULT frame it asks for replays from the device's history, or restarts the audio at the
 * first missing window, until every window of the clip is recorded once. Records are written one
 * by one as they arrive, whether the device batched them in one RESULT frame or many.
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { ProtocolError } from './protocol/errors.js';
import type { Frame } from './protocol/frame.js';
import { decodeAck, decodeInfo, decodeResults, encodeAudio, encodeReplay, Flag, MsgType, NakCode, type ResultRecord } from './protocol/messages.js';
import { ResultWireMeter, type ResultWireCost } from './protocol/result-batch.js';
import type { Session, StreamGap, UploadChunk } from './protocol/session.js';

export interface RecordedResult extends ResultRecord {
  epoch: number;
  replayed: boolean;
}

export interface MonitorAudio {
  pcm: Int16Array;
  /** Samples per AUDIO frame (default 500: 1004-byte bodies). Small values suit lossy links. */
  chunkSamples?: number;
  /** Unacknowledged AUDIO frames in flight (the device's RX ring holds 4 KiB). */
  window?: number;
  /**
   * Feed the clip as a BULK stream (RESULT records in full frames, ~1.02 wire bytes per record
   * byte, instead of leaving within the device's 100 ms hold time). 'auto' (default): bulk while
   * the link is clean; once a damaged frame or a stream gap was seen, live batching, because a
   * damaged full frame loses 60 records at once and a short one a few.
   */
  bulk?: boolean | 'auto';
}

export interface MonitorOptions {
  session: Session;
  recordPath?: string;
  audio?: MonitorAudio;
  onResult?: (r: RecordedResult) => void;
  onEvent?: (e: MonitorEvent) => void;
  signal?: AbortSignal;
  /** Audio rounds (feed, replay) before giving up on still-missing windows. */
  maxRounds?: number;
}

export type MonitorEvent = { kind: 'reset'; epoch: number } | { kind: 'gap'; gap: StreamGap } | { kind: 'replay'; from: number; count: number } | { kind: 'restart'; fromWindow: number; bulk: boolean };

export interface MonitorReport {
  recorded: number;
  alreadyRecorded: number;
  duplicatesIgnored: number;
  replayed: number;
  resets: number;
  gaps: StreamGap[];
  badFrames: number;
  windowsExpected?: number;
  missing: number[];
  rounds: number;
  /** What the streamed RESULT frames of this run cost on the wire (replays excluded). */
  resultWire: ResultWireCost;
}

class ResultRecorder {
  readonly have = new Set<number>();
  private fd: number | undefined;
  recorded = 0;
  duplicates = 0;
  constructor(path: string | undefined) {
    if (!path) return;
    if (existsSync(path)) {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          this.have.add((JSON.parse(line) as { window: number }).window);
        } catch {
          // A line torn by a crash mid-write: its window is simply recorded again.
        }
      }
    }
    this.fd = openSync(path, 'a');
  }
  get preexisting(): number {
    return this.have.size - this.recorded;
  }
  add(r: RecordedResult): boolean {
    if (this.have.has(r.window)) {
      this.duplicates++;
      return false;
    }
    this.have.add(r.window);
    this.recorded++;
    if (this.fd !== undefined) writeSync(this.fd, JSON.stringify({ window: r.window, top: r.top, scores: r.scores, frontendCycles: r.frontendCycles, modelCycles: r.modelCycles, epoch: r.epoch, replayed: r.replayed }) + '\n');
    return true;
  }
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export async function runMonitor(opts: MonitorOptions): Promise<MonitorReport> {
  const { session } = opts;
  const rec = new ResultRecorder(opts.recordPath);
  let epoch = 0;
  let replayed = 0;
  let resetSeen = 0;
  const gapsBefore = session.stats.gaps.length;
  const onRecords = (records: ResultRecord[], wasReplayed: boolean) => {
    for (const r of records) {
      const rr: RecordedResult = { ...r, epoch, replayed: wasReplayed };
      if (rec.add(rr)) {
        if (wasReplayed) replayed++;
        opts.onResult?.(rr);
      }
    }
  };
  let gapCount = session.stats.gaps.length;
  const meter = new ResultWireMeter();
  const stream = (f: Frame) => {
    meter.addFrame(f.type, f.flags, f.seq, f.body);
    while (gapCount < session.stats.gaps.length) opts.onEvent?.({ kind: 'gap', gap: session.stats.gaps[gapCount++]! });
    if (f.type === MsgType.INFO && f.flags & Flag.ANNOUNCE) {
      epoch++;
      resetSeen++;
      opts.onEvent?.({ kind: 'reset', epoch });
    } else if (f.type === MsgType.RESULT) onRecords(decodeResults(f.body), false);
  };
  const reply = (f: Frame) => {
    if (f.type === MsgType.RESULT && f.flags & Flag.REPLAYED) onRecords(decodeResults(f.body), true);
  };
  session.onStream(stream);
  session.onReply(reply);
  let rounds = 0;
  let windowsExpected: number | undefined;
  const missingBelow = (n: number) => {
    const m: number[] = [];
    for (let w = 0; w < n; w++) if (!rec.have.has(w)) m.push(w);
    return m;
  };
  try {
    if (!opts.audio) {
      await new Promise<void>((resolve) => {
        if (opts.signal?.aborted) return resolve();
        opts.signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    } else {
      const info = decodeInfo((await session.request(MsgType.HELLO)).body);
      const { pcm } = opts.audio;
      const hop = info.hopSamples;
      const win = info.windowSamples;
      const n = pcm.length < win ? 0 : Math.floor((pcm.length - win) / hop) + 1;
      windowsExpected = n;
      const chunk = opts.audio.chunkSamples ?? 500;
      const maxRounds = opts.maxRounds ?? 20;
      while (!opts.signal?.aborted && rounds < maxRounds) {
        let missing = missingBelow(n);
        if (missing.length === 0) break;
        rounds++;
        // Replay first: windows the device computed but whose RESULT frame was lost.
        // (Not in round 1: the device's history may hold another clip's windows.)
        if (rounds > 1) missing = await replayMissing(session, missing, opts, () => missingBelow(n));
        if (missing.length === 0) break;
        const first = missing[0]!;
        const bulk = wantBulk(session, opts.audio.bulk ?? 'auto');
        opts.onEvent?.({ kind: 'restart', fromWindow: first, bulk });
        const startOffset = first * hop;
        const resetsAtStart = session.stats.resets;
        try {
          await session.command(MsgType.AUDIO, encodeAudio(startOffset, new Int16Array(0)), Flag.START);
          const chunks: UploadChunk[] = [];
          for (let o = startOffset; o < pcm.length; o += chunk) {
            const e = Math.min(pcm.length, o + chunk);
            chunks.push({ start: o, end: e, body: encodeAudio(o, pcm.subarray(o, e)), flags: (bulk ? Flag.BULK : 0) | (e === pcm.length ? Flag.END : 0) });
          }
          await session.upload(MsgType.AUDIO, chunks, { window: opts.audio.window ?? 3, startOffset, abortIf: () => session.stats.resets !== resetsAtStart || opts.signal?.aborted === true });
          // END made the device ship its held results before the last ACK; HELLO (answered after
          // held results by every firmware version) covers a lost END and firmware 1.0.
          await session.request(MsgType.HELLO);
        } catch (e) {
          if (!(e instanceof ProtocolError)) throw e;
          if (opts.signal?.aborted) break;
          if (session.stats.resets === resetsAtStart) throw e;
          // The device reset under us: the next round restarts at the first missing window.
        }
      }
    }
  } finally {
    session.offStream(stream);
    session.offReply(reply);
    rec.close();
  }
  const badFrames = session.stats.decoder.framesBad;
  return {
    recorded: rec.recorded,
    alreadyRecorded: rec.preexisting,
    duplicatesIgnored: rec.duplicates,
    replayed,
    resets: resetSeen,
    gaps: session.stats.gaps.slice(gapsBefore),
    badFrames,
    windowsExpected,
    missing: windowsExpected === undefined ? [] : missingBelow(windowsExpected),
    rounds,
    resultWire: meter.cost,
  };
}

/** A damaged link favours short RESULT frames: one corrupted byte costs the whole frame. */
function linkDamaged(session: Session): boolean {
  return session.stats.decoder.framesBad > 0 || session.stats.gaps.length > 0;
}

function wantBulk(session: Session, bulk: boolean | 'auto'): boolean {
  return bulk === 'auto' ? !linkDamaged(session) : bulk;
}

/** Windows per REPLAY request on a damaged link (a replayed frame can be lost too). */
const REPLAY_RUN_DAMAGED_LINK = 8;

/**
 * Asks the device to resend each run of missing windows (a few passes: a replayed frame can be
 * lost too); returns what is still missing.
 */
async function replayMissing(session: Session, missing: number[], opts: MonitorOptions, recompute: () => number[]): Promise<number[]> {
  const REPLAY_PASSES = 4;
  for (let pass = 0; pass < REPLAY_PASSES && missing.length > 0; pass++) {
    const runs: [number, number][] = [];
    const maxRun = linkDamaged(session) ? REPLAY_RUN_DAMAGED_LINK : Infinity;
    for (const w of missing) {
      const last = runs[runs.length - 1];
      if (last && last[0] + last[1] === w && last[1] < maxRun) last[1]++;
      else runs.push([w, 1]);
    }
    let gone = false;
    for (const [from, count] of runs) {
      opts.onEvent?.({ kind: 'replay', from, count });
      const f = await session.request(MsgType.REPLAY, encodeReplay(from, count));
      if (f.type === MsgType.NAK && decodeAck(f.body).code === NakCode.REPLAY_GONE) gone = true;
    }
    missing = recompute();
    if (gone) break; // the device no longer has them: only re-feeding the audio helps
  }
  return missing;
}
