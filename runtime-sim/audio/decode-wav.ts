/**
 * WAV bytes -> AudioClip: validate the RIFF structure (wav-layout.ts), let node-wav decode the samples
 * from a canonical copy, undo node-wav's conventions, downmix, resample, convert to int16.
 *
 * Why a canonical copy: node-wav re-reads the header itself (it does not know WAVE_FORMAT_EXTENSIBLE),
 * mis-handles typed arrays with a non-zero byteOffset (Node's pooled Buffers), and builds Int16/Int32/
 * Float32 views at the data offset, which throws when a chunk before `data` leaves it unaligned. A
 * fresh buffer with a 44-byte PCM/float header and the validated data bytes avoids all three.
 *
 * Why the code recovery: node-wav scales negative samples by 1/2^(b-1) but positive ones by
 * 1/(2^(b-1)-1), and decodes the 24-bit code 0x800000 as +1.0000001 instead of -1. tinyser's contract
 * is the usual symmetric one (code / 2^(b-1), as TFLM's int16 input and every DSP library assume), so
 * for 8/16/24-bit the exact integer code is recovered (node-wav's float32 result carries it with an
 * error below 0.25 LSB) and rescaled. 32-bit integer samples cannot be recovered exactly from float32
 * (24-bit mantissa); they are rescaled by (2^31-1)/2^31 and are within 1 float32 ulp of code / 2^31.
 *
 * Non-finite float samples are an error (they would poison every feature downstream); finite float
 * samples beyond [-1, 1] are clipped, as a DAC would.
 */
import { readFile } from 'node:fs/promises';
import wav from 'node-wav';
import { UsageError, errorMessage } from '../../common/errors.ts';
import { DEFAULT_SAMPLE_RATE, type AudioClip } from './audio-clip.ts';
import { AudioInputError, WavFormatError } from './errors.ts';
import { floatToInt16 } from './pcm-int16.ts';
import { resample } from './resample.ts';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE, parseWavLayout, type WavLayout } from './wav-layout.ts';

export interface DecodeWavOptions {
  /** Output rate in Hz (default 16000); integer in 1000..384000. */
  targetSampleRate?: number;
}

const CANONICAL_HEADER_BYTES = 44;

function canonicalCopy(bytes: Uint8Array, layout: WavLayout): Uint8Array {
  const out = new Uint8Array(CANONICAL_HEADER_BYTES + layout.dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (at: number, s: string): void => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, CANONICAL_HEADER_BYTES - 8 + layout.dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, layout.formatTag, true);
  view.setUint16(22, layout.channels, true);
  view.setUint32(24, layout.sampleRate, true);
  view.setUint32(28, layout.sampleRate * layout.blockAlign, true);
  view.setUint16(32, layout.blockAlign, true);
  view.setUint16(34, layout.bitsPerSample, true);
  ascii(36, 'data');
  view.setUint32(40, layout.dataBytes, true);
  out.set(bytes.subarray(layout.dataOffset, layout.dataOffset + layout.dataBytes), CANONICAL_HEADER_BYTES);
  return out;
}

/** node-wav's per-channel output -> mono Float32 with tinyser's symmetric scaling. */
function downmixToMono(channelData: Float32Array[], layout: WavLayout, name: string): Float32Array {
  const frames = layout.frames;
  const nch = layout.channels;
  const mono = new Float32Array(frames);
  if (layout.encoding === 'float32') {
    for (let i = 0; i < frames; i++) {
      let sum = 0;
      for (let c = 0; c < nch; c++) {
        const v = channelData[c][i];
        if (!Number.isFinite(v)) {
          const offset = layout.dataOffset + (i * nch + c) * 4;
          throw new WavFormatError(name, `non-finite float sample (${v}) at frame ${i}, channel ${c}, byte offset ${offset}`, { offset, frame: i, channel: c });
        }
        sum += v;
      }
      const m = sum / nch;
      mono[i] = m > 1 ? 1 : m < -1 ? -1 : m;
    }
    return mono;
  }
  if (layout.encoding === 'pcm_s32le') {
    const positiveRescale = 2147483647 / 2147483648;
    for (let i = 0; i < frames; i++) {
      let sum = 0;
      for (let c = 0; c < nch; c++) {
        const v = channelData[c][i];
        sum += v > 0 ? v * positiveRescale : v;
      }
      mono[i] = sum / nch;
    }
    return mono;
  }
  const bits = layout.bitsPerSample;
  const negativeScale = 2 ** (bits - 1);
  const positiveScale = negativeScale - 1;
  const wrap = 2 ** bits;
  const monoScale = 1 / (nch * negativeScale);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < nch; c++) {
      const v = channelData[c][i];
      let code = Math.round(v * (v < 0 ? negativeScale : positiveScale));
      if (code > positiveScale) code -= wrap; // node-wav's 24-bit 0x800000 quirk: it is the most negative code
      sum += code;
    }
    mono[i] = sum * monoScale;
  }
  return mono;
}

function checkTargetRate(rate: number): void {
  if (!Number.isInteger(rate) || rate < MIN_SAMPLE_RATE || rate > MAX_SAMPLE_RATE) {
    throw new UsageError(`targetSampleRate must be an integer in ${MIN_SAMPLE_RATE}..${MAX_SAMPLE_RATE} Hz, got ${rate}`);
  }
}

/** Decode a WAV held in memory. `name` labels errors and becomes AudioClip.path. */
export function decodeWav(bytes: Uint8Array, name: string, opts: DecodeWavOptions = {}): AudioClip {
  const targetRate = opts.targetSampleRate ?? DEFAULT_SAMPLE_RATE;
  checkTargetRate(targetRate);
  const layout = parseWavLayout(bytes, name);
  let channelData: Float32Array[];
  try {
    channelData = wav.decode(canonicalCopy(bytes, layout)).channelData;
  } catch (e) {
    // Unreachable for a validated layout; kept so a node-wav surprise still names the file.
    throw new WavFormatError(name, `sample decoder failed: ${errorMessage(e)}`);
  }
  if (channelData.length !== layout.channels || channelData.some((ch) => ch.length !== layout.frames)) {
    throw new WavFormatError(name, `sample decoder returned ${channelData.length} channel(s), expected ${layout.channels} × ${layout.frames} frames`);
  }
  let samples = downmixToMono(channelData, layout, name);
  if (layout.sampleRate !== targetRate) {
    samples = resample(samples, layout.sampleRate, targetRate);
    // Band-limiting can overshoot near full scale; the clip contract is [-1, 1].
    for (let i = 0; i < samples.length; i++) {
      const v = samples[i];
      if (v > 1) samples[i] = 1;
      else if (v < -1) samples[i] = -1;
    }
  }
  return {
    path: name,
    sampleRate: targetRate,
    sourceSampleRate: layout.sampleRate,
    sourceChannels: layout.channels,
    sourceEncoding: layout.encoding,
    samplesFloat32: samples,
    samplesInt16: floatToInt16(samples),
    durationSec: samples.length / targetRate,
  };
}

/** Read and decode a WAV file. Missing/unreadable paths throw AudioInputError; bad content WavFormatError. */
export async function readWav(path: string, opts: DecodeWavOptions = {}): Promise<AudioClip> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT' ? 'file not found (or a dangling symlink)'
      : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : code === 'EISDIR' ? 'is a directory, not a WAV file'
      : `cannot read: ${errorMessage(e)}`;
    throw new AudioInputError(path, problem, { errno: code });
  }
  return decodeWav(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), path, opts);
}
