/**
 * Where the training worker's code lives. From TypeScript sources (tsx, vitest) it is
 * train-worker.ts, loaded through train-worker-from-source.mjs (which registers tsx in the thread); from the esbuild bundle (dist/tinyser.mjs,
 * dist/index.mjs) it is dist/train-worker.mjs, a separate bundle beside them. null when neither is
 * available (callers then train on one thread).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface WorkerEntry {
  url: URL;
  execArgv: string[];
}

export function trainWorkerEntry(): WorkerEntry | null {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // tsx is a dev dependency: without it, sources cannot start a TypeScript worker
    try {
      createRequire(here).resolve('tsx');
    } catch {
      return null;
    }
    return { url: new URL('./train-worker-from-source.mjs', here), execArgv: [] };
  }
  const bundled = new URL('./train-worker.mjs', here);
  return existsSync(fileURLToPath(bundled)) ? { url: bundled, execArgv: [] } : null;
}
