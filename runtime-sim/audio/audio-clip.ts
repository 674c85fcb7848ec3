/** The decoded, mono, resampled audio every other part of tinyser consumes. */
export interface AudioClip {
  /** File path, or the name given to decodeWav ('<memory>' by convention for buffers). */
  path: string;
  /** Rate of samplesFloat32 / samplesInt16, after resampling (default 16000). */
  sampleRate: number;
  sourceSampleRate: number;
  sourceChannels: number;
  /** 'pcm_u8' | 'pcm_s16le' | 'pcm_s24le' | 'pcm_s32le' | 'float32' */
  sourceEncoding: string;
  /** Mono (channels averaged), clipped to [-1, 1]. Integer sources are scaled by 1 / 2^(bits-1). */
  samplesFloat32: Float32Array;
  /** round(samplesFloat32 × 32768), ties away from zero, saturated to int16. */
  samplesInt16: Int16Array;
  /** samplesFloat32.length / sampleRate. */
  durationSec: number;
}

export const DEFAULT_SAMPLE_RATE = 16000;
