/**
 * Firmware/model image: 128-byte header + payload (layout in firmware-assets/PROTOCOL.md, C twin
 * firmware-assets/src/boot/image.c). SHA-256 covers header[0..32) and the payload.
 * Optional ed25519 signature (flags bit0) over header[0..64), which includes the payload digest;
 * firmware built with SIGNING_PUBKEY refuses unsigned or wrongly signed images.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { TinyserError } from '../../common/errors.js';

export const IMAGE_MAGIC = 0x4d495354; // "TSIM"
export const IMAGE_FORMAT_VERSION = 1;
export const IMAGE_HEADER_BYTES = 128;
const HASHED_HEADER_BYTES = 32;

export interface ImageHeader {
  boardId: number;
  imageVersion: number;
  payloadBytes: number;
  loadAddr: number;
  flags: number;
  sha256: Uint8Array;
}

export class ImageFormatError extends TinyserError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('INPUT', message, details, 2);
  }
}

export const IMAGE_FLAG_SIGNED = 0x1;

export function buildImage(payload: Uint8Array, h: { boardId: number; imageVersion: number; loadAddr: number; signingKey?: KeyObject }): Uint8Array {
  const img = new Uint8Array(IMAGE_HEADER_BYTES + payload.length);
  const dv = new DataView(img.buffer);
  dv.setUint32(0, IMAGE_MAGIC, true);
  dv.setUint16(4, IMAGE_FORMAT_VERSION, true);
  dv.setUint16(6, IMAGE_HEADER_BYTES, true);
  dv.setUint32(8, h.boardId, true);
  dv.setUint32(12, h.imageVersion, true);
  dv.setUint32(16, payload.length, true);
  dv.setUint32(20, h.loadAddr, true);
  dv.setUint32(24, h.signingKey ? IMAGE_FLAG_SIGNED : 0, true);
  img.set(payload, IMAGE_HEADER_BYTES);
  img.set(imageDigest(img.subarray(0, IMAGE_HEADER_BYTES), payload), 32);
  if (h.signingKey) img.set(sign(null, img.subarray(0, 64), h.signingKey), 64);
  return img;
}

export function imageDigest(header: Uint8Array, payload: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(header.subarray(0, HASHED_HEADER_BYTES)).update(payload).digest());
}

/** Parses and verifies (SHA-256) an image file's bytes; `name` appears in errors. */
export function parseImage(img: Uint8Array, name = 'image'): { header: ImageHeader; payload: Uint8Array } {
  if (img.length < IMAGE_HEADER_BYTES) throw new ImageFormatError(`${name}: ${img.length} bytes is shorter than the ${IMAGE_HEADER_BYTES}-byte image header`);
  const dv = new DataView(img.buffer, img.byteOffset, img.byteLength);
  if (dv.getUint32(0, true) !== IMAGE_MAGIC) throw new ImageFormatError(`${name}: bad magic at offset 0 (not a tinyser image; build one with 'tinyser firmware image')`);
  if (dv.getUint16(4, true) !== IMAGE_FORMAT_VERSION || dv.getUint16(6, true) !== IMAGE_HEADER_BYTES)
    throw new ImageFormatError(`${name}: unsupported image format ${dv.getUint16(4, true)} / header size ${dv.getUint16(6, true)} at offset 4`);
  const header: ImageHeader = {
    boardId: dv.getUint32(8, true),
    imageVersion: dv.getUint32(12, true),
    payloadBytes: dv.getUint32(16, true),
    loadAddr: dv.getUint32(20, true),
    flags: dv.getUint32(24, true),
    sha256: img.slice(32, 64),
  };
  if (img.length !== IMAGE_HEADER_BYTES + header.payloadBytes)
    throw new ImageFormatError(`${name}: header says ${header.payloadBytes} payload bytes (offset 16) but the file carries ${img.length - IMAGE_HEADER_BYTES}`);
  const payload = img.subarray(IMAGE_HEADER_BYTES);
  const digest = imageDigest(img, payload);
  if (Buffer.compare(Buffer.from(digest), Buffer.from(header.sha256)) !== 0)
    throw new ImageFormatError(`${name}: SHA-256 mismatch (header offset 32): the image is corrupted or tampered with`);
  return { header, payload };
}

/** Raw 32-byte ed25519 public key (what firmware is built with) from a key object or PEM. */
export function ed25519PublicKeyRaw(key: KeyObject | string): Uint8Array {
  const k = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  if (k.asymmetricKeyType !== 'ed25519') throw new ImageFormatError(`signing key is ${k.asymmetricKeyType}, expected ed25519`);
  const der = k.export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - 32));
}

export function loadSigningKey(pem: string, name = 'key'): KeyObject {
  try {
    const k = createPrivateKey(pem);
    if (k.asymmetricKeyType !== 'ed25519') throw new Error(`${k.asymmetricKeyType} key`);
    return k;
  } catch (e) {
    throw new ImageFormatError(`${name}: not an ed25519 private key in PEM (${(e as Error).message}); make one with 'openssl genpkey -algorithm ed25519'`);
  }
}

/** Host-side check of an image's signature against a public key. */
export function verifyImageSignature(img: Uint8Array, publicKey: KeyObject): boolean {
  const flags = new DataView(img.buffer, img.byteOffset, img.byteLength).getUint32(24, true);
  return (flags & IMAGE_FLAG_SIGNED) !== 0 && verify(null, img.subarray(0, 64), publicKey, img.subarray(64, 128));
}
