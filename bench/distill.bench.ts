/**
 * Distillation on RAVDESS, 3 seeds each: the same student trained alone and with each recipe,
 * compared on validation UA (mean +- sample std, per seed, paired difference) and on the
 * sad -> happy confusion the plain KD inherited from its teacher.
 * Opt-in, because the runs take minutes each: it reads finished run folders (`tinyser train` /
 * `tinyser distill`), grouped as
 *   TINYSER_DISTILL_RUNS='alone=d1,d2,d3;hinton=d4,d5,d6;corrected=d7,d8,d9'
 * The first group is the baseline; seeds pair up by position.
 * Besides the selected (best-epoch) UA it prints the mean of each run's 5 best epochs: with 112
 * validation clips one epoch's UA moves by 1.6 points per neutral clip, and picking the single
 * best epoch rewards runs whose UA jumps around, so the top-5 mean is the steadier comparison.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface RunMetrics {
  val: { ua: number; wa: number; confusion: { classes: string[]; counts: number[][] } };
  history: Array<{ epoch: number; valUA: number }>;
  options: { seed: number; arch: string };
  bestEpoch: number;
  teacher?: { path: string; members?: number; val: { ua: number; confusion?: { classes: string[]; counts: number[][] } }; train?: { teacherCorrect: number; corrected: number; total: number } };
  distill?: { temperature: number; alpha: number; correction?: string; augmentCopies?: number };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]): number => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
const pct = (x: number): string => (x * 100).toFixed(1);

function confusionRate(m: Pick<RunMetrics['val'], 'confusion'>, from: string, to: string): number {
  const { classes, counts } = m.confusion;
  const i = classes.indexOf(from);
  const j = classes.indexOf(to);
  if (i < 0 || j < 0) return NaN;
  const row = counts[i]!;
  return row[j]! / row.reduce((a, b) => a + b, 0);
}

export default async function run(): Promise<void> {
  const spec = process.env.TINYSER_DISTILL_RUNS ?? '';
  const groups = spec
    .split(';')
    .filter(Boolean)
    .map((g) => {
      const [name, dirs] = g.split('=');
      return { name: name!.trim(), dirs: (dirs ?? '').split(',').map((d) => d.trim()).filter(Boolean) };
    });
  if (groups.length < 2) {
    console.log("skipped: set TINYSER_DISTILL_RUNS='alone=d1,d2,d3;corrected=d4,d5,d6' (run folders of `tinyser train` / `tinyser distill`)");
    return;
  }
  const missing = groups.flatMap((g) => g.dirs).filter((d) => !existsSync(path.join(d, 'metrics.json')));
  if (missing.length > 0) {
    console.log(`skipped: no metrics.json in ${missing.join(', ')}`);
    return;
  }
  const load = (d: string): RunMetrics => JSON.parse(readFileSync(path.join(d, 'metrics.json'), 'utf8')) as RunMetrics;
  const base = groups[0]!.dirs.map(load);
  for (const g of groups) {
    const runs = g.dirs.map(load);
    const uas = runs.map((r) => r.val.ua);
    const first = runs[0]!;
    const copies = first.distill?.augmentCopies ? `, ${first.distill.augmentCopies} augmented cop${first.distill.augmentCopies === 1 ? 'y' : 'ies'} per clip` : '';
    const recipe = !first.distill
      ? 'trained alone'
      : first.distill.alpha === 0
        ? `hard labels only (alpha 0)${copies}`
        : `KD T=${first.distill.temperature} alpha=${first.distill.alpha} correction ${first.distill.correction ?? 'none'}${copies}, teacher UA ${pct(first.teacher!.val.ua)}` +
          // the teacher's own sad -> happy rate, to tell an inherited confusion from the student's own
          (first.teacher!.val.confusion ? ` (sad->happy ${pct(confusionRate({ confusion: first.teacher!.val.confusion }, 'sad', 'happy'))}%)` : '') +
          (first.teacher?.train ? ` (right on ${first.teacher.train.teacherCorrect}/${first.teacher.train.total} training clips)` : '');
    const sadHappy = runs.map((r) => confusionRate(r.val, 'sad', 'happy'));
    const top5 = runs.map((r) => mean([...r.history.map((h) => h.valUA)].sort((a, b) => b - a).slice(0, 5)));
    let line =
      `${g.name.padEnd(10)} ${first.options.arch}, ${recipe}\n` +
      `           val UA per seed ${uas.map(pct).join(' / ')}; mean ${pct(mean(uas))} +- ${pct(std(uas))}; ` +
      `top-5-epoch mean ${top5.map(pct).join(' / ')} (${pct(mean(top5))} +- ${pct(std(top5))}); sad->happy ${pct(mean(sadHappy))}%`;
    if (g !== groups[0] && runs.length === base.length) {
      const diff = uas.map((u, i) => u - base[i]!.val.ua);
      line += `; vs ${groups[0]!.name}: ${diff.map((d) => (d >= 0 ? '+' : '') + pct(d)).join(' / ')} (mean ${mean(diff) >= 0 ? '+' : ''}${pct(mean(diff))})`;
    }
    console.log(line);
  }
}
