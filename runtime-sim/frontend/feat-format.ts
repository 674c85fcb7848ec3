/**
 * `.feat` feature files (see FORMAT.md): 'TSFEAT01', u32 LE JSON header length, UTF-8 JSON header,
 * then frames x dims values row-major (int8, or float32 LE).
 */
import { readFile } from 'node:fs/promises';
import { TinyserError } from '../../common/errors.js';

export const FEAT_MAGIC = 'TSFEAT01';
export const FEAT_FORMAT_VERSION = 1;

export interface FeatHeader {
  formatVersion: number;
  file: string;
  configHash: string;
  kind: 'logmel' | 'mfcc';
  dtype: 'int8' | 'float32';
  frames: number;
  dims: number;
  scale: number;
  zeroPoint: number;
}

export interface FeatFile {
  header: FeatHeader;
  data: Int8Array | Float32Array;
}

export class FeatFormatError extends TinyserError {
  constructor(name: string, message: string, offset: number) {
    super('INPUT', `${name}: ${message} (byte offset ${offset})`, { file: name, offset }, 2);
  }
}

export function encodeFeat(header: Omit<FeatHeader, 'formatVersion'>, data: Int8Array | Float32Array): Uint8Array {
  const full: FeatHeader = { formatVersion: FEAT_FORMAT_VERSION, ...header };
  const expectedType = full.dtype === 'int8' ? Int8Array : Float32Array;
  if (!(data instanceof expectedType) || data.length !== full.frames * full.dims)
    throw new TinyserError('INPUT', `encodeFeat(${full.file}): data must be ${full.dtype}[${full.frames * full.dims}]`);
  const json = Buffer.from(JSON.stringify(full), 'utf8');
  const body = full.dtype === 'int8' ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.alloc(data.length * 4);
  if (full.dtype === 'float32') for (let i = 0; i < data.length; i++) body.writeFloatLE(data[i], i * 4);
  const out = Buffer.alloc(12 + json.length + body.length);
  out.write(FEAT_MAGIC, 0, 'ascii');
  out.writeUInt32LE(json.length, 8);
  json.copy(out, 12);
  body.copy(out, 12 + json.length);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

export function decodeFeat(bytes: Uint8Array, name = '<memory>'): FeatFile {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 12) throw new FeatFormatError(name, `file is ${b.length} bytes, shorter than the 12-byte preamble`, 0);
  if (b.toString('ascii', 0, 8) !== FEAT_MAGIC) throw new FeatFormatError(name, `bad magic, expected '${FEAT_MAGIC}'`, 0);
  const hlen = b.readUInt32LE(8);
  if (12 + hlen > b.length) throw new FeatFormatError(name, `header length ${hlen} runs past the end of the file (${b.length} bytes)`, 8);
  let header: FeatHeader;
  try {
    header = JSON.parse(b.toString('utf8', 12, 12 + hlen)) as FeatHeader;
  } catch (e) {
    throw new FeatFormatError(name, `header is not valid JSON: ${(e as Error).message}`, 12);
  }
  if (header.formatVersion !== FEAT_FORMAT_VERSION)
    throw new FeatFormatError(name, `unsupported formatVersion ${String(header.formatVersion)} (this reader knows ${FEAT_FORMAT_VERSION})`, 12);
  if (header.dtype !== 'int8' && header.dtype !== 'float32') throw new FeatFormatError(name, `unknown dtype ${String(header.dtype)}`, 12);
  if (!Number.isInteger(header.frames) || !Number.isInteger(header.dims) || header.frames < 0 || header.dims < 1)
    throw new FeatFormatError(name, `bad shape frames=${String(header.frames)} dims=${String(header.dims)}`, 12);
  const start = 12 + hlen;
  const n = header.frames * header.dims;
  const size = header.dtype === 'int8' ? n : n * 4;
  if (b.length !== start + size)
    throw new FeatFormatError(name, `data is ${b.length - start} bytes, header says ${header.frames}x${header.dims} ${header.dtype} = ${size}`, start);
  let data: Int8Array | Float32Array;
  if (header.dtype === 'int8') data = Int8Array.from(b.subarray(start, start + n), (v) => (v << 24) >> 24);
  else {
    data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = b.readFloatLE(start + 4 * i);
  }
  return { header, data };
}

export async function readFeatFile(path: string): Promise<FeatFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new TinyserError('INPUT', `${path}: cannot read feature file: ${(e as Error).message}`, { file: path });
  }
  return decodeFeat(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}
