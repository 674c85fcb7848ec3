/**
 * Device-side figures on the emulated board (QEMU mps2-an386, -icount shift=0):
 *  - wire bytes per payload byte of AUDIO and RESULT frames. Payload: AUDIO = the PCM bytes,
 *    RESULT = the records (13 + nClasses bytes each). Everything else is overhead: AUDIO's offset,
 *    RESULT's 2-byte batch header, frame header, CRC-32, COBS code bytes, the 0x00 delimiter.
 *    Goal: at most 1.03 for both in a streaming run.
 *  - a BULK stream (how HIL feeds clips: RESULTs in full frames) and a live stream (RESULTs leave
 *    within the device's 100 ms hold time), with the wall-clock time records were held,
 *  - windows/s through the whole host -> pty -> firmware -> pty -> host path,
 *  - instructions per frontend window: SysTick ticks x 40 (SysTick runs on the 25 MHz SYSCLK and
 *    icount shift=0 makes one instruction 1 ns of virtual time). These are emulator instruction
 *    counts, not Cortex-M4 cycles.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../device-bridge/emulator/qemu.js';
import { buildFirmware } from '../device-bridge/firmware/build.js';
import { encodeFrame, MAX_BODY, type Frame } from '../device-bridge/protocol/frame.js';
import { decodeInfo, decodeResults, decodeStats, encodeAudio, Flag, MsgType, type ResultRecord } from '../device-bridge/protocol/messages.js';
import { ResultBatcher, resultRecordsPerFrame, ResultWireMeter, type ResultWireCost } from '../device-bridge/protocol/result-batch.js';
import { Session, type UploadChunk } from '../device-bridge/protocol/session.js';
import { openSerial } from '../device-bridge/transport/serial.js';
import { syntheticSpeech } from '../test/device/board-fixture.js';

const INSTRUCTIONS_PER_SYSTICK = 40;
const GOAL = 1.03;

function describeCost(c: ResultWireCost): string {
  return `${c.frames} frames, ${(c.records / Math.max(1, c.frames)).toFixed(1)} records/frame, ${c.wirePerPayload.toFixed(4)} wire bytes per record byte, ${c.overheadPerRecord.toFixed(2)} overhead bytes per record`;
}

function framing(): void {
  const samples = (MAX_BODY - 4) / 2;
  const pcm = syntheticSpeech(samples, 9);
  const audioWire = encodeFrame(MsgType.AUDIO, 0, 1, encodeAudio(0, pcm)).length;
  console.log(`AUDIO  ${samples} samples/frame: ${(audioWire / (samples * 2)).toFixed(4)} wire bytes per PCM byte (${audioWire} wire bytes)`);
  const rec = (w: number): ResultRecord => ({ window: w, frontendCycles: 246, modelCycles: 5, top: 2, scores: [-112, 11, 96, -41] });
  for (const n of [1, 8, 30, resultRecordsPerFrame(4)]) {
    const meter = new ResultWireMeter();
    const b = new ResultBatcher(4, 0, (body) => meter.addFrame(MsgType.RESULT, 0, 1, body));
    for (let i = 0; i < n; i++) b.add(rec(i), 0);
    b.flush();
    console.log(`RESULT ${String(n).padStart(2)} records/frame: ${describeCost(meter.cost).replace(/^1 frames, [^,]+, /, '')}`);
  }
}

interface StreamRun {
  windows: number;
  seconds: number;
  cost: ResultWireCost;
  /** Wall ms from the ACK that completed a window's audio to the arrival of its record. */
  heldMs: number[];
  results: ResultRecord[];
}

