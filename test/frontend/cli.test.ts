import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWavInt16 } from '../../runtime-sim/audio/index.js';
import { readFeatFile, frontendConfigHash } from '../../runtime-sim/frontend/index.js';
import { repoRoot, speechLike } from './helpers.js';

const run = promisify(execFile);

// The CLI is bundled once from the current sources (like `npm run build`, but never stale and without
// touching dist/); the bundle sits under node_modules/ so its external packages resolve.
const bundleDir = mkdtempSync(join(repoRoot, 'node_modules', '.tinyser-features-cli-'));
const bundle = join(bundleDir, 'tinyser.mjs');

async function tinyser(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [bundle, ...args], { cwd: repoRoot });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let dir = '';

beforeAll(async () => {
  await build({ entryPoints: [join(repoRoot, 'cli/main.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'silent' });
  dir = mkdtempSync(join(tmpdir(), 'tinyser-features-'));
  writeFileSync(join(dir, 'a.wav'), encodeWavInt16(speechLike(1.0, 1), 16000));
  writeFileSync(join(dir, 'b.wav'), encodeWavInt16(speechLike(0.8, 2), 16000));
  writeFileSync(join(dir, 'mfcc.json'), JSON.stringify({ kind: 'mfcc', mfcc: { count: 10 } }));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ mel: { bands: 0 } }));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(bundleDir, { recursive: true, force: true });
});

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
    const outF = join(dir, 'outf');
    const rf = await tinyser(['features', 'extract', join(dir, 'a.wav'), '--out', outF, '--config', join(dir, 'mfcc.json'), '--float']);
    expect(rf.code).toBe(0);
    const ff = await readFeatFile(join(outF, 'a.feat'));
    expect(ff.header.dtype).toBe('float32');
    expect(ff.header.frames).toBe(feat.header.frames);
    // int8 dequantized vs float reference: within rounding + 1 LSB wherever not saturated
    for (let i = 0; i < ff.data.length; i++) {
      const q = feat.data[i];
      if (q === -128 || q === 127) continue;
      expect(Math.abs(feat.header.scale * (q - feat.header.zeroPoint) - ff.data[i])).toBeLessThanOrEqual(1.5 * feat.header.scale + 1e-6);
    }
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
    const [r, s] = await Promise.all([
      tinyser(['--json', 'features', 'config', '--config', join(dir, 'mfcc.json')]),
      tinyser(['--json', 'features', 'config', '--schema']),
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { config: { kind: string; hopSamples: number }; configHash: string; configHashU32: number };
    expect(j.config.kind).toBe('mfcc');
    expect(j.config.hopSamples).toBe(160);
    expect(j.configHashU32).toBe(parseInt(j.configHash.slice(0, 8), 16));
    expect((JSON.parse(s.stdout) as { properties: Record<string, unknown> }).properties).toHaveProperty('mel');
  });

  it('exits 2 on usage and input errors', async () => {
    // Independent invocations run concurrently: most of each one is Node loading the CLI bundle.
    const [badConfig, missing, noOut, badSnr, badKind] = await Promise.all([
      tinyser(['--json', 'features', 'verify', dir, '--config', join(dir, 'bad.json')]),
      tinyser(['features', 'verify', join(dir, 'missing.wav')]),
      tinyser(['features', 'extract', dir]), // --out missing
      tinyser(['features', 'verify', dir, '--min-snr', 'abc']),
      tinyser(['features', 'extract', dir, '--out', join(dir, 'o2'), '--kind', 'chroma']),
    ]);
    expect(badConfig.code).toBe(2);
    expect((JSON.parse(badConfig.stdout) as { code: string }).code).toBe('CONFIG');
    expect(badConfig.stderr).toContain('mel.bands');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing.wav');
    expect(noOut.code).toBe(2);
    expect(badSnr.code).toBe(2);
    expect(badKind.code).toBe(2);
  });
});
