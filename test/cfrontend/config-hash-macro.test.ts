/**
 * The device reports TSR_FRONTEND_CONFIG_HASH_U32 in INFO, so the macro must be a valid C constant whose
 * value is frontendConfigHashU32(config) (a stray suffix inside UINT32_C once made it unusable).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emitFrontendTablesC } from '../../runtime-sim/frontend-c-export/index.js';
import { defaultFrontendConfig, frontendConfigHashU32 } from '../../runtime-sim/frontend/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tinyser-hash-macro-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TSR_FRONTEND_CONFIG_HASH_U32', () => {
  it('compiles in C and equals frontendConfigHashU32', () => {
    const config = defaultFrontendConfig();
    const { header } = emitFrontendTablesC(config);
    writeFileSync(path.join(dir, 'tsr_frontend_tables.h'), header);
    writeFileSync(path.join(dir, 'main.c'), '#include <stdio.h>\n#include <stdint.h>\n#include "tsr_frontend_tables.h"\nint main(void) { uint32_t h = TSR_FRONTEND_CONFIG_HASH_U32; printf("%lu\\n", (unsigned long)h); return 0; }\n');
    const exe = path.join(dir, 'hash');
    const cc = spawnSync('cc', ['-std=c99', '-Wall', '-Wextra', '-Werror', '-o', exe, path.join(dir, 'main.c')], { encoding: 'utf8' });
    expect(cc.status, cc.stderr).toBe(0);
    const run = spawnSync(exe, { encoding: 'utf8' });
    expect(Number(run.stdout.trim())).toBe(frontendConfigHashU32(config));
  });
});
