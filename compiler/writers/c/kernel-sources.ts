/** Where the firmware int8 kernels live, for build scripts, tests and benches that compile generated C. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const KERNELS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../firmware-assets/src/kernels');

/** Absolute paths of every kernel .c file (compile them together with the generated model.c). */
export function kernelSourceFiles(dir = KERNELS_DIR): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.c')).sort().map((f) => path.join(dir, f));
}
