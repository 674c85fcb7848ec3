/**
 * `tinyser frontend-c` (cli/commands/frontend-c.ts) driven through commander in-process (the verb alone,
 * so other verbs being mid-edit cannot break this test): writes the pair, --check passes on it (exit 0),
 * fails with exit 1 once a file is altered, and a bad --config is an input error (exit 2).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { register } from '../../cli/commands/frontend-c.js';
import { defaultFrontendConfig } from '../../runtime-sim/frontend/index.js';
import { emitFrontendTablesC } from '../../runtime-sim/frontend-c-export/index.js';

async function runVerb(args: string[]): Promise<number> {
  const program = new Command().option('--json').exitOverride();
  register(program);
  process.exitCode = 0;
  await program.parseAsync(['node', 'tinyser', ...args]);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return code;
}

describe('tinyser frontend-c', () => {
  const dirs: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('writes the tables, --check accepts them, and rejects an altered file with exit 1', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const dir = mkdtempSync(join(tmpdir(), 'tsr-frontend-c-cli-'));
    dirs.push(dir);
    expect(await runVerb(['--json', 'frontend-c', '--out', dir])).toBe(0);
    expect(readFileSync(join(dir, 'tsr_frontend_tables.h'), 'utf8')).toBe(emitFrontendTablesC(defaultFrontendConfig()).header);
    expect(await runVerb(['frontend-c', '--out', dir, '--check'])).toBe(0);
    writeFileSync(join(dir, 'tsr_frontend_tables.c'), readFileSync(join(dir, 'tsr_frontend_tables.c'), 'utf8').replace(/\d(?=,)/, '9'));
    expect(await runVerb(['frontend-c', '--out', dir, '--check'])).toBe(1);
  });

  it('a missing --config file is an input error (exit 2)', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await runVerb(['frontend-c', '--config', '/nonexistent/frontend.json', '--out', '/tmp/unused', '--check'])).toBe(2);
    expect(String(err.mock.calls[0]?.[0])).toMatch(/nonexistent\/frontend\.json/);
  });
});
