/** Where generated demo data lives: <repo>/.cache/demo-data/<hash of params>/ (gitignored). */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Nearest ancestor of this module with the tinyser package.json (works from sources and dist/). */
export function findRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tinyser') return dir;
      } catch {
        // unreadable package.json: keep walking up
      }
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return process.cwd();
}

export function defaultDemoCacheRoot(): string {
  return path.join(findRepoRoot(), '.cache', 'demo-data');
}

export function paramsHash(params: Record<string, unknown>): string {
  const canonical = JSON.stringify(Object.keys(params).sort().map((k) => [k, params[k]]));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
