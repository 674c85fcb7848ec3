/**
 * Host inferences/s of the generated C (compiler/writers/c + firmware-assets/src/kernels, gcc -O2)
 * vs the TS int8 interpreter on the golden models the C kernels cover (case03 input), and, when
 * arm-none-eabi-gcc and qemu-system-arm are installed, Cortex-M4 instructions per MAC measured by
 * compiler/writers/c/qemu-m4.ts (bare-metal ELF on qemu mps2-an386 -icount shift=0, SysTick read
 * in the op hook: 40 instructions per tick).
 * `npm run bench -- ckernels`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchHostRunner, buildHostRunner, generateModelCFromTflite, haveQemuM4Tools, runOnQemuM4 } from '../compiler/writers/c/index.js';
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
      const instr = haveQemuM4Tools() ? runOnQemuM4(gen, path.join(dir, `${name}-m4`), g.input).instructions : null;
      if (!instr) {
        console.log('  cortex-m4: skipped (arm-none-eabi-gcc or qemu-system-arm missing)');
        continue;
      }
      const total = instr.reduce((a, b) => a + b, 0);
      const byKernel = new Map<string, { macs: number; instr: number }>();
      gen.ops.forEach((o, i) => {
        const k = byKernel.get(o.kernel) ?? { macs: 0, instr: 0 };
        k.macs += o.macs;
        k.instr += instr[i]!;
        byKernel.set(o.kernel, k);
      });
      const parts = [...byKernel].filter(([, v]) => v.macs > 0).map(([k, v]) => `${k.replace(/^tsk_|_int8$/g, '')} ${(v.instr / v.macs).toFixed(2)}`);
      console.log(`  cortex-m4 (qemu icount): ${(total / 1e6).toFixed(2)} M instructions per invoke, ` +
        `${gen.totalMacs ? (total / gen.totalMacs).toFixed(2) : '-'} instructions/MAC (${parts.join(', ')})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
