/**
 * TS twin of firmware-assets/src/app/pipeline_energy.c, bit-exact: the placeholder pipeline
 * (integer frame statistics + 4x4 int8 dense) the firmware runs until the real frontend and the
 * generated model replace it. The HIL path compares the device's RESULT records with this.
 */
export const ENERGY_SAMPLE_RATE_HZ = 16000;
export const ENERGY_WINDOW_SAMPLES = 400;
export const ENERGY_HOP_SAMPLES = 160;
export const ENERGY_NUM_CLASSES = 4;
export const ENERGY_NUM_FEATURES = 4;
const ENERGY_SCORE_SHIFT = 2;
const ENERGY_WEIGHTS: readonly (readonly number[])[] = [
  [3, 0, 1, 0],
  [0, 4, 0, 0],
  [-3, 0, -1, 0],
  [0, 0, 2, 1],
];
const ENERGY_BIAS = [0, 64, -64, -32];

export interface EnergyWindowInt8 {
  window: number;
  features: Int8Array;
  scores: Int8Array;
  top: number;
}

const sat8 = (v: number) => (v > 127 ? 127 : v < -128 ? -128 : v);

/** floor(log2 v) * 256 + the next 8 bits below the MSB (truncated), 0 for v = 0. */
export function log2Q8(v: bigint): number {
  if (v === 0n) return 0;
  const msb = v.toString(2).length - 1;
  const frac = msb >= 8 ? Number((v >> BigInt(msb - 8)) & 0xffn) : Number((v << BigInt(8 - msb)) & 0xffn);
  return msb * 256 + frac;
}

/** Features and scores of the window starting at pcm[start] (400 samples). */
export function energyWindowInt8(pcm: Int16Array, start: number, window: number): EnergyWindowInt8 {
  let energy = 0; // < 400 * 2^30, exact in a double
  let sum = 0;
  let peak = 0;
  let crossings = 0;
  let prev = pcm[start]!;
  for (let i = 0; i < ENERGY_WINDOW_SAMPLES; i++) {
    const x = pcm[start + i]!;
    energy += x * x;
    sum += x;
    const mag = Math.abs(x);
    if (mag > peak) peak = mag;
    if (i > 0 && x < 0 !== prev < 0) crossings++;
    prev = x;
  }
  const features = Int8Array.from([sat8((log2Q8(BigInt(energy)) >> 5) - 224), sat8(crossings - 48), sat8((peak >> 7) - 64), sat8(sum >> 9)]);
  const scores = new Int8Array(ENERGY_NUM_CLASSES);
  let top = 0;
  for (let c = 0; c < ENERGY_NUM_CLASSES; c++) {
    let acc = ENERGY_BIAS[c]!;
    for (let j = 0; j < ENERGY_NUM_FEATURES; j++) acc += ENERGY_WEIGHTS[c]![j]! * features[j]!;
    scores[c] = sat8(acc >> ENERGY_SCORE_SHIFT);
    if (scores[c]! > scores[top]!) top = c;
  }
  return { window, features, scores, top };
}

/**
 * Every complete window of a stream whose first sample has absolute index `sampleOffset`
 * (windows needing earlier samples are skipped, as on the device).
 */
export function energyPipelineInt8(pcm: Int16Array, sampleOffset = 0): EnergyWindowInt8[] {
  const out: EnergyWindowInt8[] = [];
  for (let w = Math.ceil(sampleOffset / ENERGY_HOP_SAMPLES); ; w++) {
    const start = w * ENERGY_HOP_SAMPLES - sampleOffset;
    if (start + ENERGY_WINDOW_SAMPLES > pcm.length) break;
    out.push(energyWindowInt8(pcm, start, w));
  }
  return out;
}

/** Windows produced by `samples` samples of audio starting at absolute offset 0. */
export function windowCount(samples: number): number {
  return samples < ENERGY_WINDOW_SAMPLES ? 0 : Math.floor((samples - ENERGY_WINDOW_SAMPLES) / ENERGY_HOP_SAMPLES) + 1;
}
