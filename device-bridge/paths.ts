/** Locates the tinyser package root (works from sources and from the dist/ bundle). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj) && (JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'tinyser') return (cached = dir);
    const up = dirname(dir);
    if (up === dir) return (cached = resolve(process.cwd()));
    dir = up;
  }
}

export function firmwareAssetsDir(): string {
  return join(packageRoot(), 'firmware-assets');
}
