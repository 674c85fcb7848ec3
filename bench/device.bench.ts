/**
 * Device-side figures on the emulated board (QEMU mps2-an386, -icount shift=0):
 *  - wire bytes per payload byte of AUDIO and RESULT frames (COBS + header + CRC + delimiter),
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
import { encodeFrame, MAX_BODY } from '../device-bridge/protocol/frame.js';
import { decodeResults, encodeAudio, encodeResults, Flag, MsgType, type ResultRecord } from '../device-bridge/protocol/messages.js';
import { Session, type UploadChunk } from '../device-bridge/protocol/session.js';
import { openSerial } from '../device-bridge/transport/serial.js';
import { syntheticSpeech } from '../test/device/board-fixture.js';

const INSTRUCTIONS_PER_SYSTICK = 40;

function framing(): void {
  const samples = (MAX_BODY - 4) / 2;
  const pcm = syntheticSpeech(samples, 9);
  const audioWire = encodeFrame(MsgType.AUDIO, 0, 1, encodeAudio(0, pcm)).length;
  console.log(`AUDIO  ${samples} samples/frame: ${(audioWire / (samples * 2)).toFixed(4)} wire bytes per PCM byte (${audioWire} wire bytes)`);
  const rec = (w: number): ResultRecord => ({ window: w, frontendCycles: 246, modelCycles: 5, top: 2, scores: [-112, 11, 96, -41] });
  for (const n of [1, 8, 60]) {
    const body = encodeResults(Array.from({ length: n }, (_, i) => rec(i)), 4);
    const wire = encodeFrame(MsgType.RESULT, 0, 1, body).length;
    console.log(`RESULT ${String(n).padStart(2)} records/frame: ${(wire / body.length).toFixed(4)} wire bytes per body byte (${wire} wire bytes, ${body.length} body bytes)`);
  }
}

async function throughput(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tinyser-bench-'));
  const fw = buildFirmware({ buildDir: dir });
  const emu = await startEmulator({ bootloader: fw.bootloader, app: fw.app, icount: process.env.TINYSER_BENCH_ICOUNT !== "0" });
  const port = await openSerial(emu.serialPath);
  const s = new Session(port, { ackTimeoutMs: 3000 });
  await emu.resume();
  try {
    await s.request(MsgType.HELLO);
    const results: ResultRecord[] = [];
    let resultWire = 0;
    let resultBody = 0;
    let resultFrames = 0;
    s.onStream((f) => {
      if (f.type !== MsgType.RESULT) return;
      results.push(...decodeResults(f.body));
      resultFrames++;
      resultBody += f.body.length;
      resultWire += encodeFrame(f.type, f.flags, f.seq, f.body).length;
    });
    const seconds = 10;
    const pcm = syntheticSpeech(16000 * seconds, 4);
    const chunk = (MAX_BODY - 4) / 2;
    await s.command(MsgType.AUDIO, encodeAudio(0, new Int16Array(0)), Flag.START);
    const chunks: UploadChunk[] = [];
    for (let o = 0; o < pcm.length; o += chunk) chunks.push({ start: o, end: Math.min(pcm.length, o + chunk), body: encodeAudio(o, pcm.subarray(o, o + chunk)) });
    const t0 = performance.now();
    await s.upload(MsgType.AUDIO, chunks, { window: Number(process.env.TINYSER_BENCH_WINDOW ?? 3), startOffset: 0 });
    await s.request(MsgType.HELLO);
    const dt = (performance.now() - t0) / 1000;
    console.log(`stream ${seconds} s of audio: ${results.length} windows in ${dt.toFixed(2)} s wall = ${(results.length / dt).toFixed(0)} windows/s (${(seconds / dt).toFixed(2)}x real time); host->device ${((s.stats.bytesSent / 1024) / dt).toFixed(1)} KiB/s`);
    console.log(`RESULT as streamed: ${resultFrames} frames, ${(results.length / resultFrames).toFixed(1)} records/frame, ${(resultWire / resultBody).toFixed(4)} wire bytes per body byte`);
    const fe = results.map((r) => r.frontendCycles).sort((a, b) => a - b);
    const model = results.map((r) => r.modelCycles).sort((a, b) => a - b);
    const med = (a: number[]) => a[Math.floor(a.length / 2)]!;
    console.log(`frontend per window: median ${med(fe)} SysTick ticks (min ${fe[0]}, max ${fe[fe.length - 1]}) = ~${med(fe) * INSTRUCTIONS_PER_SYSTICK} instructions; model: median ${med(model)} ticks = ~${med(model) * INSTRUCTIONS_PER_SYSTICK} instructions (placeholder pipeline)`);
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
