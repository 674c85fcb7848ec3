/**
 * `tinyser distill` recipe flags: an unknown preset, correction or labelling mode is a usage error
 * (exit 2) naming the flag and the choices, checked before any data is read.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsx = path.join(repo, 'node_modules', '.bin', 'tsx');

function cli(args: string[]) {
  return spawnSync(tsx, [path.join(repo, 'cli', 'main.ts'), ...args], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
}

describe('tinyser distill recipe flags', () => {
  it('rejects an unknown --preset, --correction and --teacher-labelling with exit 2', () => {
    const base = ['distill', '--teacher', 'a,b', '--data', '/nonexistent', '--out', '/nonexistent/run'];
    const preset = cli([...base, '--preset', 'magic']);
    expect(preset.status).toBe(2);
    expect(preset.stderr).toMatch(/--preset 'magic'.*hinton.*corrected|--preset 'magic'.*corrected/);
    const corr = cli(['--json', ...base, '--correction', 'flip']);
    expect(corr.status).toBe(2);
    expect((JSON.parse(corr.stdout) as { message: string }).message).toMatch(/--correction must be one of none, swap, gate/);
    const lab = cli([...base, '--teacher-labelling', 'median']);
    expect(lab.status).toBe(2);
    expect(lab.stderr).toMatch(/--teacher-labelling/);
  }, 120_000);
});
