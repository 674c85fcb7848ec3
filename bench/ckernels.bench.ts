/**
 * Host inferences/s of the generated C (compiler/writers/c + firmware-assets/src/kernels, gcc -O2)
 * vs the TS int8 interpreter on the golden models the C kernels cover (case03 input), and, when
 * arm-none-eabi-gcc and qemu-system-arm are installed, Cortex-M4 instructions per MAC: a bare-metal
 * ELF (its own tiny startup, semihosting output, not the firmware port) runs one invoke on
 * `qemu-system-arm -M mps2-an386 -icount shift=0`, where SysTick counts 25 MHz ticks of 1 ns
 * instructions, i.e. 40 instructions per tick; an op hook reads SysTick after every op.
 * `npm run bench -- ckernels`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  benchHostRunner, buildHostRunner, CORTEX_M4_FLAGS, generateModelCFromTflite, KERNELS_DIR, kernelSourceFiles, STRICT_C_FLAGS, type GeneratedModelC,
} from '../compiler/writers/c/index.js';
import { goldenModelBytes, runInterpreterInferences } from './interpreter.bench.js';

const INSTRUCTIONS_PER_SYSTICK = 40; // icount shift=0: 1 ns per instruction; SysTick at 25 MHz

const M4_LINKER_SCRIPT = `MEMORY { FLASH (rx) : ORIGIN = 0x00000000, LENGTH = 4M  RAM (rwx) : ORIGIN = 0x20000000, LENGTH = 4M }
SECTIONS {
  .text : { KEEP(*(.vectors)) *(.text*) *(.rodata*) . = ALIGN(4); _etext = .; } > FLASH
  .data : AT(_etext) { _sdata = .; *(.data*) . = ALIGN(4); _edata = .; } > RAM
  .bss : { _sbss = .; *(.bss*) *(COMMON) . = ALIGN(4); _ebss = .; } > RAM
  _estack = ORIGIN(RAM) + LENGTH(RAM);
}
`;

function m4Main(gen: GeneratedModelC): string {
  const P = gen.prefix, PU = P.toUpperCase();
  return `#include <stdint.h>
#include <string.h>
#include "model.h"
extern uint32_t _etext, _sdata, _edata, _sbss, _ebss, _estack;
int main(void);
void reset_handler(void) {
  uint32_t *s = &_etext, *d = &_sdata;
  while (d < &_edata) *d++ = *s++;
  for (d = &_sbss; d < &_ebss;) *d++ = 0;
  *(volatile uint32_t *)0xE000ED88 |= 0xFu << 20; /* FPU on (hard-float build) */
  main();
  for (;;) {}
}
void default_handler(void) { for (;;) {} }
__attribute__((section(".vectors"), used)) const void *const vectors[4] = {
  &_estack, (const void *)reset_handler, (const void *)default_handler, (const void *)default_handler };
static int semihost(int op, const void *arg) {
  register int r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
static void put_u32(uint32_t v) { char b[12]; int i = 11; b[i] = 0; do { b[--i] = (char)('0' + v % 10); v /= 10; } while (v); semihost(4, &b[i]); semihost(4, "\\n"); }
#define SYST_CSR (*(volatile uint32_t *)0xE000E010)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018)
static uint32_t last, ticks[${PU}_OP_COUNT];
static void hook(int32_t op, void *user) {
  const uint32_t now = SYST_CVR;
  (void)user;
  ticks[op] += (last - now) & 0xFFFFFFu; /* each op is far below the 24-bit wrap */
  last = SYST_CVR;
}
static int8_t in[${PU}_INPUT_BYTES], out[${PU}_OUTPUT_BYTES];
int main(void) {
  int i;
  memset(in, 3, sizeof in);
  SYST_RVR = 0xFFFFFFu; SYST_CVR = 0; SYST_CSR = 5;
  ${P}_set_op_hook(hook, 0);
  last = SYST_CVR;
  ${P}_invoke(in, out);
  for (i = 0; i < ${PU}_OP_COUNT; i++) put_u32(ticks[i]);
  { static const uint32_t args[2] = {0x20026u, 0u}; semihost(0x18, args); }
  return 0;
}
`;
}

/** Instructions per op of one invoke on the emulated Cortex-M4, or null when the tools are missing. */
function m4InstructionsPerOp(gen: GeneratedModelC, dir: string): number[] | null {
  const has = (cmd: string): boolean => spawnSync(cmd, ['--version']).status === 0;
  if (!has('arm-none-eabi-gcc') || !has('qemu-system-arm')) return null;
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(gen.files)) writeFileSync(path.join(dir, f), text);
  writeFileSync(path.join(dir, 'm4.ld'), M4_LINKER_SCRIPT);
  writeFileSync(path.join(dir, 'main_m4.c'), m4Main(gen));
  const elf = path.join(dir, 'm4.elf');
  const cc = spawnSync('arm-none-eabi-gcc', [...STRICT_C_FLAGS.filter((f) => f !== '-pedantic'), ...CORTEX_M4_FLAGS, '-O2', '-ffunction-sections', '-fdata-sections',
    '-nostartfiles', '--specs=nano.specs', '-T', path.join(dir, 'm4.ld'), '-Wl,--gc-sections', '-I', dir, '-I', KERNELS_DIR,
    path.join(dir, 'main_m4.c'), path.join(dir, 'model.c'), ...kernelSourceFiles(), '-o', elf], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`arm-none-eabi-gcc failed: ${cc.stderr}`);
  const q = spawnSync('qemu-system-arm', ['-M', 'mps2-an386', '-display', 'none', '-monitor', 'none', '-serial', 'none', '-semihosting', '-icount', 'shift=0', '-kernel', elf],
    { encoding: 'utf8', timeout: 300_000 });
  const ticks = `${q.stdout}\n${q.stderr}`.trim().split(/\s+/).map(Number); // QEMU prints semihosting output on stderr
  if (ticks.length !== gen.ops.length || ticks.some((t) => !Number.isFinite(t))) throw new Error(`unexpected QEMU output: ${q.stdout.slice(0, 200)} ${q.stderr.slice(0, 200)}`);
  return ticks.map((t) => t * INSTRUCTIONS_PER_SYSTICK);
}

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
      const instr = m4InstructionsPerOp(gen, path.join(dir, `${name}-m4`));
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
