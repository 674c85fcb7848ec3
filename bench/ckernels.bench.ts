/**
 * Host inferences/s of the generated C (compiler/writers/c + firmware-assets/src/kernels, gcc -O2)
 * vs the TS int8 interpreter on the golden models the C kernels cover (case03 input).
 * `npm run bench -- ckernels`. Host figures only: on the emulated board count instructions instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchHostRunner, buildHostRunner, generateModelCFromTflite } from '../compiler/writers/c/index.js';
import { goldenModelBytes, runInterpreterInferences } from './interpreter.bench.js';

const MODELS = ['hello_world_int8', 'micro_speech_quantized', 'person_detect'] as const;

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tinyser-ckernels-bench-'));
  try {
    for (const name of MODELS) {
      const g = goldenModelBytes(name);
      if (!g) {
        console.log(`${name}: skipped (../shared/golden not found)`);
        continue;
      }
      const gen = generateModelCFromTflite(g.model, name);
      const exe = buildHostRunner(gen, path.join(dir, name), { flags: ['-O2'] });
      // aim for ~0.5 s of C work per model
      const probeNs = benchHostRunner(exe, g.input, 3);
      const n = Math.max(10, Math.min(1_000_000, Math.round(5e8 / Math.max(probeNs, 1))));
      const cNs = benchHostRunner(exe, g.input, n);
      const ts = runInterpreterInferences(g.model, g.input, Math.max(5, Math.min(20000, Math.round(n / 20))), name);
      const cIps = 1e9 / cNs;
      console.log(`${name.padEnd(24)} C ${cIps.toFixed(1).padStart(10)} inf/s (${(cNs / 1e3).toFixed(1)} us, ${gen.totalMacs} MACs, ` +
        `${gen.totalMacs ? (cNs / gen.totalMacs).toFixed(2) : '-'} ns/MAC, arena ${gen.arenaBytes} B)  TS ${ts.inferencesPerSecond.toFixed(1).padStart(9)} inf/s  C/TS ${(cIps / ts.inferencesPerSecond).toFixed(2)}x`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
