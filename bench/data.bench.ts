/**
 * Data pipeline speed: demo-set generation (fresh, in a temporary cache), and the waveform
 * augmentations per second of 16 kHz audio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Prng, addNoiseAtSnr, pitchShift, timeStretch } from '../models/augment/index.js';
import { generateDemoDataset } from '../models/datasets/demo/index.js';

function speechLike(seconds: number): Float32Array {
  const x = new Float32Array(seconds * 16000);
  for (let i = 0; i < x.length; i++) {
    let v = 0;
    for (let h = 1; h <= 8; h++) v += Math.sin((2 * Math.PI * 140 * h * i) / 16000) / h;
    x[i] = 0.2 * v * (0.5 + 0.5 * Math.sin((2 * Math.PI * 3 * i) / 16000));
  }
  return x;
}

export default async function bench(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tinyser-bench-demo-'));
  try {
    const cpu0 = process.cpuUsage();
    const r = await generateDemoDataset({ seed: 123, count: 60, cacheDir: tmp });
    const cpu = process.cpuUsage(cpu0);
    const audioSec = r.manifest.clips.reduce((s, c) => s + c.durationSec, 0);
    console.log(
      `demo set (${r.manifest.engine}, 4 classes x 60 clips, ${audioSec.toFixed(0)} s of audio): ` +
        `${r.seconds.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const x = speechLike(2);
  const rng = new Prng(1);
  const time = (name: string, f: () => unknown, reps = 5): void => {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    const ms = (performance.now() - t0) / reps;
    console.log(`${name}: ${ms.toFixed(1)} ms per 2 s clip (${(2000 / ms).toFixed(0)}x real time)`);
  };
  time('noise (pink) at SNR', () => addNoiseAtSnr(x, rng, { snrDb: 10, source: 'pink' }));
  time('time stretch x1.2 (WSOLA)', () => timeStretch(x, 1.2));
  time('pitch shift +3 st', () => pitchShift(x, 3));
}
