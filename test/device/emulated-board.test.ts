/** Firmware built with arm-none-eabi-gcc, run in QEMU (mps2-an386), talked to over its pty. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import wav from 'node-wav';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FirmwareBuild } from '../../device-bridge/firmware/build.js';
import { energyPipelineInt8 } from '../../device-bridge/pipeline/energy-pipeline.js';
import { decodeFeatures, decodeInfo, decodeResults, decodeStats, encodeAudio, Flag, MsgType, type ResultRecord } from '../../device-bridge/protocol/messages.js';
import type { UploadChunk } from '../../device-bridge/protocol/session.js';
import type { Frame } from '../../device-bridge/protocol/frame.js';
import { compareWithTwin } from '../../device-bridge/hil/compare-twin.js';
import { resultRecordsPerFrame, ResultWireMeter } from '../../device-bridge/protocol/result-batch.js';
import { buildForTest, skipReason, startBoard, stopBoard, syntheticSpeech, type Board } from './board-fixture.js';

const sharedDir = resolve(__dirname, '../..', '../shared');
const ravdess = join(sharedDir, 'datasets/ravdess-4class-16k');

interface Streamed {
  results: ResultRecord[];
  features: Map<number, Int8Array>;
  /** Records per RESULT frame, in arrival order. */
  perFrame: number[];
  wire: ResultWireMeter;
}

/** hello false + waitForRecords: send nothing after the audio, wait up to 5 s for that many records. */
async function streamAudio(b: Board, pcm: Int16Array, opts: { chunk: number; flags?: number; lastFlags?: number; hello?: boolean; waitForRecords?: number }): Promise<Streamed> {
  const results: ResultRecord[] = [];
  const features = new Map<number, Int8Array>();
  const perFrame: number[] = [];
  const wire = new ResultWireMeter();
  const listener = (f: Frame) => {
    if (f.type === MsgType.RESULT) {
      const recs = decodeResults(f.body);
      results.push(...recs);
      perFrame.push(recs.length);
      wire.addFrame(f.type, f.flags, f.seq, f.body);
    }
    if (f.type === MsgType.FEATURES) {
      const fb = decodeFeatures(f.body);
      features.set(fb.window, fb.features);
    }
  };
  b.session.onStream(listener);
  await b.session.command(MsgType.AUDIO, encodeAudio(0, new Int16Array(0)), Flag.START);
  const chunks: UploadChunk[] = [];
  for (let o = 0; o < pcm.length; o += opts.chunk) {
    const e = Math.min(pcm.length, o + opts.chunk);
    chunks.push({ start: o, end: e, body: encodeAudio(o, pcm.subarray(o, e)), flags: (opts.flags ?? 0) | (e === pcm.length ? (opts.lastFlags ?? 0) : 0) });
  }
  await b.session.upload(MsgType.AUDIO, chunks, { window: 3, startOffset: 0 });
  if (opts.hello !== false) await b.session.request(MsgType.HELLO); // answered after the held results
  for (let i = 0; i < 100 && results.length < (opts.waitForRecords ?? 0); i++) await new Promise((r) => setTimeout(r, 50));
  b.session.offStream(listener);
  return { results, features, perFrame, wire };
}

