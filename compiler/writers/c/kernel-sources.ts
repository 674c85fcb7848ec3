/** Where the firmware int8 kernels live, for build scripts, tests and benches that compile generated C. */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * firmware-assets/src/kernels, found by walking up from this module (works from the source tree
 * and from the esbuild bundle in dist/); TINYSER_KERNELS_DIR overrides it.
 */
function findKernelsDir(): string {
  const override = process.env.TINYSER_KERNELS_DIR;
  if (override) return path.resolve(override);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'firmware-assets', 'src', 'kernels');
    if (existsSync(path.join(candidate, 'tinyser_kernels.h'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../firmware-assets/src/kernels');
}

export const KERNELS_DIR = findKernelsDir();

/** Absolute paths of every kernel .c file (compile them together with the generated model.c). */
export function kernelSourceFiles(dir = KERNELS_DIR): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.c')).sort().map((f) => path.join(dir, f));
}

/** The kernel headers generated code includes. */
export function kernelHeaderFiles(dir = KERNELS_DIR): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.h')).sort().map((f) => path.join(dir, f));
}