async function stream(s: Session, pcm: Int16Array, flags: number, hop: number, win: number): Promise<StreamRun> {
  const results: ResultRecord[] = [];
  const arrived: number[] = [];
  const meter = new ResultWireMeter();
  const listener = (f: Frame) => {
    if (f.type !== MsgType.RESULT) return;
    const now = performance.now();
    for (const r of decodeResults(f.body)) {
      results.push(r);
      arrived.push(now);
    }
    meter.addFrame(f.type, f.flags, f.seq, f.body);
  };
  s.onStream(listener);
  const acked: { offset: number; at: number }[] = [];
  const chunk = (MAX_BODY - 4) / 2;
  await s.command(MsgType.AUDIO, encodeAudio(0, new Int16Array(0)), Flag.START);
  const chunks: UploadChunk[] = [];
  for (let o = 0; o < pcm.length; o += chunk) {
    const e = Math.min(pcm.length, o + chunk);
    chunks.push({ start: o, end: e, body: encodeAudio(o, pcm.subarray(o, e)), flags: flags | (e === pcm.length ? Flag.END : 0) });
  }
  const t0 = performance.now();
  await s.upload(MsgType.AUDIO, chunks, { window: Number(process.env.TINYSER_BENCH_WINDOW ?? 3), startOffset: 0, onProgress: (offset) => acked.push({ offset, at: performance.now() }) });
  await s.request(MsgType.HELLO);
  const seconds = (performance.now() - t0) / 1000;
  s.offStream(listener);
  const heldMs = results.map((r, i) => {
    const ack = acked.find((a) => a.offset >= r.window * hop + win);
    return ack ? Math.max(0, arrived[i]! - ack.at) : 0;
  });
  return { windows: results.length, seconds, cost: meter.cost, heldMs, results };
}

function pct(v: number[], p: number): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : 0;
}

async function throughput(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tinyser-bench-'));
  const fw = buildFirmware({ buildDir: dir });
  const emu = await startEmulator({ bootloader: fw.bootloader, app: fw.app, icount: process.env.TINYSER_BENCH_ICOUNT !== '0' });
  const port = await openSerial(emu.serialPath);
  const s = new Session(port, { ackTimeoutMs: 3000 });
  await emu.resume();
  try {
    const info = decodeInfo((await s.request(MsgType.HELLO)).body);
    const seconds = 10;
    const bytesBefore = s.stats.bytesSent;
    const bulk = await stream(s, syntheticSpeech(16000 * seconds, 4), Flag.BULK, info.hopSamples, info.windowSamples);
    console.log(
      `BULK stream, ${seconds} s of audio: ${bulk.windows} windows in ${bulk.seconds.toFixed(2)} s wall = ${(bulk.windows / bulk.seconds).toFixed(0)} windows/s (${(seconds / bulk.seconds).toFixed(2)}x real time); host->device ${((s.stats.bytesSent - bytesBefore) / 1024 / bulk.seconds).toFixed(1)} KiB/s`,
    );
    console.log(`  RESULT as streamed: ${describeCost(bulk.cost)} (goal <= ${GOAL}: ${bulk.cost.wirePerPayload <= GOAL ? 'met' : 'NOT met'})`);
    const ticksBefore = decodeStats((await s.request(MsgType.STATS)).body).cycles;
    const live = await stream(s, syntheticSpeech(16000 * 3, 5), 0, info.hopSamples, info.windowSamples);
    const ticksRate = ((decodeStats((await s.request(MsgType.STATS)).body).cycles - ticksBefore) >>> 0) / info.cpuHz / live.seconds;
    console.log(`live stream, 3 s of audio at ${(3 / live.seconds).toFixed(2)}x real time: ${describeCost(live.cost)}`);
    console.log(
      `  records held (wall ms from the ACK completing a window to its record's arrival): p50 ${pct(live.heldMs, 50).toFixed(0)}, p95 ${pct(live.heldMs, 95).toFixed(0)}, max ${pct(live.heldMs, 100).toFixed(0)}; ` +
        `device bound: 100 ms of board ticks, and the board's ticks ran at ${ticksRate.toFixed(2)}x wall time during this stream (QEMU -icount: ticks follow executed instructions), so ~${(100 / ticksRate).toFixed(0)} ms wall here`,
    );
    const fe = bulk.results.map((r) => r.frontendCycles);
    const model = bulk.results.map((r) => r.modelCycles);
    console.log(
      `frontend per window: median ${pct(fe, 50)} SysTick ticks (min ${pct(fe, 0)}, max ${pct(fe, 100)}) = ~${pct(fe, 50) * INSTRUCTIONS_PER_SYSTICK} instructions; model: median ${pct(model, 50)} ticks = ~${pct(model, 50) * INSTRUCTIONS_PER_SYSTICK} instructions (placeholder pipeline)`,
    );
    console.log(`firmware size: app ${fw.sizes.app.flashBytes} B flash, ${fw.sizes.app.ramBytes} B static RAM; bootloader ${fw.sizes.bootloader.flashBytes} B`);
  } finally {
    await emu.stop();
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function main(): Promise<void> {
  framing();
  await throughput();
}