describe.skipIf(skipReason !== '')('emulated board (QEMU mps2-an386)', () => {
  let fw: FirmwareBuild;
  let board: Board | undefined;
  beforeAll(async () => {
    fw = buildForTest();
    board = await startBoard(fw);
  });
  afterAll(async () => stopBoard(board));

  it('builds within the board budget and announces itself, then answers HELLO with INFO', async () => {
    expect(fw.sizes.app.flashBytes).toBeGreaterThan(1000);
    expect(fw.sizes.app.flashBytes).toBeLessThan(0xf0000);
    expect(fw.sizes.bootloader.flashBytes).toBeLessThan(0x10000);
    const b = board!;
    expect(b.announce.seq).toBe(0);
    const info = decodeInfo((await b.session.request(MsgType.HELLO)).body);
    expect(info).toMatchObject({ board: 'mps2-an386', boardId: 0xa386, sampleRateHz: 16000, windowSamples: 400, hopSamples: 160, numClasses: 4, maxBody: 1024, bootSlot: null, firmwareVersion: '1.1', numFeatures: 4 });
  });

  it('a BULK stream gets full RESULT frames (<= 1.03 wire bytes per record byte); END ships the tail before the last ACK', async () => {
    const b = board!;
    const pcm = syntheticSpeech(16000 * 2, 11); // 198 windows
    const want = energyPipelineInt8(pcm);
    const gapsBefore = b.session.stats.gaps.length;
    // No HELLO afterwards: END alone must have brought every record before the upload's last ACK.
    const s = await streamAudio(b, pcm, { chunk: 510, flags: Flag.BULK, lastFlags: Flag.END, hello: false });
    expect(s.results.map((r) => [r.window, r.top, ...r.scores])).toEqual(want.map((w) => [w.window, w.top, ...w.scores]));
    expect(s.perFrame).toEqual([60, 60, 60, want.length - 180]);
    expect(resultRecordsPerFrame(4)).toBe(60);
    expect(s.wire.cost.wirePerPayload).toBeLessThanOrEqual(1.03);
    expect(b.session.stats.gaps.length).toBe(gapsBefore);
  });

  it('a live stream (no BULK, no END, no HELLO) still delivers every record: the hold time releases the tail', async () => {
    const b = board!;
    const pcm = syntheticSpeech(16000, 12); // 98 windows
    const want = energyPipelineInt8(pcm);
    // Nothing is sent after the audio: the device's hold-time check (woken at the latest by its
    // SysTick wrap) must ship the held records on its own.
    const s = await streamAudio(b, pcm, { chunk: 500, hello: false, waitForRecords: want.length });
    expect(s.results.map((r) => r.window)).toEqual(want.map((w) => w.window));
    expect(s.perFrame.length).toBeGreaterThan(1);
  });

  it('AUDIO -> RESULT (and FEATURES) bit-exact with the TS twin over 98 windows', async () => {
    const b = board!;
    const pcm = syntheticSpeech(16000, 7);
    const { results, features } = await streamAudio(b, pcm, { chunk: 500, flags: Flag.FEATURES });
    const want = energyPipelineInt8(pcm);
    expect(want.length).toBe(98);
    expect(results.map((r) => r.window)).toEqual(want.map((w) => w.window));
    expect(results.map((r) => [r.top, ...r.scores])).toEqual(want.map((w) => [w.top, ...w.scores]));
    expect([...features.keys()]).toEqual(want.map((w) => w.window));
    for (const w of want) expect(Array.from(features.get(w.window)!)).toEqual(Array.from(w.features));
    // The classes must actually vary over the clip, or the comparison proves little.
    expect(new Set(want.map((w) => w.top)).size).toBeGreaterThan(1);
    // Cycle figures come from SysTick under -icount: non-zero and identical for identical work.
    expect(results[0]!.frontendCycles).toBeGreaterThan(0);
    expect(b.session.stats.gaps).toEqual([]);
    expect(b.session.stats.decoder.framesBad).toBe(0);
    const stats = decodeStats((await b.session.request(MsgType.STATS)).body);
    expect(stats.framesBad).toBe(0);
    expect(stats.resultsProduced).toBeGreaterThanOrEqual(98);
  });

  it.skipIf(!existsSync(ravdess))('real speech (RAVDESS WAV from ../shared) is bit-exact too', async () => {
    const b = board!;
    const files = readdirSync(ravdess, { recursive: true }).map(String).filter((f) => f.endsWith('.wav')).sort();
    const decoded = wav.decode(readFileSync(join(ravdess, files[0]!)));
    expect(decoded.sampleRate).toBe(16000);
    const ch = decoded.channelData[0]!;
    const n = Math.min(ch.length, 16000 * 2);
    const pcm = new Int16Array(n);
    for (let i = 0; i < n; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(ch[i]! * 32768)));
    const cmp = await compareWithTwin(b.session, pcm, { features: true });
    expect(cmp.windows).toBeGreaterThanOrEqual(20);
    expect(cmp.mismatches).toEqual([]);
    expect(cmp.matched).toBe(cmp.windows);
  });
});
