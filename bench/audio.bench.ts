/** Audio input figures: reading the RAVDESS set, and resampling throughput at common rates. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWav, encodeWav, listWavFiles, readWav, resample } from '../runtime-sim/audio/index.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const datasetDir = resolve(repoRoot, '../shared', 'datasets/ravdess-4class-16k');

function tone(freq: number, rate: number, n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * freq * i) / rate));
}

export default async function benchAudio(): Promise<void> {
  if (existsSync(datasetDir)) {
    const t0 = performance.now();
    const files = await listWavFiles([datasetDir]);
    const tList = performance.now() - t0;
    let audioSec = 0;
    const t1 = performance.now();
    for (const f of files) audioSec += (await readWav(f)).durationSec;
    const tRead = performance.now() - t1;
    console.log(`ravdess: list ${files.length} files ${tList.toFixed(0)} ms; read+decode ${tRead.toFixed(0)} ms ` +
      `(${(tRead / files.length).toFixed(2)} ms/file, ${audioSec.toFixed(0)} s of audio, ${(audioSec / (tRead / 1000)).toFixed(0)}x real time)`);
  } else {
    console.log(`ravdess: skipped (${datasetDir} not found)`);
  }
  for (const rate of [44100, 48000, 22050, 8000, 22051]) {
    const seconds = 10;
    const x = tone(440, rate, rate * seconds);
    resample(x.subarray(0, rate), rate, 16000); // filter bank design is cached per rate pair: time it apart
    const t = performance.now();
    resample(x, rate, 16000);
    const ms = performance.now() - t;
    console.log(`resample ${rate} -> 16000: ${seconds} s of audio in ${ms.toFixed(0)} ms (${(seconds / (ms / 1000)).toFixed(0)}x real time)`);
  }
  const stereo24 = encodeWav([tone(300, 44100, 441000), tone(500, 44100, 441000)], 44100, 'pcm_s24le');
  const t = performance.now();
  decodeWav(stereo24, '<memory>');
  console.log(`decodeWav 10 s stereo 24-bit 44.1 kHz -> 16 kHz mono: ${(performance.now() - t).toFixed(0)} ms`);
}
