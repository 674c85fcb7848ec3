/**
 * `tinyser data inspect <dir>`: what is in an SER dataset folder and what is wrong with it.
 * `tinyser data demo`: generate (or find in the cache) the synthetic demo dataset.
 * Thin over models/datasets.
 */
import Table from 'cli-table3';
import type { Command } from 'commander';
import { startProgress } from '../../common/progress.js';
import { UsageError } from '../../common/errors.js';
import { inspectDataset, type DatasetReport } from '../../models/datasets/inspect-dataset.js';
import type { NamedCorpus } from '../../models/datasets/load-dataset.js';
import { generateDemoDataset } from '../../models/datasets/demo/generate-demo.js';
import { action, printResult, type GlobalOptions } from '../output.js';

const CORPORA = ['auto', 'ravdess', 'emodb', 'tess', 'savee', 'cremad', 'folder'];

function parseClasses(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length < 2) throw new UsageError(`--classes needs at least two comma-separated names, got "${v}"`);
  return list;
}

function renderReport(r: DatasetReport): string {
  const out: string[] = [];
  out.push(`${r.root}: ${r.corpus} layout, ${r.files} WAV files, ${r.readable} readable with a label`);
  const classes = new Table({ head: ['class', 'items'], style: { head: [], border: [], compact: true } });
  for (const c of r.classes) classes.push([c, String(r.classCounts[c] ?? 0)]);
  out.push(classes.toString());
  const speakers = new Table({ head: ['speaker', 'gender', 'total', ...r.classes], style: { head: [], border: [], compact: true } });
  for (const [s, v] of Object.entries(r.speakers)) speakers.push([s, v.gender ?? '', String(v.total), ...r.classes.map((c) => String(v.perClass[c] ?? 0))]);
  out.push(`${Object.keys(r.speakers).length} speakers`);
  out.push(speakers.toString());
  if (r.durationsSec) {
    const d = r.durationsSec;
    out.push(`durations: min ${d.min.toFixed(2)} s, median ${d.median.toFixed(2)} s, max ${d.max.toFixed(2)} s, total ${(d.total / 60).toFixed(1)} min`);
  }
  out.push(`source sample rates: ${Object.entries(r.sampleRates).map(([k, v]) => `${k} Hz × ${v}`).join(', ') || 'none'}`);
  const p = r.problems;
  const dropped = Object.entries(p.droppedLabels);
  if (dropped.length > 0) out.push(`outside the class set (dropped): ${dropped.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  out.push(`problems: ${p.unreadable.length} unreadable, ${p.unknownLabels.length} without a known label, ${p.duplicates.length} duplicate groups`);
  const show = <T>(list: T[], f: (x: T) => string): void => {
    for (const x of list.slice(0, 20)) out.push(`  ${f(x)}`);
    if (list.length > 20) out.push(`  ... and ${list.length - 20} more (--json lists all)`);
  };
  show(p.unreadable, (u) => `unreadable ${u.path}: ${u.reason}`);
  show(p.unknownLabels, (u) => `no label ${u.path}: ${u.reason}`);
  show(p.duplicates, (d) => `same audio: ${d.paths.join(', ')}`);
  return out.join('\n');
}

export function register(program: Command): void {
  const data = program.command('data').description('SER datasets: inspect folders, generate the demo set');

  data
    .command('inspect')
    .description('counts per class and speaker, durations, sample rates and problems of a dataset folder')
    .argument('<dir>', 'dataset folder (RAVDESS, EmoDB, TESS, SAVEE, CREMA-D names or <label>/ folders)')
    .option('--corpus <name>', `naming convention: ${CORPORA.join(', ')}`, 'auto')
    .option('--classes <list>', 'comma-separated class set', 'neutral,happy,sad,angry')
    .option('--merge-calm', 'count RAVDESS calm as neutral')
    .option('--strict', 'exit 1 when any unreadable, unlabelled or duplicate file is found')
    .action(
      action(async (dir: string, o: { corpus: string; classes?: string; mergeCalm?: boolean; strict?: boolean }, cmd: Command) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        if (!CORPORA.includes(o.corpus)) throw new UsageError(`--corpus must be one of ${CORPORA.join(', ')}, got "${o.corpus}"`);
        let bar: ReturnType<typeof startProgress> | undefined;
        const report = await inspectDataset(dir, {
          corpus: o.corpus as NamedCorpus | 'folder' | 'auto',
          classes: parseClasses(o.classes),
          mergeCalmIntoNeutral: o.mergeCalm === true,
          onProgress: (done, total) => {
            bar ??= startProgress({ label: 'reading', total, enabled: !g.json });
            bar.tick();
            if (done === total) bar.stop();
          },
        });
        printResult(g, report, () => renderReport(report));
        const p = report.problems;
        return o.strict && p.unreadable.length + p.unknownLabels.length + p.duplicates.length > 0 ? 1 : 0;
      }),
    );

  data
    .command('demo')
    .description('generate the synthetic demo dataset (espeak-ng, cached under .cache/demo-data/) and print where it is')
    .option('--seed <n>', 'random seed', '1')
    .option('--count <n>', 'clips per class', '60')
    .option('--cache-dir <dir>', 'cache root (default <repo>/.cache/demo-data)')
    .action(
      action(async (o: { seed: string; count: string; cacheDir?: string }, cmd: Command) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        const seed = Number(o.seed);
        const count = Number(o.count);
        if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${o.seed}"`);
        if (!Number.isInteger(count) || count < 1) throw new UsageError(`--count must be a positive integer, got "${o.count}"`);
        let bar: ReturnType<typeof startProgress> | undefined;
        const res = await generateDemoDataset({
          seed,
          count,
          cacheDir: o.cacheDir,
          onProgress: (done, total) => {
            bar ??= startProgress({ label: 'synthesising', total, enabled: !g.json });
            bar.tick();
            if (done === total) bar.stop();
          },
        });
        const summary = { dir: res.dir, cached: res.fromCache, clips: res.manifest.clips.length, classes: res.manifest.classes, speakers: res.manifest.speakers, engine: res.manifest.engine, seconds: res.seconds };
        printResult(g, summary, () => `${res.fromCache ? 'cached' : 'generated'} ${summary.clips} clips (${summary.engine}) in ${res.dir}`);
      }),
    );
}
