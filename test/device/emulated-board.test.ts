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
import { buildForTest, skipReason, startBoard, stopBoard, syntheticSpeech, type Board } from './board-fixture.js';

const sharedDir = resolve(__dirname, '../..', '../shared');
const ravdess = join(sharedDir, 'datasets/ravdess-4class-16k');

async function streamAudio(b: Board, pcm: Int16Array, opts: { chunk: number; flags?: number }): Promise<{ results: ResultRecord[]; features: Map<number, Int8Array> }> {
  const results: ResultRecord[] = [];
  const features = new Map<number, Int8Array>();
  const listener = (f: Frame) => {
    if (f.type === MsgType.RESULT) results.push(...decodeResults(f.body));
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
    chunks.push({ start: o, end: e, body: encodeAudio(o, pcm.subarray(o, e)), flags: opts.flags });
  }
  await b.session.upload(MsgType.AUDIO, chunks, { window: 3, startOffset: 0 });
  await b.session.request(MsgType.HELLO); // flushes the device's pending result batch first
  b.session.offStream(listener);
  return { results, features };
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
    expect(info).toMatchObject({ board: 'mps2-an386', boardId: 0xa386, sampleRateHz: 16000, windowSamples: 400, hopSamples: 160, numClasses: 4, maxBody: 1024, bootSlot: null });
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
