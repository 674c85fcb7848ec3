/** Loads a folder of noise recordings (any WAV runtime-sim/audio reads) as a bank for addNoiseAtSnr. */
import { listWavFiles, readWav } from '../datasets/wav-io.js';

export async function loadNoiseBank(inputs: string | string[]): Promise<{ bank: Float32Array[]; files: string[] }> {
  const files = await listWavFiles(Array.isArray(inputs) ? inputs : [inputs]);
  const bank: Float32Array[] = [];
  for (const f of files) bank.push((await readWav(f)).samplesFloat32);
  return { bank, files };
}
