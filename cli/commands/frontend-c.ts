/**
 * `tinyser frontend-c`: writes (or checks) the C twin's generated tables tsr_frontend_tables.{h,c} for a
 * frontend config. Thin over runtime-sim/frontend-c-export. With --check nothing is written and a stale or
 * missing pair is a failed check (exit 1), for firmware CI.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CheckFailedError } from '../../common/errors.js';
import { frontendConfigHash, frontendConfigHashU32 } from '../../runtime-sim/frontend/config.js';
import { loadFrontendConfig } from '../../runtime-sim/frontend/config-file.js';
import { emitFrontendTablesC, FRONTEND_TABLES_C_BASENAME, writeFrontendTablesC } from '../../runtime-sim/frontend-c-export/index.js';
import { action, printResult, type GlobalOptions } from '../output.js';

export function register(program: Command): void {
  program
    .command('frontend-c')
    .description('write (or --check) the C frontend tables tsr_frontend_tables.{h,c} for a frontend config')
    .option('--config <file>', 'frontend config JSON (defaults otherwise)')
    .option('--out <dir>', 'output directory', 'firmware-assets/src/frontend/generated')
    .option('--check', 'compare the existing files with the config instead of writing; exit 1 when they differ')
    .action(
      action(async (opts: { config?: string; out: string; check?: boolean }, cmd: Command) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        const config = await loadFrontendConfig(opts.config);
        const info = { configHash: frontendConfigHash(config), configHashU32: frontendConfigHashU32(config) };
        if (opts.check) {
          const { header, source } = emitFrontendTablesC(config);
          const stale: string[] = [];
          for (const [ext, text] of [
            ['h', header],
            ['c', source],
          ] as const) {
            const p = join(opts.out, `${FRONTEND_TABLES_C_BASENAME}.${ext}`);
            if (!existsSync(p) || readFileSync(p, 'utf8') !== text) stale.push(p);
          }
          if (stale.length > 0)
            throw new CheckFailedError(
              `C frontend tables out of date for config ${info.configHash}: ${stale.join(', ')}; regenerate with tinyser frontend-c${opts.config ? ` --config ${opts.config}` : ''} --out ${opts.out}`,
              { ...info, stale },
            );
          printResult(g, { ok: true, ...info, dir: opts.out }, () => `C frontend tables in ${opts.out} match config ${info.configHash}`);
          return;
        }
        const written = writeFrontendTablesC(config, opts.out);
        printResult(g, { ...info, ...written }, () => `wrote ${written.headerPath}\nwrote ${written.sourcePath}\nconfig hash ${info.configHash} (u32 0x${info.configHashU32.toString(16).padStart(8, '0')})`);
      }),
    );
}
