/**
 * Runs generated C on the emulated Cortex-M4F (qemu-system-arm -M mps2-an386 -icount shift=0) as a
 * bare-metal ELF with its own tiny startup and semihosting output (not the firmware port in
 * firmware-assets/boards: this is a measurement and exactness probe for the kernels alone).
 * One invoke on the given input; after every op a hook records SysTick ticks (25 MHz SysTick with
 * 1 ns per instruction under icount shift=0: 40 instructions per tick) and an FNV-1a 32 hash of the
 * op's output tensor (hashing happens outside the timed span). The final output bytes are printed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TinyserError } from '../../../common/errors.js';
import type { GeneratedModelC } from './generate-c.js';
import { CORTEX_M4_FLAGS, STRICT_C_FLAGS } from './host-runner.js';
import { KERNELS_DIR, kernelSourceFiles } from './kernel-sources.js';

export const INSTRUCTIONS_PER_SYSTICK = 40;

const LINKER_SCRIPT = `MEMORY { FLASH (rx) : ORIGIN = 0x00000000, LENGTH = 4M  RAM (rwx) : ORIGIN = 0x20000000, LENGTH = 4M }
SECTIONS {
  .text : { KEEP(*(.vectors)) *(.text*) *(.rodata*) . = ALIGN(4); _etext = .; } > FLASH
  .data : AT(_etext) { _sdata = .; *(.data*) . = ALIGN(4); _edata = .; } > RAM
  .bss : { _sbss = .; *(.bss*) *(COMMON) . = ALIGN(4); _ebss = .; } > RAM
  _estack = ORIGIN(RAM) + LENGTH(RAM);
}
`;

function mainC(gen: GeneratedModelC, header: string, input: Uint8Array): string {
  const P = gen.prefix, PU = P.toUpperCase();
  const bytes = Array.from(input, (b) => String((b << 24) >> 24));
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += 32) rows.push('  ' + bytes.slice(i, i + 32).join(', ') + ',');
  return `#include <stdint.h>
#include <string.h>
#include "${header}"
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
static void put_u32(uint32_t v) { char b[12]; int i = 11; b[i] = 0; do { b[--i] = (char)('0' + v % 10); v /= 10; } while (v); semihost(4, &b[i]); semihost(4, " "); }
#define SYST_CSR (*(volatile uint32_t *)0xE000E010)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018)
static uint32_t last, ticks[${PU}_OP_COUNT], hashes[${PU}_OP_COUNT];
static uint32_t fnv1a(const uint8_t *p, uint32_t n) { uint32_t h = 2166136261u; while (n--) { h ^= *p++; h *= 16777619u; } return h; }
static void hook(int32_t op, void *user) {
  const uint32_t now = SYST_CVR;
  const void *data;
  uint32_t bytes;
  (void)user;
  ticks[op] += (last - now) & 0xFFFFFFu; /* each op stays far below the 24-bit wrap */
  if (${P}_tensor(${P}_op_outputs[op], &data, &bytes) == 0) hashes[op] = fnv1a((const uint8_t *)data, bytes);
  last = SYST_CVR;
}
static const int8_t in[${Math.max(input.length, 1)}] = {
${rows.join('\n') || '  0,'}
};
static int8_t out[${PU}_OUTPUT_BYTES];
int main(void) {
  int i;
  SYST_RVR = 0xFFFFFFu; SYST_CVR = 0; SYST_CSR = 5;
  ${P}_set_op_hook(hook, 0);
  last = SYST_CVR;
  ${P}_invoke(in, out);
  for (i = 0; i < ${PU}_OP_COUNT; i++) put_u32(ticks[i]);
  for (i = 0; i < ${PU}_OP_COUNT; i++) put_u32(hashes[i]);
  for (i = 0; i < (int)${PU}_OUTPUT_BYTES; i++) put_u32((uint8_t)out[i]);
  { static const uint32_t args[2] = {0x20026u, 0u}; semihost(0x18, args); }
  return 0;
}
`;
}

export interface QemuM4Run {
  /** Instructions per op (SysTick ticks x 40). */
  instructions: number[];
  /** FNV-1a 32 of each op's output tensor after the op. */
  outputHashes: number[];
  output: Uint8Array;
}

export function haveQemuM4Tools(): boolean {
  const has = (cmd: string): boolean => spawnSync(cmd, ['--version']).status === 0;
  return has('arm-none-eabi-gcc') && has('qemu-system-arm');
}

/** FNV-1a 32, as the probe computes it on the device. */
export function fnv1a32(bytes: Uint8Array): number {
  let h = 2166136261;
  for (const b of bytes) h = Math.imul(h ^ b, 16777619) >>> 0;
  return h >>> 0;
}

export function runOnQemuM4(gen: GeneratedModelC, dir: string, input: Uint8Array, opts: { optimize?: string; timeoutMs?: number } = {}): QemuM4Run {
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(gen.files)) writeFileSync(path.join(dir, f), text);
  const header = Object.keys(gen.files).find((f) => f.endsWith('.h'))!;
  writeFileSync(path.join(dir, 'm4.ld'), LINKER_SCRIPT);
  writeFileSync(path.join(dir, 'main_m4.c'), mainC(gen, header, input));
  const elf = path.join(dir, 'm4.elf');
  const cSources = Object.keys(gen.files).filter((f) => f.endsWith('.c')).map((f) => path.join(dir, f));
  // -pedantic is dropped for the probe only (it uses __asm__ for semihosting); the kernels and
  // model.c are checked with -pedantic by crossCompileCheck.
  const cc = spawnSync('arm-none-eabi-gcc', [...STRICT_C_FLAGS.filter((f) => f !== '-pedantic'), ...CORTEX_M4_FLAGS, opts.optimize ?? '-O2',
    '-ffunction-sections', '-fdata-sections', '-nostartfiles', '--specs=nano.specs', '-T', path.join(dir, 'm4.ld'), '-Wl,--gc-sections',
    '-I', dir, '-I', KERNELS_DIR, path.join(dir, 'main_m4.c'), ...cSources, ...kernelSourceFiles(), '-o', elf], { encoding: 'utf8' });
  if (cc.status !== 0) throw new TinyserError('TOOLCHAIN', `arm-none-eabi-gcc failed in ${dir}:\n${(cc.stderr ?? '').slice(0, 4000)}`, { dir });
  const q = spawnSync('qemu-system-arm', ['-M', 'mps2-an386', '-display', 'none', '-monitor', 'none', '-serial', 'none', '-semihosting',
    '-icount', 'shift=0', '-kernel', elf], { encoding: 'utf8', timeout: opts.timeoutMs ?? 300_000 });
  // QEMU prints semihosting output on stderr
  const nums = `${q.stdout ?? ''} ${q.stderr ?? ''}`.trim().split(/\s+/).filter((s) => /^\d+$/.test(s)).map(Number);
  const n = gen.ops.length, m = gen.outputs[0]!.bytes;
  if (nums.length !== 2 * n + m) {
    throw new TinyserError('DEVICE', `QEMU run in ${dir} printed ${nums.length} numbers, expected ${2 * n + m} (status ${q.status}): ${(q.stderr ?? '').slice(0, 300)}`, { dir });
  }
  return {
    instructions: nums.slice(0, n).map((t) => t * INSTRUCTIONS_PER_SYSTICK),
    outputHashes: nums.slice(n, 2 * n),
    output: Uint8Array.from(nums.slice(2 * n)),
  };
}
