/**
 * `tinyser hil --port P --model <dir> <wav|dir>... [--budget b.json] [--junit out.xml]`: streams
 * audio through the device's SER pipeline, checks features and int8 scores bit for bit against
 * runtime-sim, reports per-stage latency percentiles, and exits 1 on a mismatch or a budget violation.
 * Thin over device-bridge/hil/ser-hil.ts.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import Table from 'cli-table3';
import { CheckFailedError, UsageError } from '../../common/errors.js';
import { loadLatencyBudget, runSerHil, serHilJunit, serSpecForDevice, type SerHilReport } from '../../device-bridge/hil/ser-hil.js';
import { decodeInfo, MsgType } from '../../device-bridge/protocol/messages.js';
import { Session } from '../../device-bridge/protocol/session.js';
import { openSerial } from '../../device-bridge/transport/serial.js';
import { listWavFiles, readWav } from '../../runtime-sim/audio/index.js';
import { action, printResult, type GlobalOptions } from '../output.js';

export function renderHil(r: SerHilReport): string {
  const t = new Table({ head: ['stage', 'p50 ticks', 'p95', 'p99', 'max', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'] });
  for (const s of ['frontend', 'model', 'total'] as const) {
    const l = r.latency[s];
    t.push([s, l.ticks.p50, l.ticks.p95, l.ticks.p99, l.ticks.max, l.ms.p50.toFixed(3), l.ms.p95.toFixed(3), l.ms.p99.toFixed(3), l.ms.max.toFixed(3)]);
  }
  const lines = [
    `${r.device.board}: model ${r.device.modelId.toString(16).padStart(8, '0')}, window ${r.device.windowSamples}/${r.device.hopSamples} samples, ${r.device.numClasses} classes`,
    `bit-exact with runtime-sim: ${r.matched}/${r.windows} windows in ${r.clips.length} clips${r.bitExact ? '' : ' -- MISMATCH'}`,
  ];
  for (const c of r.clips.filter((c) => !c.bitExact)) {
    lines.push(`  ${c.name}: ${c.windows - c.matched} windows differ; first: window ${c.mismatches[0]?.window} ${c.mismatches[0]?.field}`);
  }
  lines.push(`latency, ticks at ${r.clockHz / 1e6} MHz (under QEMU -icount: 40 instructions per tick, not Cortex-M4 cycles):`, t.toString());
  for (const b of r.budget) lines.push(`budget ${b.stage} ${b.statistic}: ${b.measuredMs.toFixed(3)} ms ${b.pass ? '<=' : '>'} ${b.limitMs} ms ${b.pass ? 'ok' : 'VIOLATED'}`);
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('hil')
    .description('hardware-in-the-loop: stream WAVs through the device, compare with runtime-sim bit for bit, latency vs budget')
    .argument('<inputs...>', 'WAV files or folders (any rate; resampled to 16 kHz)')
    .requiredOption('--port <path>', 'serial port of the device (e.g. the pty tinyser emulate printed)')
    .requiredOption('--model <dir>', 'firmware build folder (ser-spec.json) or compiler output (model.tflite + frontend.json)')
    .option('--budget <file.json>', 'latency budget: {"statistic":"p99","frontendMs":..,"modelMs":..,"totalMs":..}')
    .option('--junit <out.xml>', 'write a JUnit XML report')
    .action(
      action(async (inputs: string[], opts: { port: string; model: string; budget?: string; junit?: string }, cmd: Command) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        const files = await listWavFiles(inputs);
        if (files.length === 0) throw new UsageError(`no WAV files in ${inputs.join(', ')}`);
        const budget = opts.budget ? loadLatencyBudget(opts.budget) : undefined;
        const clips = [];
        for (const f of files) clips.push({ name: f, pcm: (await readWav(f)).samplesInt16 });
        const port = await openSerial(opts.port);
        const session = new Session(port, { ackTimeoutMs: 3000 });
        let r: SerHilReport;
        try {
          const info = decodeInfo((await session.request(MsgType.HELLO)).body);
          const spec = serSpecForDevice(opts.model, info);
          r = await runSerHil(session, spec, clips, {
            budget,
            onClip: g.json ? undefined : (d, n, c) => process.stderr.write(`[${d}/${n}] ${c.name}: ${c.windows} windows ${c.bitExact ? 'bit-exact' : 'MISMATCH'}\n`),
          });
        } finally {
          await session.close().catch(() => undefined);
        }
        if (opts.junit) writeFileSync(opts.junit, serHilJunit(r));
        const { clips: perClip, ...rest } = r;
        const json = { ...rest, clips: perClip.map(({ deviceScores: _d, twinScores: _t, ...c }) => c), junit: opts.junit ?? null };
        printResult(g, json, () => renderHil(r));
        if (!r.pass) {
          const why = !r.bitExact ? `${r.windows - r.matched} of ${r.windows} windows differ from runtime-sim` : `latency budget violated: ${r.budget.filter((b) => !b.pass).map((b) => b.stage).join(', ')}`;
          if (!g.json) process.stderr.write(`tinyser: ${why}\n`);
          process.exitCode = new CheckFailedError(why).exitCode;
          return 1;
        }
      }),
    );
}
