/**
 * RIFF/WAVE structure parser and validator. node-wav (which decodes the samples) trusts every header
 * field and reads past chunk ends, so the chunk structure is checked here first, with every read
 * bounds-checked against the real byte length. The chunk walk advances at least 8 bytes per step and
 * stops at the end of the buffer, so its cost is bounded by the file size, never by a header field.
 *
 * Policies (each one a deliberate choice, documented because real files disagree with the spec):
 * - The RIFF size field is ignored: streaming writers leave it 0 or 0xFFFFFFFF, and the data chunk's
 *   own size is what decides how many samples exist.
 * - The byte-rate field is ignored: it is redundant (rate × block align), some writers get it wrong,
 *   and decoding never uses it. Block align, which decoding does depend on, must be consistent.
 * - A data chunk that declares more bytes than the file holds is an error ("truncated data chunk"),
 *   never a silent partial read: a cut-off recording would otherwise feed a shorter clip than the
 *   dataset says. The same holds for the 0xFFFFFFFF "unknown length" marker of streaming writers.
 * - A data chunk whose size is not a whole number of frames (block align) is an error.
 * - Only the first data chunk is read; chunks after it (LIST, id3, ...) are never looked at, so
 *   trailing metadata or garbage after the samples cannot break a valid file.
 * - fmt must come before data (as the RIFF WAVE spec requires); a second fmt chunk is an error.
 */
import { WavFormatError } from './errors.ts';

export type WavSampleEncoding = 'pcm_u8' | 'pcm_s16le' | 'pcm_s24le' | 'pcm_s32le' | 'float32';

export interface WavLayout {
  encoding: WavSampleEncoding;
  channels: number;
  sampleRate: number;
  /** Container bits per sample (8, 16, 24, 32). */
  bitsPerSample: number;
  /** Bytes per frame (all channels of one sample instant). */
  blockAlign: number;
  /** Byte offset of the first sample in the buffer. */
  dataOffset: number;
  dataBytes: number;
  frames: number;
  /** The format tag the samples use (PCM 0x0001 or IEEE float 0x0003), after unwrapping WAVE_FORMAT_EXTENSIBLE. */
  formatTag: number;
  extensible: boolean;
}

export const MIN_CHANNELS = 1;
export const MAX_CHANNELS = 32;
export const MIN_SAMPLE_RATE = 1000;
export const MAX_SAMPLE_RATE = 384000;

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
const RIFF_HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;
const FMT_MIN_BYTES = 16;
const FMT_EXTENSIBLE_MIN_BYTES = 40;
const EXTENSIBLE_CB_SIZE = 22;
/** KSDATAFORMAT_SUBTYPE_* GUIDs share these bytes after the 2-byte format tag. */
const SUBFORMAT_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** Names for format tags people actually meet, so the error says "mu-law" rather than a bare number. */
const FORMAT_TAG_NAMES: Record<number, string> = {
  0x0000: 'unknown',
  0x0001: 'PCM',
  0x0002: 'Microsoft ADPCM',
  0x0003: 'IEEE float',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MPEG layer 3',
  0x0161: 'Windows Media Audio',
  0x2000: 'AC-3',
  0xfffe: 'WAVE_FORMAT_EXTENSIBLE',
};

const CONVERT_HINT = 'convert it to 16-bit PCM first, e.g. `sox in.wav -e signed-integer -b 16 out.wav`';

export function formatTagName(tag: number): string {
  const hex = `0x${tag.toString(16).padStart(4, '0')}`;
  const name = FORMAT_TAG_NAMES[tag];
  return name === undefined ? `format tag ${hex}` : `format tag ${hex} (${name})`;
}

