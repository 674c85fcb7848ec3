/**
 * `tinyser train` / `tinyser distill` argument handling: bad input is a usage error (exit 2) with a
 * message naming the flag, never a stack trace; --json prints one parseable error document.
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

describe('tinyser train / distill CLI', () => {
  it('unknown --arch is a usage error (exit 2) naming the choices, as JSON with --json', () => {
    const r = cli(['--json', 'train', '--data', 'demo', '--out', '/nonexistent/run', '--arch', 'resnet-152']);
    expect(r.status).toBe(2);
    const doc = JSON.parse(r.stdout) as { code: string; message: string };
    expect(doc.code).toBe('USAGE');
    expect(doc.message).toMatch(/ds-cnn-s/);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  }, 60_000);

  it('distill rejects --alpha outside [0, 1] and a missing teacher with exit 2', () => {
    const bad = cli(['distill', '--teacher', 'x.onnx', '--data', 'demo', '--out', '/tmp/x', '--alpha', '1.5']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--alpha/);
    const missing = cli(['distill', '--data', 'demo', '--out', '/tmp/x']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--teacher/);
  }, 60_000);
});
