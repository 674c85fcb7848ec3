/**
 * The real chain on the emulated board: a compiled DS-CNN (generated C + firmware int8 kernels) and
 * the C fixed-point frontend built into the firmware with arm-none-eabi-gcc, the board in QEMU over
 * a pty, the host through serialport. HIL streams audio and compares every window's features and
 * int8 scores with runtime-sim (fixed frontend + TFLM-exact interpreter): they must be equal.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../device-bridge/emulator/qemu.js';
import { buildFirmware } from '../../device-bridge/firmware/build.js';
import { buildSerFirmware, type SerFirmwareBuild } from '../../device-bridge/firmware/ser-build.js';
import { flashImage } from '../../device-bridge/flash.js';
import { buildImage } from '../../device-bridge/image/image.js';
import { BOARDS } from '../../device-bridge/boards.js';
import { runSerHil, serHilJunit } from '../../device-bridge/hil/ser-hil.js';
import { decodeInfo, Flag, MsgType } from '../../device-bridge/protocol/messages.js';
import { Session } from '../../device-bridge/protocol/session.js';
import { openSerial } from '../../device-bridge/transport/serial.js';
import { readWav } from '../../runtime-sim/audio/index.js';
import { compileDsCnnFixture, repoRoot, speechLike } from './ser-fixture.js';

const have = (cmd: string) => !spawnSync(cmd, ['--version']).error;
const missing = ['qemu-system-arm', 'arm-none-eabi-gcc'].filter((c) => !have(c));
const ravdess = join(resolve(repoRoot, '../shared'), 'datasets/ravdess-4class-16k');
const ravdessSkip = existsSync(ravdess) ? '' : `${ravdess} is absent (research-licensed data, read in place)`;
const skipReason = missing.length ? `e2e needs ${missing.join(' and ')} (apt-get install --no-install-recommends qemu-system-arm gcc-arm-none-eabi libnewlib-arm-none-eabi)` : '';

/** Resumes the paused board and waits for its boot announce on the already opened port. */
function announced(s: Session, e: Emulator): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no boot announce from the board within 20 s')), 20_000);
    const on = (f: { type: number; flags: number }) => {
      if (f.type === MsgType.INFO && f.flags & Flag.ANNOUNCE) {
        clearTimeout(t);
        s.offStream(on);
        resolve();
      }
    };
    s.onStream(on);
    void e.resume();
  });
}

