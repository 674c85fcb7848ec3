/**
 * Canonical 44-byte-header WAV writers, for tests, fixtures and demo data. Integer encodings use the
 * same conventions as the decoder (scale 2^(bits-1), ties away from zero, saturation; unsigned 8-bit
 * is offset by 128), so decodeWav(encodeWav(x)) returns the quantized x exactly. float32 is written
 * as given, unclipped, so tests can also produce over-range or non-finite float files on purpose.
 */
import { UsageError } from '../../common/errors.ts';
import { quantizeToCode } from './pcm-int16.ts';
import type { WavSampleEncoding } from './wav-layout.ts';

const HEADER_BYTES = 44;

const BYTES_PER_SAMPLE: Record<WavSampleEncoding, number> = {
  pcm_u8: 1,
  pcm_s16le: 2,
  pcm_s24le: 3,
  pcm_s32le: 4,
  float32: 4,
};

function checkArgs(sampleRate: number, channels: number, frames: number, bytesPerSample: number): void {
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 0xffffffff) {
    throw new UsageError(`encodeWav: sample rate must be a positive integer, got ${sampleRate}`);
  }
  if (!Number.isInteger(channels) || channels < 1 || channels > 0xffff) {
    throw new UsageError(`encodeWav: channel count must be an integer in 1..65535, got ${channels}`);
  }
  if (frames * channels * bytesPerSample > 0xffffffff - HEADER_BYTES) {
    throw new UsageError(`encodeWav: ${frames} frames × ${channels} channels do not fit a 4 GiB RIFF file`);
  }
}

function writeHeader(view: DataView, formatTag: number, channels: number, sampleRate: number, bytesPerSample: number, dataBytes: number): void {
  const ascii = (at: number, s: string): void => {
    for (let i = 0; i < 4; i++) view.setUint8(at + i, s.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, HEADER_BYTES - 8 + dataBytes + (dataBytes & 1), true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, formatTag, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * bytesPerSample, true);
  view.setUint16(32, channels * bytesPerSample, true);
  view.setUint16(34, bytesPerSample * 8, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
}

/** 16-bit PCM WAV from interleaved int16 samples (length must be a multiple of `channels`). */
export function encodeWavInt16(samples: Int16Array, sampleRate: number, channels = 1): Uint8Array {
  if (samples.length % channels !== 0) {
    throw new UsageError(`encodeWavInt16: ${samples.length} samples is not a multiple of ${channels} channels`);
  }
  checkArgs(sampleRate, channels, samples.length / channels, 2);
  const dataBytes = samples.length * 2;
  const out = new Uint8Array(HEADER_BYTES + dataBytes + (dataBytes & 1));
  const view = new DataView(out.buffer);
  writeHeader(view, 1, channels, sampleRate, 2, dataBytes);
  for (let i = 0; i < samples.length; i++) view.setInt16(HEADER_BYTES + 2 * i, samples[i], true);
  return out;
}

/** WAV with one Float32Array per channel (all the same length), in the given sample encoding. */
export function encodeWav(channels: Float32Array[], sampleRate: number, encoding: WavSampleEncoding): Uint8Array {
  const bytesPerSample = BYTES_PER_SAMPLE[encoding];
  if (bytesPerSample === undefined) throw new UsageError(`encodeWav: unknown encoding "${String(encoding)}"`);
  if (channels.length === 0) throw new UsageError('encodeWav: at least one channel is needed');
  const frames = channels[0].length;
  for (const [c, ch] of channels.entries()) {
    if (ch.length !== frames) throw new UsageError(`encodeWav: channel ${c} has ${ch.length} samples, channel 0 has ${frames}`);
  }
  checkArgs(sampleRate, channels.length, frames, bytesPerSample);
  const nch = channels.length;
  const dataBytes = frames * nch * bytesPerSample;
  const out = new Uint8Array(HEADER_BYTES + dataBytes + (dataBytes & 1));
  const view = new DataView(out.buffer);
  writeHeader(view, encoding === 'float32' ? 3 : 1, nch, sampleRate, bytesPerSample, dataBytes);
  let at = HEADER_BYTES;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < nch; c++) {
      const v = channels[c][i];
      switch (encoding) {
        case 'pcm_u8':
          view.setUint8(at, quantizeToCode(v, 128, -128, 127) + 128);
          break;
        case 'pcm_s16le':
          view.setInt16(at, quantizeToCode(v, 32768, -32768, 32767), true);
          break;
        case 'pcm_s24le': {
          const code = quantizeToCode(v, 8388608, -8388608, 8388607);
          view.setUint8(at, code & 0xff);
          view.setUint8(at + 1, (code >> 8) & 0xff);
          view.setUint8(at + 2, (code >> 16) & 0xff);
          break;
        }
        case 'pcm_s32le':
          view.setInt32(at, quantizeToCode(v, 2147483648, -2147483648, 2147483647), true);
          break;
        case 'float32':
          view.setFloat32(at, v, true);
          break;
      }
      at += bytesPerSample;
    }
  }
  return out;
}
