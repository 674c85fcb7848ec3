/**
 * `tinyser features ...`: extract fixed-point features to .feat files, verify fixed vs float64, and print
 * the config / JSON Schema / fixed-point tables. Thin over runtime-sim/frontend and runtime-sim/verify.
 */
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.js';
import { startProgress } from '../../common/progress.js';
import { frontendConfigHash, frontendConfigHashU32, frontendConfigJsonSchema } from '../../runtime-sim/frontend/config.js';
import { loadFrontendConfig } from '../../runtime-sim/frontend/config-file.js';
import { extractFeatureFiles } from '../../runtime-sim/frontend/extract-files.js';
import { exportFixedTables } from '../../runtime-sim/frontend/fixed/tables.js';
import { verifyFeatureFiles } from '../../runtime-sim/verify/features-files.js';
import { action, printResult, type GlobalOptions } from '../output.js';

interface ConfigOpts {
  config?: string;
  kind?: string;
}

function kindOverride(kind: string | undefined): Record<string, unknown> {
  if (kind === undefined) return {};
  if (kind !== 'logmel' && kind !== 'mfcc') throw new UsageError(`--kind must be logmel or mfcc, got '${kind}'`);
  return { kind };
}

function parseDb(name: string, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${name} expects a number of dB, got '${v}'`);
  return n;
}

const fmt = (v: number) => (v === Infinity ? 'inf' : v.toFixed(1));

export function register(program: Command): void {
  const features = program.command('features').description('fixed-point log-mel / MFCC frontend: extract, verify, config');

  features
    .command('extract')
    .description('compute int8 features (fixed-point device path) for WAV files or directories into <out>/<name>.feat')
    .argument('<inputs...>', 'WAV files or directories (recursive)')
    .requiredOption('--out <dir>', 'output directory')
    .option('--config <file>', 'frontend config JSON (defaults otherwise)')
    .option('--kind <kind>', 'logmel or mfcc (overrides the config)')
    .option('--csv', 'also write <name>.csv (one frame per line)')
    .option('--float', 'write the float64 reference features (as float32, normalization applied) instead of int8')
    .action(
      action(async (inputs: string[], opts: ConfigOpts & { out: string; csv?: boolean; float?: boolean }, cmd: Command) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        const config = await loadFrontendConfig(opts.config, kindOverride(opts.kind));
        let bar: ReturnType<typeof startProgress> | undefined;
        const result = await extractFeatureFiles(inputs, opts.out, config, {
          csv: opts.csv,
          float: opts.float,
          onStart: (total) => (bar = startProgress({ label: 'extract', total, enabled: !g.json })),
          onFile: () => bar?.tick(),
        });
        bar?.stop();
        printResult(g, result, () => {
          const frames = result.files.reduce((a, f) => a + f.frames, 0);
          const sat = result.files.reduce((a, f) => a + f.saturated, 0);
          return `extracted ${result.files.length} files (${frames} frames, ${result.kind}, ${result.files[0]?.dims ?? 0} dims, ${opts.float ? 'float32' : 'int8'}) to ${result.outDir}; config ${result.configHash}; ${sat} saturated int8 values`;
        });
      }),
    );

  features
    .command('verify')
    .description('compare the fixed-point frontend with the float64 reference (SNR); exit 1 below the thresholds')
    .argument('<inputs...>', 'WAV files or directories (recursive)')
    .option('--config <file>', 'frontend config JSON (defaults otherwise)')
    .option('--kind <kind>', 'logmel or mfcc (overrides the config)')
    .option('--min-snr <dB>', 'median log-mel and MFCC SNR required (worst 5% of files: this - 5)', '50')
    .option('--min-coef-snr <dB>', 'SNR required for every MFCC coefficient (mean removed)', '40')
    .option('--report <file.html>', 'write an offline HTML report')
    .action(
      action(async (inputs: string[], opts: ConfigOpts & { minSnr: string; minCoefSnr: string; report?: string }, cmd: Command) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        const thresholds = { minSnrDb: parseDb('--min-snr', opts.minSnr), minCoefSnrDb: parseDb('--min-coef-snr', opts.minCoefSnr) };
        const config = await loadFrontendConfig(opts.config, kindOverride(opts.kind));
        let bar: ReturnType<typeof startProgress> | undefined;
        const report = await verifyFeatureFiles(inputs, config, thresholds, {
          reportPath: opts.report,
          onStart: (total) => (bar = startProgress({ label: 'verify', total, enabled: !g.json })),
          onFile: () => bar?.tick(),
        });
        bar?.stop();
        printResult(g, report, () => {
          const lm = report.logMel;
          const mf = report.mfcc;
          const failed = report.checks.filter((c) => !c.pass);
          const coefMin = Math.min(...mf.perDimPooledMeanRemovedDb, ...mf.perDimPooledMeanRemovedActiveDb);
          return [
            `${report.files} files, ${report.frames} frames (${report.activeFrames} active), config ${report.configHash}`,
            `log-mel SNR dB  median ${fmt(lm.snrDb.median)}  worst5% ${fmt(lm.snrDb.worst5)}  min ${fmt(lm.snrDb.min)}  | active median ${fmt(lm.snrActiveDb.median)} | mean-removed median ${fmt(lm.snrMeanRemovedDb.median)}`,
            `MFCC    SNR dB  median ${fmt(mf.snrDb.median)}  worst5% ${fmt(mf.snrDb.worst5)}  min ${fmt(mf.snrDb.min)}  | active median ${fmt(mf.snrActiveDb.median)} | mean-removed median ${fmt(mf.snrMeanRemovedDb.median)}`,
            `MFCC per-coefficient SNR (mean removed, all/active frames) min ${fmt(coefMin)} dB`,
            `int8: ${(report.int8.equalShare * 100).toFixed(3)}% equal to quantized float, max |diff| ${report.int8.maxAbsErrorLsb} LSB, saturated ${report.int8.saturatedFixed}`,
            opts.report ? `report: ${opts.report}` : '',
            report.pass ? 'PASS' : `FAIL: ${failed.map((c) => `${c.name} = ${fmt(c.value)} < ${c.threshold}`).join('; ') || 'no files'}`,
          ]
            .filter(Boolean)
            .join('\n');
        });
        return report.pass ? 0 : 1;
      }),
    );

  features
    .command('config')
    .description('print the fully-defaulted frontend config and its hash')
    .option('--config <file>', 'frontend config JSON')
    .option('--kind <kind>', 'logmel or mfcc (overrides the config)')
    .option('--schema', 'print the JSON Schema of the config instead')
    .option('--tables', 'print the fixed-point integer tables the C twin embeds')
    .action(
      action(async (opts: ConfigOpts & { schema?: boolean; tables?: boolean }, cmd: Command) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        if (opts.schema) {
          const schema = frontendConfigJsonSchema();
          printResult(g, schema, () => JSON.stringify(schema, null, 2));
          return;
        }
        const config = await loadFrontendConfig(opts.config, kindOverride(opts.kind));
        const out = opts.tables
          ? { configHash: frontendConfigHash(config), tables: exportFixedTables(config) }
          : { config, configHash: frontendConfigHash(config), configHashU32: frontendConfigHashU32(config) };
        printResult(g, out, () => JSON.stringify(out, null, 2));
      }),
    );
}
