/**
 * The single place models/ reaches WAV I/O (runtime-sim/audio), so the data pipeline has one seam
 * to the decoder: every file is decoded to 16 kHz mono, as the device frontend expects.
 */
export { WavFormatError, decodeWav, readWav, listWavFiles, encodeWavInt16, type AudioClip } from '../../runtime-sim/audio/index.ts';
