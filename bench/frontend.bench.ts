/**
 * Frontend bench on the RAVDESS 4-class subset (560 files, read in place from ../shared):
 * fixed-point vs float64 SNR (log-mel, MFCC; median / worst 5 % / min over files, all and active frames,
 * raw and mean removed), per-coefficient minimum, int8 agreement, and frames/s of the fixed-point and
 * float64 paths on one core (process CPU time, so other load on the machine inflates it less; one pass
 * over all files per path and config, timed before the verification runs).
 */
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { readWav } from '../runtime-sim/audio/index.js';
import { parseFrontendConfig, type FrontendConfig } from '../runtime-sim/frontend/index.js';
import { computeFeaturesFixed } from '../runtime-sim/frontend/fixed/frontend-fixed.js';
import { computeReferenceFloat64 } from '../runtime-sim/frontend/reference-float64.js';
import { FeatureVerificationAccumulator, verifySamples, type FeatureVerificationReport } from '../runtime-sim/verify/features.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataset = join(resolve(repoRoot, '../shared'), 'datasets/ravdess-4class-16k');

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

const f1 = (v: number) => (v === Infinity ? 'inf' : v.toFixed(1));

export default async function frontendBench(): Promise<void> {
  if (!existsSync(dataset)) {
    console.log(`skipped: RAVDESS subset not found at ${dataset}`);
    return;
  }
  const limit = Number(process.env.TINYSER_BENCH_FILES ?? Infinity);
  const files = readdirSync(dataset)
    .filter((f) => f.endsWith('.wav'))
    .sort()
    .slice(0, limit)
    .map((f) => join(dataset, f));
  const signals: Int16Array[] = [];
  for (const f of files) signals.push((await readWav(f)).samplesInt16);

  const configs: [string, FrontendConfig][] = [
    ['defaults (HTK 40, 13 MFCC)', parseFrontendConfig({ kind: 'mfcc' })],
    ['pre-emph 0.97, Slaney 64, fmin 20, 20 MFCC', parseFrontendConfig({ kind: 'mfcc', preEmphasis: 0.97, mel: { scale: 'slaney', norm: 'slaney', bands: 64, fminHz: 20 }, mfcc: { count: 20 } })],
  ];
  // Speed first, for every config, before the verification below allocates heavily: process CPU time
  // includes V8's GC threads, and collecting another stage's garbage inside a timed pass would be
  // charged to it. Fixed passes for all configs, then float64 passes (each path pays for its own garbage).
  const speed = new Map<string, { fixedFps: number; floatFps: number }>();
  for (const [name, config] of configs) {
    let frames = 0;
    computeFeaturesFixed(signals[0], config); // warm-up
    const t0 = cpuSeconds();
    for (const s of signals) frames += computeFeaturesFixed(s, config).frames;
    speed.set(name, { fixedFps: frames / (cpuSeconds() - t0), floatFps: 0 });
  }
  for (const [name, config] of configs) {
    let frames = 0;
    computeReferenceFloat64(signals[0], config); // warm-up
    const t0 = cpuSeconds();
    for (const s of signals) frames += computeReferenceFloat64(s, config).frames;
    speed.get(name)!.floatFps = frames / (cpuSeconds() - t0);
  }

  for (const [name, config] of configs) {
    const { fixedFps, floatFps } = speed.get(name)!;
    const acc = new FeatureVerificationAccumulator(config);
    signals.forEach((s, i) => acc.add(verifySamples(files[i], s, config)));
    const r: FeatureVerificationReport = acc.report();

    console.log(`\n${name}: ${r.files} files, ${r.frames} frames (${r.activeFrames} active, within ${r.activeRangeDb} dB of each file's max)`);
    const t = new Table({ head: ['SNR dB', 'median', 'worst 5%', 'min'], style: { head: [], border: [] } });
    const row = (label: string, d: { median: number; worst5: number; min: number }) => t.push([label, f1(d.median), f1(d.worst5), f1(d.min)]);
    row('log-mel all', r.logMel.snrDb);
    row('log-mel active', r.logMel.snrActiveDb);
    row('log-mel mean-removed', r.logMel.snrMeanRemovedDb);
    row('log-mel mean-removed active', r.logMel.snrMeanRemovedActiveDb);
    row('MFCC all', r.mfcc.snrDb);
    row('MFCC active', r.mfcc.snrActiveDb);
    row('MFCC mean-removed', r.mfcc.snrMeanRemovedDb);
    row('MFCC mean-removed active', r.mfcc.snrMeanRemovedActiveDb);
    console.log(t.toString());
    const coefAll = r.mfcc.perDimPooledMeanRemovedDb;
    const coefAct = r.mfcc.perDimPooledMeanRemovedActiveDb;
    console.log(`MFCC per-coefficient SNR (pooled, mean removed) all:    ${coefAll.map(f1).join(' ')}`);
    console.log(`MFCC per-coefficient SNR (pooled, mean removed) active: ${coefAct.map(f1).join(' ')}`);
    console.log(`MFCC per-coefficient min over files (mean removed):     ${r.mfcc.perDimMinOverFilesDb.map(f1).join(' ')}`);
    console.log(`log-mel per-band min (pooled, mean removed): ${f1(Math.min(...r.logMel.perDimPooledMeanRemovedDb))} dB; max |error| log-mel ${r.logMel.maxAbsError.toExponential(2)}, MFCC ${r.mfcc.maxAbsError.toExponential(2)} (ln units)`);
    console.log(`int8: ${(r.int8.equalShare * 100).toFixed(3)}% equal to quantized float, max |diff| ${r.int8.maxAbsErrorLsb} LSB, saturated fixed ${r.int8.saturatedFixed} / float ${r.int8.saturatedFloat}`);
    console.log(`speed (one core, CPU time): fixed-point ${fixedFps.toFixed(0)} frames/s, float64 ${floatFps.toFixed(0)} frames/s`);
    console.log(`checks (>= 50 dB median, >= 45 worst 5%, every coefficient >= 40): ${r.pass ? 'PASS' : 'FAIL ' + r.checks.filter((c) => !c.pass).map((c) => c.name).join('; ')}`);
  }
}
