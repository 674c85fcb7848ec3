/**
 * `tinyser flash` as a library: uploads an image into the device's inactive slot, has the device
 * verify it (SHA-256) and boot it, then confirms it once the new firmware answers HELLO with the
 * expected image version. An unconfirmed image is rolled back by the bootloader on the next boot.
 */
import { boardById } from './boards.js';
import { ImageFormatError, parseImage, IMAGE_HEADER_BYTES } from './image/image.js';
import { DeviceError, ProtocolError } from './protocol/errors.js';
import type { Frame } from './protocol/frame.js';
import { decodeInfo, encodeFlashData, Flag, MsgType, type DeviceInfo } from './protocol/messages.js';
import type { Session, UploadChunk } from './protocol/session.js';

export interface FlashOptions {
  /** Payload bytes per FLASH_DATA frame. */
  chunkBytes?: number;
  window?: number;
  /** Whole-transfer attempts (each resumes nothing: it restarts at FLASH_BEGIN). */
  attempts?: number;
  onProgress?: (done: number, total: number) => void;
  /** Leave the new image pending (tests of rollback). */
  skipConfirm?: boolean;
  /** How long to wait for the new firmware's announce after BOOT. */
  bootTimeoutMs?: number;
}

export interface FlashReport {
  slot: number;
  imageVersion: number;
  payloadBytes: number;
  seconds: number;
  attempts: number;
  confirmed: boolean;
  before: DeviceInfo;
  after: DeviceInfo;
}

export async function flashImage(session: Session, image: Uint8Array, opts: FlashOptions = {}, name = 'image'): Promise<FlashReport> {
  const { header, payload } = parseImage(image, name);
  const t0 = Date.now();
  const before = decodeInfo((await session.request(MsgType.HELLO)).body);
  if (header.boardId !== before.boardId) {
    const want = boardById(header.boardId)?.name ?? `0x${header.boardId.toString(16)}`;
    throw new ImageFormatError(`${name} is built for board ${want}, but the device is ${before.board} (0x${before.boardId.toString(16)}): refusing to flash`, { imageBoard: header.boardId, deviceBoard: before.boardId });
  }
  if (!before.capabilities.flash) throw new DeviceError(`the firmware on ${session.transport.path} has no bootloader support (INFO capabilities)`);
  const chunkBytes = opts.chunkBytes ?? 1016;
  const chunks: UploadChunk[] = [];
  for (let o = 0; o < payload.length; o += chunkBytes) {
    const e = Math.min(payload.length, o + chunkBytes);
    chunks.push({ start: o, end: e, body: encodeFlashData(o, payload.subarray(o, e)) });
  }
  const attempts = opts.attempts ?? 3;
  let slot = -1;
  let attempt = 0;
  for (;;) {
    attempt++;
    try {
      slot = (await session.command(MsgType.FLASH_BEGIN, image.subarray(0, IMAGE_HEADER_BYTES))).value;
      await session.upload(MsgType.FLASH_DATA, chunks, { window: opts.window ?? 3, startOffset: 0, onProgress: (d) => opts.onProgress?.(d, payload.length) });
      await session.command(MsgType.FLASH_END);
      break;
    } catch (e) {
      const refused = e instanceof ProtocolError && typeof e.details.nak === 'string' && /IMAGE_|BAD_BODY/.test(e.details.nak);
      if (refused || attempt >= attempts) throw e;
    }
  }
  let onAnnounce: ((f: Frame) => void) | undefined;
  const announced = new Promise<Frame>((resolve, reject) => {
    const t = setTimeout(() => reject(new ProtocolError(`device did not restart within ${opts.bootTimeoutMs ?? 20000} ms after BOOT`)), opts.bootTimeoutMs ?? 20000);
    onAnnounce = (f) => {
      if (f.type === MsgType.INFO && f.flags & Flag.ANNOUNCE) {
        clearTimeout(t);
        resolve(f);
      }
    };
    session.onStream(onAnnounce);
    // Lost power or unplugged between BOOT and the announce: fail now, not at the boot timeout.
    session.transport.onClose(() => {
      clearTimeout(t);
      reject(new ProtocolError(`${session.transport.path} disconnected after BOOT, before the new firmware announced itself`, { disconnected: true }));
    });
  });
  announced.catch(() => undefined);
  try {
    await session.command(MsgType.BOOT);
    await announced;
  } finally {
    session.offStream(onAnnounce!);
  }
  const after = decodeInfo((await session.request(MsgType.HELLO)).body);
  if (after.bootSlot !== slot || after.imageVersion !== header.imageVersion)
    throw new ProtocolError(`after BOOT the device runs slot ${after.bootSlot} version ${after.imageVersion}, expected slot ${slot} version ${header.imageVersion}: the bootloader rejected the new image`, { after });
  let confirmed = false;
  if (!opts.skipConfirm) {
    await session.command(MsgType.CONFIRM);
    confirmed = true;
  }
  return { slot, imageVersion: header.imageVersion, payloadBytes: payload.length, seconds: (Date.now() - t0) / 1000, attempts: attempt, confirmed, before, after };
}