/** Chunk id for messages: printable ASCII as is, anything else (and quote/backslash) as \xNN. */
function fourcc(bytes: Uint8Array, at: number): string {
  let s = '';
  for (let i = 0; i < 4; i++) {
    const c = bytes[at + i];
    s += c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s;
}

interface FmtFields {
  formatTag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
  extensible: boolean;
}

function parseFmt(view: DataView, bytes: Uint8Array, body: number, size: number, name: string): FmtFields {
  const at = (field: string): Record<string, unknown> => ({ offset: body, field });
  if (size < FMT_MIN_BYTES) {
    throw new WavFormatError(name, `fmt chunk at offset ${body - CHUNK_HEADER_BYTES} is ${size} bytes, needs at least ${FMT_MIN_BYTES}`, at('fmt size'));
  }
  let formatTag = view.getUint16(body, true);
  const channels = view.getUint16(body + 2, true);
  const sampleRate = view.getUint32(body + 4, true);
  const blockAlign = view.getUint16(body + 12, true);
  const bitsPerSample = view.getUint16(body + 14, true);
  let extensible = false;

  if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    extensible = true;
    if (size < FMT_EXTENSIBLE_MIN_BYTES) {
      throw new WavFormatError(name, `WAVE_FORMAT_EXTENSIBLE fmt chunk is ${size} bytes, needs at least ${FMT_EXTENSIBLE_MIN_BYTES}`, at('fmt size'));
    }
    const cbSize = view.getUint16(body + 16, true);
    if (cbSize < EXTENSIBLE_CB_SIZE) {
      throw new WavFormatError(name, `WAVE_FORMAT_EXTENSIBLE extension size is ${cbSize}, needs at least ${EXTENSIBLE_CB_SIZE}`, at('cbSize'));
    }
    const validBits = view.getUint16(body + 18, true);
    if (validBits > bitsPerSample) {
      throw new WavFormatError(name, `valid bits per sample ${validBits} exceed the container's ${bitsPerSample} bits`, at('wValidBitsPerSample'));
    }
    const guid = body + 24;
    for (let i = 0; i < SUBFORMAT_GUID_TAIL.length; i++) {
      if (bytes[guid + 2 + i] !== SUBFORMAT_GUID_TAIL[i]) {
        throw new WavFormatError(name, `WAVE_FORMAT_EXTENSIBLE SubFormat GUID at offset ${guid} is not a KSDATAFORMAT_SUBTYPE GUID; ${CONVERT_HINT}`, at('SubFormat'));
      }
    }
    formatTag = view.getUint16(guid, true);
    if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
      throw new WavFormatError(name, `WAVE_FORMAT_EXTENSIBLE SubFormat names ${formatTagName(formatTag)} again`, at('SubFormat'));
    }
  }

  if (formatTag !== WAVE_FORMAT_PCM && formatTag !== WAVE_FORMAT_IEEE_FLOAT) {
    throw new WavFormatError(
      name,
      `unsupported encoding: ${formatTagName(formatTag)}${extensible ? ' inside WAVE_FORMAT_EXTENSIBLE' : ''}; tinyser reads 8/16/24/32-bit integer PCM and 32-bit float; ${CONVERT_HINT}`,
      { ...at('wFormatTag'), formatTag },
    );
  }
  if (channels < MIN_CHANNELS || channels > MAX_CHANNELS) {
    throw new WavFormatError(name, `channel count ${channels} is outside ${MIN_CHANNELS}..${MAX_CHANNELS}`, { ...at('nChannels'), channels });
  }
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw new WavFormatError(name, `sample rate ${sampleRate} Hz is outside ${MIN_SAMPLE_RATE}..${MAX_SAMPLE_RATE} Hz`, { ...at('nSamplesPerSec'), sampleRate });
  }
  if (formatTag === WAVE_FORMAT_PCM && ![8, 16, 24, 32].includes(bitsPerSample)) {
    throw new WavFormatError(name, `unsupported PCM bit depth ${bitsPerSample} (${formatTagName(formatTag)}); tinyser reads 8, 16, 24 and 32-bit integer PCM; ${CONVERT_HINT}`, { ...at('wBitsPerSample'), bitsPerSample });
  }
  if (formatTag === WAVE_FORMAT_IEEE_FLOAT && bitsPerSample !== 32) {
    throw new WavFormatError(name, `unsupported ${bitsPerSample}-bit float (${formatTagName(formatTag)}); tinyser reads 32-bit float only; ${CONVERT_HINT}`, { ...at('wBitsPerSample'), bitsPerSample });
  }
  const expectedAlign = channels * (bitsPerSample / 8);
  if (blockAlign !== expectedAlign) {
    throw new WavFormatError(name, `block align ${blockAlign} does not match ${channels} channel(s) × ${bitsPerSample / 8} bytes = ${expectedAlign}`, { ...at('nBlockAlign'), blockAlign, expectedAlign });
  }
  return { formatTag, channels, sampleRate, blockAlign, bitsPerSample, extensible };
}

