/** Lossy link and board reset: the monitor's record ends up with every window exactly once. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FirmwareBuild } from '../../device-bridge/firmware/build.js';
import { runMonitor } from '../../device-bridge/monitor.js';
import { energyPipelineInt8 } from '../../device-bridge/pipeline/energy-pipeline.js';
import { decodeStats, MsgType } from '../../device-bridge/protocol/messages.js';
import { Session } from '../../device-bridge/protocol/session.js';
import { startFaultRelay, type FaultRelay } from '../../device-bridge/transport/fault-relay.js';
import { openSerial } from '../../device-bridge/transport/serial.js';
import { buildForTest, skipReason, startBoard, stopBoard, syntheticSpeech, type Board } from './board-fixture.js';

interface Line {
  window: number;
  top: number;
  scores: number[];
}
const readRecord = (p: string): Line[] =>
  readFileSync(p, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Line);

const debug = (m: string) => {
  if (process.env.TINYSER_DEBUG) process.stderr.write(`${new Date().toISOString()} ${m}\n`);
};

describe.skipIf(skipReason !== '')('faults between host and emulated board', () => {
  let fw: FirmwareBuild;
  let dir: string;
  beforeAll(() => {
    fw = buildForTest();
    dir = mkdtempSync(join(tmpdir(), 'tinyser-faults-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('1% byte corruption both ways: no result lost or duplicated, every bad frame counted', async () => {
    let board: Board | undefined;
    let relay: FaultRelay | undefined;
    let host: Session | undefined;
    try {
      board = await startBoard(fw);
      // The board's own session is set aside: the relay now owns the emulator's pty.
      const device = board.port;
      relay = await startFaultRelay(device, { byteErrorRate: 0.01, seed: 1234 });
      host = new Session(await openSerial(relay.path), { ackTimeoutMs: 300, retries: 40 });
      const pcm = syntheticSpeech(160 * 30 + 240, 3); // 30 windows
      const record = join(dir, 'lossy.jsonl');
      const restarts: { bulk: boolean; damagedBefore: boolean }[] = [];
      const h = host;
      const report = await runMonitor({
        session: h,
        recordPath: record,
        audio: { pcm, chunkSamples: 24, window: 8 },
        onEvent: (e) => {
          if (e.kind === 'restart') restarts.push({ bulk: e.bulk, damagedBefore: h.stats.decoder.framesBad > 0 || h.stats.gaps.length > 0 });
          debug(JSON.stringify(e));
        },
      });
      relay.setRate(0);
      const stats = decodeStats((await host.request(MsgType.STATS)).body);
      const lines = readRecord(record);
      const want = energyPipelineInt8(pcm);
      expect(want.length).toBe(30);
      expect(lines.map((l) => l.window).sort((a, b) => a - b)).toEqual(want.map((w) => w.window));
      const byWindow = new Map(lines.map((l) => [l.window, l]));
      for (const w of want) expect([byWindow.get(w.window)!.top, ...byWindow.get(w.window)!.scores]).toEqual([w.top, ...w.scores]);
      expect(report.missing).toEqual([]);
      // Faults really happened in both directions, and each damaged frame was counted, none parsed.
      expect(relay.toDevice.framesDamaged).toBeGreaterThan(20);
      expect(relay.toHost.framesDamaged).toBeGreaterThan(5);
      expect(host.stats.decoder.framesBad).toBe(relay.toHost.framesDamaged);
      expect(stats.framesBad).toBe(relay.toDevice.framesDamaged);
      // A lost RESULT frame shows up as a stream gap and was recovered by replay or re-feed.
      expect(report.gaps.length).toBeGreaterThan(0);
      // Once damage was seen, (re-)feeds are live streams (short RESULT frames), not BULK.
      expect(restarts.length).toBeGreaterThan(0);
      for (const r of restarts) expect(r.bulk).toBe(!r.damagedBefore);
    } finally {
      await relay?.close();
      await host?.close();
      await stopBoard(board);
    }
  }, 150_000);

  it('a board reset mid-stream is survived: the record still has every window once', async () => {
    let board: Board | undefined;
    try {
      board = await startBoard(fw);
      const b = board;
      const pcm = syntheticSpeech(160 * 150 + 240, 5); // 150 windows
      const record = join(dir, 'reset.jsonl');
      let resetDone = false;
      let seen = 0;
      const restarts: { bulk: boolean; damagedBefore: boolean }[] = [];
      const report = await runMonitor({
        session: b.session,
        recordPath: record,
        audio: { pcm, chunkSamples: 200 },
        onEvent: (e) => {
          if (e.kind === 'restart') restarts.push({ bulk: e.bulk, damagedBefore: b.session.stats.decoder.framesBad > 0 || b.session.stats.gaps.length > 0 });
          debug(JSON.stringify(e));
        },
        onResult: () => {
          if (++seen === 40 && !resetDone) {
            resetDone = true;
            void b.emu.reset();
          }
        },
      });
      expect(resetDone).toBe(true);
      expect(report.resets).toBeGreaterThanOrEqual(1);
      // The clip goes as a BULK stream (full RESULT frames) unless the link has shown damage, e.g. a
      // frame torn by the reset itself.
      expect(restarts.length).toBeGreaterThan(0);
      for (const r of restarts) expect(r.bulk).toBe(!r.damagedBefore);
      expect(report.resultWire.records).toBeGreaterThanOrEqual(150);
      const lines = readRecord(record);
      const want = energyPipelineInt8(pcm);
      expect(lines.map((l) => l.window)).toEqual(want.map((w) => w.window).filter((w) => lines.some((l) => l.window === w)));
      expect(lines.map((l) => l.window).sort((x, y) => x - y)).toEqual(want.map((w) => w.window));
      const byWindow = new Map(lines.map((l) => [l.window, l]));
      for (const w of want) expect([byWindow.get(w.window)!.top, ...byWindow.get(w.window)!.scores]).toEqual([w.top, ...w.scores]);
      // Re-running on the finished record adds nothing (what Ctrl-C + restart relies on).
      const again = await runMonitor({ session: b.session, recordPath: record, audio: { pcm, chunkSamples: 200 } });
      expect(again.recorded).toBe(0);
      expect(readRecord(record).length).toBe(want.length);
    } finally {
      await stopBoard(board);
    }
  }, 120_000);

  it('a monitor stopped mid-clip (Ctrl-C) and started again completes the record without duplicates', async () => {
    let board: Board | undefined;
    try {
      board = await startBoard(fw);
      const b = board;
      const pcm = syntheticSpeech(160 * 120 + 240, 8); // 120 windows
      const record = join(dir, 'ctrlc.jsonl');
      const ac = new AbortController();
      let seen = 0;
      const first = await runMonitor({ session: b.session, recordPath: record, audio: { pcm, chunkSamples: 200 }, signal: ac.signal, onResult: () => ++seen === 30 && ac.abort() });
      expect(first.recorded).toBeGreaterThanOrEqual(30);
      expect(first.recorded).toBeLessThan(120);
      const second = await runMonitor({ session: b.session, recordPath: record, audio: { pcm, chunkSamples: 200 } });
      expect(second.alreadyRecorded).toBe(first.recorded);
      expect(first.recorded + second.recorded).toBe(120);
      const lines = readRecord(record);
      const want = energyPipelineInt8(pcm);
      expect(lines.map((l) => l.window).sort((x, y) => x - y)).toEqual(want.map((w) => w.window));
      const byWindow = new Map(lines.map((l) => [l.window, l]));
      for (const w of want) expect([byWindow.get(w.window)!.top, ...byWindow.get(w.window)!.scores]).toEqual([w.top, ...w.scores]);
    } finally {
      await stopBoard(board);
    }
  }, 120_000);
});
