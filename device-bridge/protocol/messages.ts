/** Protocol v1 message types and body codecs (byte layouts in firmware-assets/PROTOCOL.md). */
export const MsgType = {
  HELLO: 0x01,
  INFO: 0x02,
  AUDIO: 0x03,
  RESULT: 0x04,
  FEATURES: 0x05,
  LOG: 0x06,
  FLASH_BEGIN: 0x07,
  FLASH_DATA: 0x08,
  FLASH_END: 0x09,
  BOOT: 0x0a,
  CONFIRM: 0x0b,
  RESET: 0x0c,
  REPLAY: 0x0d,
  STATS: 0x0e,
  ACK: 0x7e,
  NAK: 0x7f,
} as const;
export type MsgTypeName = keyof typeof MsgType;

export const Flag = {
  START: 0x01,
  FEATURES: 0x02,
  /** AUDIO: last chunk of a stream; the device ships its held RESULT records before the ACK. */
  END: 0x04,
  /** AUDIO: bulk stream (the host waits for the end): RESULT records leave in full frames, no time bound. */
  BULK: 0x08,
  REPLAYED: 0x20,
  REPLY: 0x40,
  ANNOUNCE: 0x80,
} as const;

export const NakCode = {
  BAD_TYPE: 1,
  BAD_BODY: 2,
  OFFSET_GAP: 3,
  BUSY: 4,
  IMAGE_BOARD: 5,
  IMAGE_FORMAT: 6,
  IMAGE_HASH: 7,
  IMAGE_SIZE: 8,
  NO_IMAGE: 9,
  NOT_PENDING: 10,
  BAD_SIGNATURE: 11,
  REPLAY_GONE: 12,
  NO_FLASH: 13,
} as const;

export function msgTypeName(t: number): string {
  for (const [k, v] of Object.entries(MsgType)) if (v === t) return k;
  return `0x${t.toString(16)}`;
}
export function nakCodeName(c: number): string {
  for (const [k, v] of Object.entries(NakCode)) if (v === c) return k;
  return String(c);
}

/** A frame from the device is a stream frame (gap-checked) unless it answers a command. */
export function isStreamFrame(flags: number): boolean {
  return (flags & Flag.REPLY) === 0;
}

export const BOOT_SLOT_NONE = 0xff;

export interface DeviceInfo {
  firmwareVersion: string;
  maxBody: number;
  boardId: number;
  cpuHz: number;
  modelId: number;
  frontendHash: number;
  arenaBytes: number;
  sampleRateHz: number;
  windowSamples: number;
  hopSamples: number;
  numClasses: number;
  bootSlot: number | null;
  imageVersion: number;
  pendingConfirm: boolean;
  rolledBack: boolean;
  numFeatures: number;
  nextAudioOffset: number;
  capabilities: { flash: boolean; features: boolean; replay: boolean; signatures: boolean };
  board: string;
}

export const INFO_BODY_BYTES = 64;
/** INFO offsets of features per window: u8 before firmware 1.1 (now min(n, 255)), u16 since 1.1. */
export const INFO_FEATURES_U8_OFFSET = 37;
export const INFO_FEATURES_U16_OFFSET = 38;

/**
 * Features per window from an INFO body. Firmware 1.1 writes the count as u16 at 38 (reserved, 0,
 * before) and min(count, 255) at 37; older firmware only the u8 at 37, which wrapped above 255.
 */
export function infoFeaturesPerWindow(b: Uint8Array): number {
  const u16 = b[INFO_FEATURES_U16_OFFSET]! | (b[INFO_FEATURES_U16_OFFSET + 1]! << 8);
  return u16 !== 0 ? u16 : b[INFO_FEATURES_U8_OFFSET]!;
}