function encodingOf(fmt: FmtFields): WavSampleEncoding {
  if (fmt.formatTag === WAVE_FORMAT_IEEE_FLOAT) return 'float32';
  switch (fmt.bitsPerSample) {
    case 8: return 'pcm_u8';
    case 16: return 'pcm_s16le';
    case 24: return 'pcm_s24le';
    default: return 'pcm_s32le';
  }
}

/** Parse and validate the RIFF/WAVE structure of `bytes`; `name` is used in every error message. */
export function parseWavLayout(bytes: Uint8Array, name: string): WavLayout {
  const length = bytes.byteLength;
  if (length < RIFF_HEADER_BYTES) {
    throw new WavFormatError(name, `file is ${length} bytes, too short for a RIFF/WAVE header (${RIFF_HEADER_BYTES} bytes)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, length);
  const magic = fourcc(bytes, 0);
  if (magic !== 'RIFF') {
    const why =
      magic === 'RIFX' ? 'big-endian RIFX WAV is not supported'
      : magic === 'RF64' || magic === 'BW64' ? `${magic} (64-bit size) WAV is not supported`
      : `not a RIFF file (starts with "${magic}")`;
    throw new WavFormatError(name, `${why}; ${CONVERT_HINT}`, { offset: 0 });
  }
  const form = fourcc(bytes, 8);
  if (form !== 'WAVE') {
    throw new WavFormatError(name, `RIFF form type is "${form}", not "WAVE"`, { offset: 8 });
  }

  let fmt: FmtFields | undefined;
  let pos = RIFF_HEADER_BYTES;
  while (pos + CHUNK_HEADER_BYTES <= length) {
    const id = fourcc(bytes, pos);
    const size = view.getUint32(pos + 4, true);
    const body = pos + CHUNK_HEADER_BYTES;
    const remaining = length - body;

    if (id === 'data') {
      if (fmt === undefined) {
        throw new WavFormatError(name, `data chunk at offset ${pos} comes before any fmt chunk`, { offset: pos });
      }
      if (size === 0) {
        throw new WavFormatError(name, `data chunk at offset ${pos} is empty (0 bytes)`, { offset: pos });
      }
      if (size > remaining) {
        throw new WavFormatError(name, `truncated data chunk: declared ${size} bytes, file has ${remaining}`, { offset: pos, declared: size, available: remaining });
      }
      if (size % fmt.blockAlign !== 0) {
        throw new WavFormatError(name, `data chunk size ${size} is not a whole number of ${fmt.blockAlign}-byte frames`, { offset: pos, declared: size, blockAlign: fmt.blockAlign });
      }
      return {
        encoding: encodingOf(fmt),
        channels: fmt.channels,
        sampleRate: fmt.sampleRate,
        bitsPerSample: fmt.bitsPerSample,
        blockAlign: fmt.blockAlign,
        dataOffset: body,
        dataBytes: size,
        frames: size / fmt.blockAlign,
        formatTag: fmt.formatTag,
        extensible: fmt.extensible,
      };
    }
    if (size > remaining) {
      throw new WavFormatError(name, `chunk "${id}" at offset ${pos} declares ${size} bytes but only ${remaining} remain${fmt === undefined ? '' : ' (no data chunk before it)'}`, { offset: pos, declared: size, available: remaining });
    }
    if (id === 'fmt ') {
      if (fmt !== undefined) throw new WavFormatError(name, `second fmt chunk at offset ${pos}`, { offset: pos });
      fmt = parseFmt(view, bytes, body, size, name);
    }
    // Chunks are padded to even sizes; the pad byte is not counted in the size field.
    pos = body + size + (size & 1);
  }
  if (fmt === undefined) throw new WavFormatError(name, 'no fmt chunk found');
  throw new WavFormatError(name, `no data chunk found (chunks walked up to offset ${Math.min(pos, length)} of ${length})`);
}
