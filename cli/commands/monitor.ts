/** `tinyser monitor --port P [--record out.jsonl] [--wav clip.wav]`: live results, append-only record. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import wav from 'node-wav';
import { UsageError } from '../../common/errors.js';
import { runMonitor, type RecordedResult } from '../../device-bridge/monitor.js';
import { Session } from '../../device-bridge/protocol/session.js';
import { openSerial } from '../../device-bridge/transport/serial.js';
import { action, printResult, type GlobalOptions } from '../output.js';

function readPcm16k(file: string): Int16Array {
  let decoded: ReturnType<typeof wav.decode>;
  try {
    decoded = wav.decode(readFileSync(file));
  } catch (e) {
    throw new UsageError(`cannot decode WAV ${file}: ${(e as Error).message}`);
  }
  if (decoded.sampleRate !== 16000) throw new UsageError(`${file} is ${decoded.sampleRate} Hz; the device pipeline takes 16 kHz (resample it first)`);
  const ch = decoded.channelData[0]!;
  const pcm = new Int16Array(ch.length);
  for (let i = 0; i < ch.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(ch[i]! * 32768)));
  return pcm;
}

const row = (r: RecordedResult) =>
  `${String(r.window).padStart(7)}  ${String(r.top).padStart(3)}  ${r.scores.map((s) => String(s).padStart(4)).join(' ')}  ${String(r.frontendCycles).padStart(9)}  ${String(r.modelCycles).padStart(9)}${r.replayed ? '  (replayed)' : ''}`;

export function register(program: Command): void {
  program
    .command('monitor')
    .description('show RESULT frames live and record them (one JSON line per window, never duplicated); Ctrl-C stops')
    .requiredOption('--port <path>', 'serial port (or the emulator pty)')
    .option('--record <file>', 'append-only JSONL record; an existing record is resumed, not duplicated')
    .option('--wav <file>', '16 kHz WAV to stream to the device as AUDIO (otherwise just listen)')
    .option('--chunk <samples>', 'samples per AUDIO frame', '500')
    .action(
      action(async (opts: { port: string; record?: string; wav?: string; chunk: string }, cmd: Command) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        const pcm = opts.wav ? readPcm16k(opts.wav) : undefined;
        const session = new Session(await openSerial(opts.port));
        const ac = new AbortController();
        const onSig = () => ac.abort();
        process.once('SIGINT', onSig);
        if (!g.json) process.stdout.write(' window  top  scores               frontend      model   (ticks)\n');
        try {
          const report = await runMonitor({
            session,
            recordPath: opts.record,
            audio: pcm ? { pcm, chunkSamples: Number(opts.chunk) } : undefined,
            signal: ac.signal,
            onResult: (r) => {
              if (!g.json) process.stdout.write(row(r) + '\n');
            },
            onEvent: (e) => {
              if (g.json) return;
              if (e.kind === 'gap') process.stderr.write(`gap: device stream seq ${e.gap.expected} expected, ${e.gap.got} received (${e.gap.missing} ${e.gap.type} frame(s) lost)\n`);
              if (e.kind === 'reset') process.stderr.write(`device reset (epoch ${e.epoch})\n`);
              if (e.kind === 'restart' && e.fromWindow > 0) process.stderr.write(`re-streaming audio from window ${e.fromWindow}\n`);
            },
          });
          printResult(g, report, () => `recorded ${report.recorded} new windows (${report.alreadyRecorded} were already in the record), ${report.replayed} via replay; ${report.gaps.length} stream gaps, ${report.resets} device resets, ${report.badFrames} corrupted frames dropped${report.missing.length ? `; MISSING ${report.missing.length} windows` : ''}`);
          return report.missing.length && !ac.signal.aborted ? 1 : 0;
        } finally {
          process.removeListener('SIGINT', onSig);
          await session.close();
        }
      }),
    );
}
