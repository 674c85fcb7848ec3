/** Audio input: WAV validation + decoding, band-limited resampling, WAV writers, input listing. */
export { WavFormatError, AudioInputError } from './errors.ts';
export { type AudioClip, DEFAULT_SAMPLE_RATE } from './audio-clip.ts';
export { decodeWav, readWav, type DecodeWavOptions } from './decode-wav.ts';
export { listWavFiles } from './list-wav-files.ts';
export { encodeWav, encodeWavInt16 } from './encode-wav.ts';
export { resample, resampledLength, RESAMPLE_STOPBAND_DB, RESAMPLE_PASSBAND_FRACTION } from './resample.ts';
export { floatToInt16, floatToInt16Sample } from './pcm-int16.ts';
export {
  parseWavLayout,
  formatTagName,
  type WavLayout,
  type WavSampleEncoding,
  MIN_CHANNELS,
  MAX_CHANNELS,
  MIN_SAMPLE_RATE,
  MAX_SAMPLE_RATE,
} from './wav-layout.ts';
