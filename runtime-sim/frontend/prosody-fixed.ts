/**
 * Fixed-point prosodic features with the frame layout and F0 window of prosody-float64.ts: frame energy
 * (dB, Q20), zero-crossing count, integer YIN F0 (Q4 Hz) with voicing.
 */
import type { FrontendConfig } from './config.js';
import { frameCount } from './framing.js';
import { frameEnergyDbQ20, zeroCrossingCount } from './fixed/energy-zcr-q.js';
import { yinF0Q } from './fixed/f0-yin-q.js';
import { fixedTablesFor } from './fixed/frontend-fixed.js';
import { DEFAULT_YIN, type YinOptions } from './reference/f0-yin-float64.js';

export interface ProsodyFixed {
  frames: number;
  energyDbQ20: Int32Array;
  zeroCrossings: Int32Array;
  f0Q4: Int32Array;
  voiced: Uint8Array;
}

export function computeProsodyFixed(samples: Int16Array, config: FrontendConfig, yin: YinOptions = DEFAULT_YIN): ProsodyFixed {
  const t = fixedTablesFor(config);
  const { windowSamples: win, hopSamples: hop, sampleRate } = config;
  const frames = frameCount(samples.length, win, hop);
  const f0Win = Math.max(win, Math.ceil((2.2 * sampleRate) / yin.fminHz));
  const energyDbQ20 = new Int32Array(frames);
  const zeroCrossings = new Int32Array(frames);
  const f0Q4 = new Int32Array(frames);
  const voiced = new Uint8Array(frames);
  const buf = new Int16Array(f0Win);
  for (let f = 0; f < frames; f++) {
    const s0 = f * hop;
    energyDbQ20[f] = frameEnergyDbQ20(t, samples, s0, win);
    zeroCrossings[f] = zeroCrossingCount(samples, s0, win);
    const c = Math.round(s0 + win / 2 - f0Win / 2);
    for (let i = 0; i < f0Win; i++) {
      const j = c + i;
      buf[i] = j >= 0 && j < samples.length ? samples[j] : 0;
    }
    const r = yinF0Q(buf, 0, f0Win, sampleRate, yin);
    f0Q4[f] = r.f0Q4;
    voiced[f] = r.voiced ? 1 : 0;
  }
  return { frames, energyDbQ20, zeroCrossings, f0Q4, voiced };
}
