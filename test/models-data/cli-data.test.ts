import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetReport } from '../../models/datasets/index.js';
import { encodeWavInt16 } from '../../models/datasets/wav-io.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

async function tinyser(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'cli/main.ts'), ...args], { cwd: repoRoot });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tinyser-cli-data-'));
  const names = ['happy/alice/1.wav', 'sad/alice/2.wav', 'angry/bob/3.wav', 'neutral/bob/4.wav', 'bored-ish/bob/5.wav'];
  names.forEach((n, k) => {
    mkdirSync(path.dirname(path.join(dir, n)), { recursive: true });
    const s = Int16Array.from({ length: 800 * (k + 1) }, (_, i) => Math.round(2000 * Math.sin(i * (0.05 + 0.01 * k))));
    writeFileSync(path.join(dir, n), encodeWavInt16(s, 16000));
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tinyser data inspect (CLI)', () => {
  it('prints one JSON report with --json and exits 0', async () => {
    const r = await tinyser(['--json', 'data', 'inspect', dir]);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout) as DatasetReport;
    expect(rep.corpus).toBe('folder');
    expect(rep.classCounts).toEqual({ neutral: 1, happy: 1, sad: 1, angry: 1 });
    expect(Object.keys(rep.speakers)).toEqual(['folder:alice', 'folder:bob']);
    expect(rep.durationsSec?.min).toBeCloseTo(0.05, 6);
    expect(rep.problems.unknownLabels).toHaveLength(1);
  });
  it('human output names the problems; --strict turns them into exit 1', async () => {
    const r = await tinyser(['data', 'inspect', dir, '--strict']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/unknown label folder "bored-ish"/);
    expect(r.stdout).toMatch(/durations: min 0\.05 s/);
  });
  it('a missing folder or a bad option is a usage error (exit 2)', async () => {
    expect((await tinyser(['data', 'inspect', path.join(dir, 'nope')])).code).toBe(2);
    const bad = await tinyser(['data', 'inspect', dir, '--classes', 'happy']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/at least two/);
  });
});
