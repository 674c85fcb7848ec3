/**
 * Writes tsr_frontend_tables.h/.c for a config into a directory. Run directly to regenerate the
 * firmware's checked-in pair (default config, firmware-assets/src/frontend/generated/):
 *   npx tsx runtime-sim/frontend-c-export/write-frontend-tables-c.ts [config.json] [outDir]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FrontendConfig } from '../frontend/config.js';
import { emitFrontendTablesC, FRONTEND_TABLES_C_BASENAME } from './emit-frontend-tables-c.js';

/** Returns the two paths written. */
export function writeFrontendTablesC(config: FrontendConfig, outDir: string): { headerPath: string; sourcePath: string } {
  const { header, source } = emitFrontendTablesC(config);
  mkdirSync(outDir, { recursive: true });
  const headerPath = join(outDir, `${FRONTEND_TABLES_C_BASENAME}.h`);
  const sourcePath = join(outDir, `${FRONTEND_TABLES_C_BASENAME}.c`);
  writeFileSync(headerPath, header);
  writeFileSync(sourcePath, source);
  return { headerPath, sourcePath };
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const { loadFrontendConfig } = await import('../frontend/config-file.js');
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const [configPath, outDir] = process.argv.slice(2);
  const config = await loadFrontendConfig(configPath && configPath !== '-' ? configPath : undefined);
  const r = writeFrontendTablesC(config, outDir ?? join(repoRoot, 'firmware-assets/src/frontend/generated'));
  console.log(`wrote ${r.headerPath}\nwrote ${r.sourcePath}`);
}
