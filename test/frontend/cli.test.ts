import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWavInt16 } from '../../runtime-sim/audio/index.js';
import { readFeatFile, frontendConfigHash } from '../../runtime-sim/frontend/index.js';
import { repoRoot, speechLike } from './helpers.js';

const run = promisify(execFile);

async function tinyser(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'cli/main.ts'), ...args], { cwd: repoRoot });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tinyser-features-'));
  writeFileSync(join(dir, 'a.wav'), encodeWavInt16(speechLike(1.0, 1), 16000));
  writeFileSync(join(dir, 'b.wav'), encodeWavInt16(speechLike(0.8, 2), 16000));
  writeFileSync(join(dir, 'mfcc.json'), JSON.stringify({ kind: 'mfcc', mfcc: { count: 10 } }));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ mel: { bands: 0 } }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tinyser features (CLI)', () => {
  it('extract writes readable .feat files (+ CSV) and prints JSON with --json', async () => {
    const out = join(dir, 'out');
    const r = await tinyser(['--json', 'features', 'extract', dir, '--out', out, '--config', join(dir, 'mfcc.json'), '--csv']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { files: { frames: number }[]; configHash: string };
    expect(j.files.length).toBe(2);
    expect(j.configHash).toBe(frontendConfigHash({ kind: 'mfcc', mfcc: { count: 10 } }));
    expect(readdirSync(out).sort()).toEqual(['a.csv', 'a.feat', 'b.csv', 'b.feat']);
    const feat = await readFeatFile(join(out, 'a.feat'));
    expect(feat.header.kind).toBe('mfcc');
    expect(feat.header.dims).toBe(10);
    expect(feat.header.frames).toBe(j.files[0].frames);
    expect(feat.data.length).toBe(feat.header.frames * 10);
  });

  it('verify exits 0 above the threshold, 1 below it, with a JSON report and an HTML file', async () => {
    const report = join(dir, 'r.html');
    const ok = await tinyser(['--json', 'features', 'verify', join(dir, 'a.wav'), join(dir, 'b.wav'), '--report', report]);
    expect(ok.code).toBe(0);
    const j = JSON.parse(ok.stdout) as { pass: boolean; files: number; logMel: { snrDb: { median: number } } };
    expect(j.pass).toBe(true);
    expect(j.files).toBe(2);
    expect(j.logMel.snrDb.median).toBeGreaterThan(50);
    expect(readdirSync(dir)).toContain('r.html');
    const fail = await tinyser(['features', 'verify', dir, '--min-snr', '300']);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain('FAIL');
  });

  it('config prints the defaulted config with its hash, and --schema a JSON Schema', async () => {
    const r = await tinyser(['--json', 'features', 'config', '--config', join(dir, 'mfcc.json')]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { config: { kind: string; hopSamples: number }; configHash: string; configHashU32: number };
    expect(j.config.kind).toBe('mfcc');
    expect(j.config.hopSamples).toBe(160);
    expect(j.configHashU32).toBe(parseInt(j.configHash.slice(0, 8), 16));
    const s = await tinyser(['--json', 'features', 'config', '--schema']);
    expect((JSON.parse(s.stdout) as { properties: Record<string, unknown> }).properties).toHaveProperty('mel');
  });

  it('exits 2 on usage and input errors', async () => {
    const badConfig = await tinyser(['--json', 'features', 'verify', dir, '--config', join(dir, 'bad.json')]);
    expect(badConfig.code).toBe(2);
    expect((JSON.parse(badConfig.stdout) as { code: string }).code).toBe('CONFIG');
    expect(badConfig.stderr).toContain('mel.bands');
    expect((await tinyser(['features', 'verify', join(dir, 'missing.wav')])).code).toBe(2);
    expect((await tinyser(['features', 'extract', dir])).code).toBe(2); // --out missing
    expect((await tinyser(['features', 'verify', dir, '--min-snr', 'abc'])).code).toBe(2);
    expect((await tinyser(['features', 'extract', dir, '--out', join(dir, 'o2'), '--kind', 'chroma'])).code).toBe(2);
  });
});