export function decodeInfo(b: Uint8Array): DeviceInfo {
  if (b.length < INFO_BODY_BYTES) throw new RangeError(`INFO body has ${b.length} bytes, expected ${INFO_BODY_BYTES}`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const fw = dv.getUint16(0, true);
  const caps = dv.getUint32(44, true);
  const nameBytes = b.subarray(48, 64);
  const end = nameBytes.indexOf(0);
  return {
    firmwareVersion: `${fw >> 8}.${fw & 0xff}`,
    maxBody: dv.getUint16(2, true),
    boardId: dv.getUint32(4, true),
    cpuHz: dv.getUint32(8, true),
    modelId: dv.getUint32(12, true),
    frontendHash: dv.getUint32(16, true),
    arenaBytes: dv.getUint32(20, true),
    sampleRateHz: dv.getUint16(24, true),
    windowSamples: dv.getUint16(26, true),
    hopSamples: dv.getUint16(28, true),
    numClasses: b[30]!,
    bootSlot: b[31] === BOOT_SLOT_NONE ? null : b[31]!,
    imageVersion: dv.getUint32(32, true),
    pendingConfirm: (b[36]! & 1) !== 0,
    rolledBack: (b[36]! & 2) !== 0,
    numFeatures: infoFeaturesPerWindow(b),
    nextAudioOffset: dv.getUint32(40, true),
    capabilities: { flash: (caps & 1) !== 0, features: (caps & 2) !== 0, replay: (caps & 4) !== 0, signatures: (caps & 8) !== 0 },
    board: new TextDecoder().decode(end >= 0 ? nameBytes.subarray(0, end) : nameBytes),
  };
}

export interface AckBody {
  seq: number;
  forType: number;
  code: number;
  value: number;
}
export function decodeAck(b: Uint8Array): AckBody {
  if (b.length !== 8) throw new RangeError(`ACK/NAK body has ${b.length} bytes, expected 8`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { seq: dv.getUint16(0, true), forType: b[2]!, code: b[3]!, value: dv.getUint32(4, true) };
}

export interface ResultRecord {
  window: number;
  frontendCycles: number;
  modelCycles: number;
  top: number;
  scores: number[];
}
export const RESULT_RECORD_FIXED_BYTES = 13;

export function encodeResults(records: ResultRecord[], numClasses: number): Uint8Array {
  const rec = RESULT_RECORD_FIXED_BYTES + numClasses;
  const b = new Uint8Array(2 + rec * records.length);
  const dv = new DataView(b.buffer);
  b[0] = records.length;
  b[1] = numClasses;
  records.forEach((r, i) => {
    const o = 2 + i * rec;
    dv.setUint32(o, r.window, true);
    dv.setUint32(o + 4, r.frontendCycles, true);
    dv.setUint32(o + 8, r.modelCycles, true);
    b[o + 12] = r.top;
    for (let c = 0; c < numClasses; c++) dv.setInt8(o + 13 + c, r.scores[c]!);
  });
  return b;
}

export function decodeResults(b: Uint8Array): ResultRecord[] {
  if (b.length < 2) throw new RangeError('RESULT body shorter than its 2-byte header');
  const count = b[0]!;
  const nc = b[1]!;
  const rec = RESULT_RECORD_FIXED_BYTES + nc;
  if (b.length !== 2 + count * rec) throw new RangeError(`RESULT body has ${b.length} bytes, expected ${2 + count * rec}`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: ResultRecord[] = [];
  for (let i = 0; i < count; i++) {
    const o = 2 + i * rec;
    const scores: number[] = [];
    for (let c = 0; c < nc; c++) scores.push(dv.getInt8(o + 13 + c));
    out.push({ window: dv.getUint32(o, true), frontendCycles: dv.getUint32(o + 4, true), modelCycles: dv.getUint32(o + 8, true), top: b[o + 12]!, scores });
  }
  return out;
}

export interface FeaturesBody {
  window: number;
  features: Int8Array;
}
export function decodeFeatures(b: Uint8Array): FeaturesBody {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = dv.getUint16(4, true);
  if (b.length !== 6 + n) throw new RangeError(`FEATURES body has ${b.length} bytes, expected ${6 + n}`);
  return { window: dv.getUint32(0, true), features: new Int8Array(b.slice(6, 6 + n).buffer) };
}

export function encodeAudio(sampleOffset: number, pcm: Int16Array): Uint8Array {
  const b = new Uint8Array(4 + pcm.length * 2);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, sampleOffset, true);
  for (let i = 0; i < pcm.length; i++) dv.setInt16(4 + 2 * i, pcm[i]!, true);
  return b;
}

export function encodeFlashData(offset: number, data: Uint8Array): Uint8Array {
  const b = new Uint8Array(4 + data.length);
  new DataView(b.buffer).setUint32(0, offset, true);
  b.set(data, 4);
  return b;
}

export function encodeReplay(fromWindow: number, count: number): Uint8Array {
  const b = new Uint8Array(6);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, fromWindow, true);
  dv.setUint16(4, Math.min(count, 0xffff), true);
  return b;
}

export interface DeviceStats {
  framesOk: number;
  framesBad: number;
  txFrames: number;
  resultsProduced: number;
  streamSeq: number;
  historyCount: number;
  cycles: number;
}
export function decodeStats(b: Uint8Array): DeviceStats {
  if (b.length !== 28) throw new RangeError(`STATS body has ${b.length} bytes, expected 28`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u = (o: number) => dv.getUint32(o, true);
  return { framesOk: u(0), framesBad: u(4), txFrames: u(8), resultsProduced: u(12), streamSeq: u(16), historyCount: u(20), cycles: u(24) };
}

export interface LogBody {
  level: number;
  text: string;
}
export function decodeLog(b: Uint8Array): LogBody {
  return { level: b[0] ?? 0, text: new TextDecoder().decode(b.subarray(1)) };
}