describe.skipIf(skipReason !== '')(`SER pipeline on the emulated board${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let fw: SerFirmwareBuild;
  let emu: Emulator | undefined;
  let session: Session | undefined;
  let buildDir: string;

  beforeAll(async () => {
    buildDir = mkdtempSync(join(tmpdir(), 'tinyser-e2e-'));
    const fx = await compileDsCnnFixture();
    fw = buildSerFirmware({ tflite: fx.tflite, frontend: fx.frontend, buildDir });
    emu = await startEmulator({ bootloader: fw.bootloader, app: fw.app });
    const port = await openSerial(emu.serialPath);
    session = new Session(port, { ackTimeoutMs: 3000 });
    await announced(session, emu);
  }, 120_000);

  afterAll(async () => {
    await emu?.stop();
    await session?.close().catch(() => undefined);
    if (buildDir) rmSync(buildDir, { recursive: true, force: true });
  });

  it('reports the compiled model, the frontend config and the window geometry in INFO', async () => {
    const info = decodeInfo((await session!.request(MsgType.HELLO)).body);
    expect(info.modelId).toBe(fw.modelId);
    expect(info.frontendHash).toBe(fw.frontendHash);
    expect(info.arenaBytes).toBe(fw.arenaBytes);
    expect(info.windowSamples).toBe(fw.geometry.windowSamples);
    expect(info.hopSamples).toBe(fw.geometry.hopSamples);
    expect(info.numClasses).toBe(fw.geometry.numClasses);
    // 25 frames x 40 bands = 1000 int8 per FEATURES frame: beyond the u8 INFO field of firmware 1.0.
    expect(info.numFeatures).toBe(fw.geometry.reportFrames * fw.geometry.dims);
    expect(info.numFeatures).toBeGreaterThan(255);
  });

  it('streams >= 20 windows whose features and int8 scores equal runtime-sim bit for bit', async () => {
    // A result carries the last reportFrames frames of its window, so the first window's head frames
    // never travel in clip A. Clip B is clip A delayed by one hop: A's head frames are B's reported
    // frames (frames depend only on their own samples: no pre-emphasis in this config).
    expect(fw.spec.frontend.preEmphasis).toBe(0);
    expect(fw.geometry.reportFrames).toBeGreaterThanOrEqual(fw.geometry.hopFrames);
    const hop = fw.geometry.hopSamples;
    const a = speechLike(fw.geometry.windowSamples + 19 * hop + 123, 11);
    const b = new Int16Array(hop + fw.geometry.windowSamples + 3 * hop);
    b.set(a.subarray(0, b.length - hop), hop);
    const clips = [
      { name: 'speech-a', pcm: a },
      { name: 'speech-a-delayed-one-hop', pcm: b },
    ];
    const r = await runSerHil(session!, fw.spec, clips, { budget: { statistic: 'max', modelMs: 10_000, frontendMs: 10_000, totalMs: 10_000 } });
    expect(r.budget.map((b) => b.pass)).toEqual([true, true, true]);
    expect(r.pass).toBe(true);
    expect(r.windows).toBe(25);
    expect(r.clips[0]!.windows).toBe(20);
    expect(r.clips[1]!.windows).toBe(5);
    expect(r.clips.flatMap((c) => c.mismatches)).toEqual([]);
    expect(r.matched).toBe(r.windows);
    expect(r.bitExact).toBe(true);
    // The scores are not degenerate (a constant output would make equality meaningless).
    const distinct = new Set(r.clips.flatMap((c) => c.deviceScores.map((s) => Array.from(s).join(','))));
    expect(distinct.size).toBeGreaterThan(1);
    // Every window ran the model and the frontend (tick counts are positive).
    expect(r.latency.model.ticks.count).toBe(25);
    expect(r.latency.model.ticks.p50).toBeGreaterThan(0);
    expect(r.latency.frontend.ticks.p50).toBeGreaterThan(0);
    // Each clip is a BULK stream ended by END: its records travel in one RESULT frame even though a
    // FEATURES frame goes out for every window meanwhile.
    expect(r.resultWire).toMatchObject({ frames: 2, records: 25 });
    const junit = serHilJunit(r);
    expect(junit).toContain('failures="0"');
    expect(junit.match(/<testcase /g)?.length).toBe(5);
  }, 180_000);

  it('reports a frontend that differs by one zero-point step as feature and score mismatches', async () => {
    const q = fw.spec.frontend.quantization;
    const wrong = { ...fw.spec, frontend: { ...fw.spec.frontend, quantization: { ...q, zeroPoint: q.zeroPoint > 0 ? q.zeroPoint - 1 : q.zeroPoint + 1 } } };
    const pcm = speechLike(fw.geometry.windowSamples + 2 * fw.geometry.hopSamples, 13);
    const r = await runSerHil(session!, wrong, [{ name: 'shifted-zero-point', pcm }]);
    expect(r.windows).toBe(3);
    expect(r.bitExact).toBe(false);
    expect(r.pass).toBe(false);
    expect(r.clips[0]!.mismatches.some((m) => m.field === 'features')).toBe(true);
    expect(serHilJunit(r)).toContain('failures="1"');
  }, 120_000);

  it('fails a latency budget the model cannot meet, per stage', async () => {
    const pcm = speechLike(fw.geometry.windowSamples, 14);
    const r = await runSerHil(session!, fw.spec, [{ name: 'one-window', pcm }], { budget: { statistic: 'p99', modelMs: 1e-3, frontendMs: 10_000 } });
    expect(r.bitExact).toBe(true);
    expect(r.budget.find((b) => b.stage === 'model')!.pass).toBe(false);
    expect(r.budget.find((b) => b.stage === 'frontend')!.pass).toBe(true);
    expect(r.pass).toBe(false);
  }, 120_000);

  it('flashes the SER image through the bootloader onto a board running the factory firmware, then stays bit-exact', async () => {
    const factory = buildFirmware({ buildDir: join(buildDir, 'factory') });
    const board = BOARDS['mps2-an386']!;
    const image = buildImage(new Uint8Array(readFileSync(fw.appBin)), { boardId: board.id, imageVersion: 7, loadAddr: board.execAddr });
    const e2 = await startEmulator({ bootloader: factory.bootloader, app: factory.app, flashFile: join(buildDir, 'psram.bin') });
    const s2 = new Session(await openSerial(e2.serialPath), { ackTimeoutMs: 3000 });
    try {
      await announced(s2, e2);
      const r = await flashImage(s2, image);
      expect(r.before.modelId).not.toBe(fw.modelId);
      expect(r.confirmed).toBe(true);
      expect(r.after.imageVersion).toBe(7);
      expect(r.after.modelId).toBe(fw.modelId);
      const hil = await runSerHil(s2, fw.spec, [{ name: 'after-flash', pcm: speechLike(fw.geometry.windowSamples + 2 * fw.geometry.hopSamples, 15) }]);
      expect(hil.windows).toBe(3);
      expect(hil.clips[0]!.mismatches).toEqual([]);
    } finally {
      await e2.stop();
      await s2.close().catch(() => undefined);
    }
  }, 180_000);

  it.skipIf(ravdessSkip !== '')(`is bit-exact on real speech (two RAVDESS clips)${ravdessSkip ? ` (skipped: ${ravdessSkip})` : ''}`, async () => {
    const files = readdirSync(ravdess).filter((f) => f.endsWith('.wav')).sort();
    const picks = [files[0]!, files[Math.floor(files.length / 2)]!];
    const clips = [];
    for (const f of picks) clips.push({ name: f, pcm: (await readWav(join(ravdess, f))).samplesInt16 });
    const r = await runSerHil(session!, fw.spec, clips);
    expect(r.windows).toBeGreaterThanOrEqual(10);
    expect(r.clips.flatMap((c) => c.mismatches)).toEqual([]);
    expect(r.bitExact).toBe(true);
  }, 180_000);
});
