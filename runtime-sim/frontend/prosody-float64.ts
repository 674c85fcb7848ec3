/**
 * Prosodic features per frame (same frame layout as the spectral features): energy (dBFS), zero-crossing
 * rate, F0 (YIN) with voicing. F0 uses a longer analysis window centred on the frame, because 25 ms holds
 * under two periods of a 70 Hz voice.
 */
import type { FrontendConfig } from './config.js';
import { frameCount } from './framing.js';
import { DEFAULT_YIN, yinF0Float64, type YinOptions } from './reference/f0-yin-float64.js';
import { frameEnergyDbFloat64 } from './reference/frame-energy-float64.js';
import { zeroCrossingRate } from './reference/zcr-float64.js';

export interface ProsodyFloat64 {
  frames: number;
  energyDb: Float64Array;
  zcr: Float64Array;
  /** 0 where unvoiced. */
  f0Hz: Float64Array;
  voiced: Uint8Array;
}

export function computeProsodyFloat64(samples: Int16Array, config: FrontendConfig, yin: YinOptions = DEFAULT_YIN): ProsodyFloat64 {
  const { windowSamples: win, hopSamples: hop, sampleRate } = config;
  const frames = frameCount(samples.length, win, hop);
  const f0Win = Math.max(win, Math.ceil((2.2 * sampleRate) / yin.fminHz));
  const energyDb = new Float64Array(frames);
  const zcr = new Float64Array(frames);
  const f0Hz = new Float64Array(frames);
  const voiced = new Uint8Array(frames);
  const buf = new Float64Array(f0Win);
  for (let t = 0; t < frames; t++) {
    const s0 = t * hop;
    energyDb[t] = frameEnergyDbFloat64(samples, s0, win);
    zcr[t] = zeroCrossingRate(samples, s0, win);
    const c = s0 + win / 2 - f0Win / 2;
    for (let i = 0; i < f0Win; i++) {
      const j = Math.round(c) + i;
      buf[i] = j >= 0 && j < samples.length ? samples[j] / 32768 : 0;
    }
    const r = yinF0Float64(buf, sampleRate, yin);
    f0Hz[t] = r.voiced ? r.f0Hz : 0;
    voiced[t] = r.voiced ? 1 : 0;
  }
  return { frames, energyDb, zcr, f0Hz, voiced };
}
