/**
 * `tinyser demo [--out demo-out] [--json]`: the whole path on the emulated board (demo data ->
 * training -> int8 compile -> firmware -> QEMU -> flash -> HIL -> report). Thin over demo/run-demo.ts.
 * Exit 1 when the device disagrees with runtime-sim on any window.
 */
import type { Command } from 'commander';
import { CheckFailedError } from '../../common/errors.js';
import { demoSummaryText } from '../../demo/demo-report.js';
import { DEMO_STAGES, runDemo } from '../../demo/run-demo.js';
import { action, printResult, type GlobalOptions } from '../output.js';
import { integerFlag, positiveNumber } from './train.js';

export function register(program: Command): void {
  program
    .command('demo')
    .description('end to end on the emulated board: demo speech -> train -> compile int8 -> firmware -> QEMU -> flash -> HIL -> HTML report')
    .option('--out <dir>', 'output folder', 'demo-out')
    .option('--count <n>', 'demo clips per class', '40')
    .option('--epochs <n>', 'maximum training epochs', '12')
    .option('--arch <name>', 'student architecture', 'ds-cnn-s')
    .option('--seed <n>', 'seed for data, weights and shuffling', '0')
    .option('--hil-clips <n>', 'held-out clips to stream through the board (default: all)')
    .option('--no-install', 'never run apt-get, only print what to install')
    .action(
      action(async (opts: { out: string; count: string; epochs: string; arch: string; seed: string; hilClips?: string; install: boolean }, cmd: Command) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        const t0 = Date.now();
        const log = (line: string) => process.stderr.write(`${line}\n`);
        const r = await runDemo({
          out: opts.out,
          demoCount: positiveNumber('--count', opts.count, true),
          epochs: positiveNumber('--epochs', opts.epochs, true),
          arch: opts.arch,
          seed: integerFlag('--seed', opts.seed),
          hilClips: opts.hilClips ? positiveNumber('--hil-clips', opts.hilClips, true) : undefined,
          installTools: opts.install,
          onStage: (s, m) => log(`[${DEMO_STAGES.indexOf(s) + 1}/${DEMO_STAGES.length} ${s} ${((Date.now() - t0) / 1000).toFixed(0)}s] ${m}`),
          onEpoch: (e) => log(`    epoch ${e.epoch}: loss ${e.loss.toFixed(3)}, val UA ${(e.valUA * 100).toFixed(1)} %, ${e.examplesPerSecond.toFixed(0)} ex/s`),
        });
        printResult(g, r, () => demoSummaryText(r));
        if (!r.hil.bitExact) throw new CheckFailedError(`the device disagrees with runtime-sim on ${r.hil.windows - r.hil.matched} of ${r.hil.windows} windows (see ${r.files.report})`);
      }),
    );
}
