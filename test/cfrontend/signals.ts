/** Deterministic synthetic 16 kHz int16 test signals for the C-vs-TS frontend tests. */

/** mulberry32: a small seeded PRNG, so every run tests the same samples. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clip16 = (v: number) => Math.max(-32768, Math.min(32767, Math.round(v)));

export function syntheticSignals(n = 16000): Record<string, Int16Array> {
  const fs = 16000;
  const rnd = seededRandom(1234);
  const silence = new Int16Array(n);
  const square = Int16Array.from({ length: n }, (_, i) => (Math.floor((i * 440 * 2) / fs) % 2 === 0 ? 32767 : -32768));
  const chirp = Int16Array.from({ length: n }, (_, i) => {
    const t = i / fs;
    const dur = n / fs;
    const f0 = 50;
    const f1 = 7900;
    return clip16(20000 * Math.sin(2 * Math.PI * (f0 * t + ((f1 - f0) * t * t) / (2 * dur))));
  });
  const noise = Int16Array.from({ length: n }, () => Math.floor(rnd() * 65536) - 32768);
  // Speech-like: 120-180 Hz glottal harmonics through two moving formants, syllabic AM, driven 4x into clipping.
  const speech = new Int16Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / fs;
    const f0 = 150 + 30 * Math.sin(2 * Math.PI * 3 * t);
    phase += (2 * Math.PI * f0) / fs;
    let v = 0;
    for (let h = 1; h <= 25; h++) {
      const fh = h * f0;
      const formant = Math.exp(-(((fh - 700 - 200 * Math.sin(2 * Math.PI * 2 * t)) / 250) ** 2)) + 0.5 * Math.exp(-(((fh - 1800) / 300) ** 2));
      v += (formant / h) * Math.sin(h * phase);
    }
    const env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
    speech[i] = clip16(4 * 30000 * env * v + 200 * (rnd() - 0.5));
  }
  // +-1 LSB dither: the quietest non-silent input.
  const tiny = Int16Array.from({ length: n }, () => (rnd() < 0.5 ? -1 : 1) * (rnd() < 0.7 ? 1 : 0));
  const impulses = new Int16Array(n);
  for (let i = 0; i < n; i += 1234) impulses[i] = i % 2 ? -32768 : 32767;
  // Isolated +-1 taps where the Hann window is near zero (offsets 1 and 2 of frame 0): max |window * x| < 2^26,
  // so the block normalization shifts left (s0 < 0), a path no louder frame takes.
  const edgeTaps = new Int16Array(n);
  edgeTaps[1] = 1;
  edgeTaps[2] = -1;
  edgeTaps[n >> 1] = 3;
  return { silence, square, chirp, noise, speech, tiny, impulses, edgeTaps };
}

/** Random streaming chunk sizes, including 0, 1 and more than a window. */
export function randomChunks(seed: number, count: number, max: number): number[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const r = rnd();
    if (r < 0.05) return 0;
    if (r < 0.15) return 1;
    return Math.floor(rnd() * max);
  });
}
