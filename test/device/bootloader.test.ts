/**
 * A/B bootloader on the emulated board, with the slots in a file-backed PSRAM that persists across
 * "power cycles" (QEMU restarts, including SIGKILL at random points).
 */
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFirmware, type FirmwareBuild } from '../../device-bridge/firmware/build.js';
import { flashImage } from '../../device-bridge/flash.js';
import { buildImage, ed25519PublicKeyRaw, IMAGE_HEADER_BYTES, ImageFormatError, parseImage } from '../../device-bridge/image/image.js';
import { ProtocolError } from '../../device-bridge/protocol/errors.js';
import { decodeAck, decodeInfo, encodeFlashData, MsgType, NakCode, type DeviceInfo } from '../../device-bridge/protocol/messages.js';
import { buildForTest, skipReason, startBoard, stopBoard, type Board } from './board-fixture.js';

const BOARD_ID = 0xa386;
const EXEC_ADDR = 0x10000;

describe.skipIf(skipReason !== '')('bootloader and images on the emulated board', () => {
  let fw: FirmwareBuild;
  let dir: string;
  let flashFile: string;
  let payload: Uint8Array;
  const image = (v: number, boardId = BOARD_ID) => buildImage(payload, { boardId, imageVersion: v, loadAddr: EXEC_ADDR });
  const bootInfo = (b: Board): DeviceInfo => decodeInfo(b.announce.body);
  async function powerCycle<T>(fn: (b: Board) => Promise<T>): Promise<T> {
    const b = await startBoard(fw, { flashFile });
    try {
      return await fn(b);
    } finally {
      await stopBoard(b);
    }
  }

  beforeAll(() => {
    fw = buildForTest();
    payload = new Uint8Array(readFileSync(fw.appBin));
    dir = mkdtempSync(join(tmpdir(), 'tinyser-boot-'));
    flashFile = join(dir, 'psram.bin');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('flashes, confirms, persists across power cycles, and rolls back an unconfirmed image', async () => {
    await powerCycle(async (b) => {
      expect(bootInfo(b).bootSlot).toBeNull(); // blank flash: the app QEMU loaded runs directly
      const r1 = await flashImage(b.session, image(1));
      expect(r1).toMatchObject({ slot: 0, imageVersion: 1, confirmed: true });
      const r2 = await flashImage(b.session, image(2));
      expect(r2).toMatchObject({ slot: 1, imageVersion: 2, confirmed: true });
    });
    await powerCycle(async (b) => {
      expect(bootInfo(b)).toMatchObject({ bootSlot: 1, imageVersion: 2, pendingConfirm: false, rolledBack: false });
      const r3 = await flashImage(b.session, image(3), { skipConfirm: true });
      expect(r3).toMatchObject({ slot: 0, imageVersion: 3, confirmed: false });
      expect(r3.after.pendingConfirm).toBe(true);
    });
    await powerCycle(async (b) => {
      // v3 had its one boot and was never confirmed: back to v2.
      expect(bootInfo(b)).toMatchObject({ bootSlot: 1, imageVersion: 2, rolledBack: true });
    });
  });

  it('rejects tampered images and images for another board, on the host and on the device', async () => {
    const tampered = image(7);
    tampered[IMAGE_HEADER_BYTES + 100] ^= 0x01;
    expect(() => parseImage(tampered, 'tampered.img')).toThrow(/SHA-256 mismatch/);
    await powerCycle(async (b) => {
      const before = bootInfo(b);
      await expect(flashImage(b.session, image(8, 0x1234))).rejects.toBeInstanceOf(ImageFormatError);
      // Bypass the host checks: the device itself must refuse.
      const nakBoard = await b.session.request(MsgType.FLASH_BEGIN, image(8, 0x1234).subarray(0, IMAGE_HEADER_BYTES));
      expect(nakBoard.type).toBe(MsgType.NAK);
      expect(decodeAck(nakBoard.body).code).toBe(NakCode.IMAGE_BOARD);
      await b.session.command(MsgType.FLASH_BEGIN, tampered.subarray(0, IMAGE_HEADER_BYTES));
      const body = tampered.subarray(IMAGE_HEADER_BYTES);
      const chunks = [];
      for (let o = 0; o < body.length; o += 1000) chunks.push({ start: o, end: Math.min(body.length, o + 1000), body: encodeFlashData(o, body.subarray(o, o + 1000)) });
      await b.session.upload(MsgType.FLASH_DATA, chunks, { startOffset: 0 });
      const err = await b.session.command(MsgType.FLASH_END).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).details.nak).toBe('IMAGE_HASH');
      const boot = await b.session.request(MsgType.BOOT);
      expect(decodeAck(boot.body).code).toBe(NakCode.NO_IMAGE);
      expect(decodeInfo((await b.session.request(MsgType.HELLO)).body).imageVersion).toBe(before.imageVersion);
    });
  });

  it('power loss at 100 random points of an update always leaves a bootable, verified image, old or new', async () => {
    const CUTS = 100;
    const known = new Set<number>();
    let seed = 0x2545f491;
    const rand = () => {
      seed ^= seed << 13;
      seed >>>= 0;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      seed >>>= 0;
      return seed / 0x100000000;
    };
    const outcomes: string[] = [];
    let keptOld = 0;
    let tookNew = 0;
    // Each boot first checks what the previous cut left, then starts the next update on the same board.
    let b = await startBoard(fw, { flashFile });
    try {
      if (bootInfo(b).bootSlot === null) await flashImage(b.session, image(1)); // self-contained when run alone
      await stopBoard(b);
      b = await startBoard(fw, { flashFile });
      known.add(bootInfo(b).imageVersion);
      for (let i = 0; i <= CUTS; i++) {
        // What the last cut left: a slot image ran (the bootloader verified its SHA-256), one we wrote,
        // and the firmware answers.
        const announce = bootInfo(b);
        const hello = decodeInfo((await b.session.request(MsgType.HELLO)).body);
        const trail = () => outcomes.slice(-5).join(' ');
        expect(announce.bootSlot === 0 || announce.bootSlot === 1, trail()).toBe(true);
        expect(known.has(announce.imageVersion), `v${announce.imageVersion} after ${trail()}`).toBe(true);
        expect(hello.boardId).toBe(BOARD_ID);
        expect(hello.imageVersion).toBe(announce.imageVersion);
        if (i > 0) {
          if (announce.imageVersion === 100 + i - 1) tookNew++;
          else keptOld++;
          outcomes[outcomes.length - 1] += `->v${announce.imageVersion}/slot${announce.bootSlot}${announce.pendingConfirm ? '(pending)' : ''}`;
        }
        if (i === CUTS) break;
        const version = 100 + i;
        // Even cuts land at a random byte of the slot write; odd ones at a random time of the whole
        // update, which also hits FLASH_BEGIN, FLASH_END, BOOT, the bootloader's attempt count and
        // copy, and CONFIRM.
        const cutAtByte = i % 2 === 0 ? Math.floor(rand() * payload.length) : -1;
        const cutAtMs = i % 2 === 1 ? Math.floor(rand() * 1200) : -1;
        let cut!: () => void;
        const cutNow = new Promise<void>((r) => (cut = r));
        const done = flashImage(b.session, image(version), {
          bootTimeoutMs: 30_000,
          onProgress: (bytes) => {
            if (cutAtByte >= 0 && bytes >= cutAtByte) cut();
          },
        }).then(
          () => 'completed',
          () => 'interrupted',
        );
        const timer = cutAtMs >= 0 ? setTimeout(cut, cutAtMs) : undefined;
        await Promise.race([cutNow, done]);
        clearTimeout(timer);
        await b.emu.kill(); // power cut: SIGKILL, no QMP, no cleanup
        await b.session.close().catch(() => undefined);
        outcomes.push(`${cutAtMs >= 0 ? `${cutAtMs}ms` : `byte${cutAtByte}`}:${await done}`);
        known.add(version); // it may legitimately have made it (then it runs pending or confirmed)
        b = await startBoard(fw, { flashFile }).catch((e: unknown) => {
          if (process.env.TINYSER_KEEP_PSRAM) copyFileSync(flashFile, process.env.TINYSER_KEEP_PSRAM);
          throw new Error(`no boot after ${outcomes.slice(-5).join(' ')}: ${(e as Error).message}`);
        });
      }
    } finally {
      await stopBoard(b);
    }
    if (process.env.TINYSER_DEBUG) process.stderr.write(`power-loss outcomes: ${outcomes.join(' ')}\n`);
    expect(outcomes).toHaveLength(CUTS);
    // Both ends of the update were hit: some cuts kept the old image, some left the new one running.
    expect(keptOld, outcomes.join(' ')).toBeGreaterThan(0);
    expect(tookNew, outcomes.join(' ')).toBeGreaterThan(0);
  }, 400_000);

  it('firmware built with a signing key boots and accepts only images signed with it (ed25519)', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const signedFw = buildFirmware({ buildDir: join(dir, 'signed-build'), signingPubkey: ed25519PublicKeyRaw(publicKey) });
    const signedPayload = new Uint8Array(readFileSync(signedFw.appBin));
    const img = (v: number, key?: typeof privateKey) => buildImage(signedPayload, { boardId: BOARD_ID, imageVersion: v, loadAddr: EXEC_ADDR, signingKey: key });
    const slots = join(dir, 'signed-psram.bin');
    const b = await startBoard(signedFw, { flashFile: slots });
    try {
      expect(decodeInfo(b.announce.body).capabilities.signatures).toBe(true);
      for (const bad of [img(20), img(21, stranger)]) {
        const err = await flashImage(b.session, bad).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ProtocolError);
        expect((err as ProtocolError).details.nak).toBe('BAD_SIGNATURE');
      }
      const ok = await flashImage(b.session, img(22, privateKey));
      expect(ok).toMatchObject({ imageVersion: 22, confirmed: true });
    } finally {
      await stopBoard(b);
    }
    // The bootloader verifies the signature again on every boot.
    const again = await startBoard(signedFw, { flashFile: slots });
    try {
      expect(decodeInfo(again.announce.body)).toMatchObject({ imageVersion: 22, bootSlot: 0 });
    } finally {
      await stopBoard(again);
    }
  }, 120_000);
});
