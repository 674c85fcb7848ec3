/**
 * Host build of generated C (gcc/cc): compiles model.c + the firmware kernels + a small runner,
 * then feeds inputs through stdin. Used by the contract-4 tests (generated C = interpreter), the
 * bench, and anyone checking a generated model on the host before flashing.
 *
 * Runner protocol: `runner dump` reads whole inputs from stdin until EOF and, for each, writes
 * every op's output tensor as [int32 tensor index][uint32 byte count][bytes] records, then the
 * final output 0 as a record with index -1. `runner bench N` runs N invokes on the input read from
 * stdin (zeros if none) and prints the nanoseconds per inference.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TinyserError } from '../../../common/errors.js';
import type { GeneratedModelC } from './generate-c.js';
import { KERNELS_DIR, kernelSourceFiles } from './kernel-sources.js';

export const STRICT_C_FLAGS = ['-std=c99', '-pedantic', '-Wall', '-Wextra', '-Werror'];
/** Cortex-M4F flags the firmware helper's Makefile family uses (hard float here). */
export const CORTEX_M4_FLAGS = ['-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv4-sp-d16'];

export function hostRunnerC(gen: GeneratedModelC, header = 'model.h'): string {
  const P = gen.prefix;
  const PU = P.toUpperCase();
  return `/* Host runner for generated model ${P} (see compiler/writers/c/host-runner.ts). */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "${header}"

static void write_record(int32_t index, const void *data, uint32_t bytes) {
  fwrite(&index, 4, 1, stdout);
  fwrite(&bytes, 4, 1, stdout);
  fwrite(data, 1, bytes, stdout);
}

static void dump_hook(int32_t op_index, void *user) {
  const void *data;
  uint32_t bytes;
  int32_t t = ${P}_op_outputs[op_index];
  (void)user;
  if (${P}_tensor(t, &data, &bytes) == 0) write_record(t, data, bytes);
}

int main(int argc, char **argv) {
  static int8_t input[${PU}_INPUT_BYTES + 1];
  static int8_t output[${PU}_OUTPUT_BYTES + 1];
  if (argc >= 3 && strcmp(argv[1], "bench") == 0) {
    long n = atol(argv[2]), i;
    struct timespec t0, t1;
    memset(input, 0, sizeof input);
    if (fread(input, 1, ${PU}_INPUT_BYTES, stdin) != ${PU}_INPUT_BYTES) memset(input, 0, sizeof input);
    ${P}_invoke(input, output);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (i = 0; i < n; i++) ${P}_invoke(input, output);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%.1f\\n", ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / (double)(n > 0 ? n : 1));
    return 0;
  }
  if (argc >= 2 && strcmp(argv[1], "dump") == 0) ${P}_set_op_hook(dump_hook, NULL);
  while (fread(input, 1, ${PU}_INPUT_BYTES, stdin) == ${PU}_INPUT_BYTES) {
    ${P}_invoke(input, output);
    write_record(-1, output, ${PU}_OUTPUT_BYTES);
  }
  fflush(stdout);
  return 0;
}
`;
}

export interface HostBuildOptions {
  cc?: string;
  /** Optimisation and extra flags (default -O2). */
  flags?: string[];
}

/** Writes the generated files and the runner into `dir` and compiles them; returns the binary path. */
export function buildHostRunner(gen: GeneratedModelC, dir: string, opts: HostBuildOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(gen.files)) writeFileSync(path.join(dir, name), text);
  const header = Object.keys(gen.files).find((f) => f.endsWith('.h'))!;
  const runner = path.join(dir, 'runner.c');
  writeFileSync(runner, hostRunnerC(gen, header));
  const exe = path.join(dir, 'runner');
  const sources = [...Object.keys(gen.files).filter((f) => f.endsWith('.c')).map((f) => path.join(dir, f)), runner, ...kernelSourceFiles()];
  const args = [...STRICT_C_FLAGS, ...(opts.flags ?? ['-O2']), '-I', dir, '-I', KERNELS_DIR, ...sources, '-o', exe];
  const r = spawnSync(opts.cc ?? 'gcc', args, { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new TinyserError('TOOLCHAIN', `compiling generated C in ${dir} failed (${opts.cc ?? 'gcc'} exit ${r.status ?? r.error?.message}):\n${(r.stderr ?? '').slice(0, 4000)}`, { dir });
  }
  return exe;
}

export interface RunnerRecord { index: number; bytes: Uint8Array }

/** Runs `runner dump|run` on concatenated inputs; returns one record list per input. */
export function runHostRunner(exe: string, inputs: Uint8Array[], dump: boolean, outputIndexMarker = -1): RunnerRecord[][] {
  const stdin = Buffer.concat(inputs.map((x) => Buffer.from(x.buffer, x.byteOffset, x.byteLength)));
  const out = execFileSync(exe, [dump ? 'dump' : 'run'], { input: stdin, maxBuffer: 1 << 30 });
  const runs: RunnerRecord[][] = [];
  let cur: RunnerRecord[] = [];
  let pos = 0;
  while (pos + 8 <= out.length) {
    const index = out.readInt32LE(pos);
    const n = out.readUInt32LE(pos + 4);
    cur.push({ index, bytes: new Uint8Array(out.subarray(pos + 8, pos + 8 + n)) });
    pos += 8 + n;
    if (index === outputIndexMarker) {
      runs.push(cur);
      cur = [];
    }
  }
  return runs;
}

/** `runner bench n` on one input: nanoseconds per inference of the host build. */
export function benchHostRunner(exe: string, input: Uint8Array, n: number): number {
  const out = execFileSync(exe, ['bench', String(n)], { input: Buffer.from(input), encoding: 'utf8' });
  return Number(out.trim());
}

/**
 * Compile-only check with a cross compiler (e.g. arm-none-eabi-gcc), one compiler run for the
 * generated .c files and (unless `kernels` is false) every kernel: throws TOOLCHAIN on failure,
 * returns the object files.
 */
export function crossCompileCheck(gen: GeneratedModelC, dir: string, cc = 'arm-none-eabi-gcc', flags: string[] = [...CORTEX_M4_FLAGS, '-Os'], kernels = true): string[] {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(gen.files)) writeFileSync(path.join(dir, name), text);
  const sources = [...Object.keys(gen.files).filter((f) => f.endsWith('.c')).map((f) => path.join(dir, f)), ...(kernels ? kernelSourceFiles() : [])];
  // -c with several inputs and no -o writes <name>.o for each into the working directory
  const r = spawnSync(cc, [...STRICT_C_FLAGS, ...flags, '-ffunction-sections', '-fdata-sections', '-I', dir, '-I', KERNELS_DIR, '-c', ...sources], { encoding: 'utf8', cwd: dir });
  if (r.status !== 0) throw new TinyserError('TOOLCHAIN', `${cc} failed in ${dir}:\n${(r.stderr ?? r.error?.message ?? '').slice(0, 4000)}`, { dir });
  const objs = sources.map((src) => path.join(dir, path.basename(src).replace(/\.c$/, '.o')));
  const missing = objs.filter((o) => !existsSync(o));
  if (missing.length) throw new TinyserError('TOOLCHAIN', `${cc} produced no ${missing.join(', ')}`, { dir });
  return objs;
}
