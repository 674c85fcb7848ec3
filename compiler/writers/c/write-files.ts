/** Writes a GeneratedModelC to a directory (optionally with copies of the kernel sources). */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GeneratedModelC } from './generate-c.js';
import { kernelHeaderFiles, kernelSourceFiles } from './kernel-sources.js';

export function writeModelC(outDir: string, gen: GeneratedModelC, opts: { copyKernels?: boolean } = {}): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of Object.entries(gen.files)) {
    const p = path.join(outDir, name);
    writeFileSync(p, text);
    written.push(p);
  }
  if (opts.copyKernels) {
    for (const src of [...kernelSourceFiles(), ...kernelHeaderFiles()]) {
      const p = path.join(outDir, path.basename(src));
      copyFileSync(src, p);
      written.push(p);
    }
  }
  return written;
}
