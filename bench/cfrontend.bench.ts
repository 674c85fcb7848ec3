/**
 * C twin vs TS fixed-point frontend throughput on the host (one core, process CPU time): the streaming
 * path in 160-sample chunks for the default config and an MFCC config, over RAVDESS files read in place
 * from ../shared (synthetic speech-like audio when absent). The C figures come from clock() inside the
 * harness (gcc -O2), so process start and file I/O are excluded. Bit-exactness is the tests' job.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Table from 'cli-table3';
import { readWav } from '../runtime-sim/audio/index.js';
import { createFixedFrontend, parseFrontendConfig, type FrontendConfig } from '../runtime-sim/frontend/index.js';
import { benchHarness, buildHarness, hasCompiler, ravdessAvailable, ravdessDir } from '../test/cfrontend/c-harness.js';
import { syntheticSignals } from '../test/cfrontend/signals.js';

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function benchAudio(): Promise<{ samples: Int16Array; source: string }> {
  if (!ravdessAvailable) return { samples: syntheticSignals(16000 * 20).speech, source: 'synthetic speech-like, 20 s' };
  const files = readdirSync(ravdessDir)
    .filter((f) => f.endsWith('.wav'))
    .sort();
  const pick = Array.from({ length: 20 }, (_, i) => files[Math.floor((i * files.length) / 20)]);
  const parts: Int16Array[] = [];
  for (const f of pick) parts.push((await readWav(join(ravdessDir, f))).samplesInt16);
  const all = new Int16Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return { samples: all, source: `20 RAVDESS files concatenated (${(all.length / 16000).toFixed(1)} s)` };
}

function tsFramesPerSecond(config: FrontendConfig, samples: Int16Array, minSeconds: number): number {
  let frames = 0;
  const t0 = cpuSeconds();
  do {
    const fe = createFixedFrontend(config);
    for (let p = 0; p < samples.length; p += 160) frames += fe.pushSamples(samples.subarray(p, p + 160)).length;
  } while (cpuSeconds() - t0 < minSeconds);
  return frames / (cpuSeconds() - t0);
}

export default async function cfrontendBench(): Promise<void> {
  if (!hasCompiler('gcc')) {
    console.log('skipped: host gcc not found');
    return;
  }
  const { samples, source } = await benchAudio();
  console.log(`audio: ${source}; streaming in 160-sample chunks; CPU time of one process`);
  const configs: Record<string, FrontendConfig> = {
    'default (40 log-mel)': parseFrontendConfig({}),
    'mfcc (40 mel -> 13 MFCC, pre-emphasis)': parseFrontendConfig({ kind: 'mfcc', preEmphasis: 0.97 }),
  };
  const table = new Table({ head: ['config', 'C frames/s (gcc -O2)', 'TS frames/s', 'C / TS', 'real-time factor C (100 frames/s)'] });
  for (const [name, config] of Object.entries(configs)) {
    const h = buildHarness(config, 'bench');
    try {
      benchHarness(h, samples, 1); // warm-up (page cache, CPU frequency)
      let repeat = 1;
      let r = benchHarness(h, samples, repeat);
      while (r.cpuSeconds < 1 && repeat < 1024) {
        repeat *= 4;
        r = benchHarness(h, samples, repeat);
      }
      const cFps = r.frames / r.cpuSeconds;
      tsFramesPerSecond(config, samples.subarray(0, 16000), 0.2); // JIT warm-up
      const tsFps = tsFramesPerSecond(config, samples, 1);
      table.push([name, cFps.toFixed(0), tsFps.toFixed(0), (cFps / tsFps).toFixed(2), (cFps / 100).toFixed(0) + 'x']);
    } finally {
      h.cleanup();
    }
  }
  console.log(table.toString());
}
