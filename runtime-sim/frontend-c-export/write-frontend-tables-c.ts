/**
 * Writes tsr_frontend_tables.h/.c for a config into a directory. The CLI verb `tinyser frontend-c
 * [--config c.json] [--out dir] [--check]` calls this; its default --out is the firmware's checked-in
 * pair (default config) in firmware-assets/src/frontend/generated/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
