/**
 * Float [-1, 1] -> int16 conversion shared by the decoder and the encoder. Scale 32768 (not 32767) so
 * that 16-bit PCM read as code / 32768 converts back to the same code exactly; ties round away from
 * zero so the mapping is symmetric for positive and negative samples.
 */
export function floatToInt16Sample(x: number): number {
  const q = x * 32768;
  const r = q < 0 ? -Math.floor(-q + 0.5) : Math.floor(q + 0.5);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}

export function floatToInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = floatToInt16Sample(samples[i]);
  return out;
}

/** Round-half-away-from-zero to an integer code saturated to [lo, hi]; NaN maps to 0. */
export function quantizeToCode(x: number, scale: number, lo: number, hi: number): number {
  if (Number.isNaN(x)) return 0;
  const q = x * scale;
  const r = q < 0 ? -Math.floor(-q + 0.5) : Math.floor(q + 0.5);
  return r > hi ? hi : r < lo ? lo : r;
}
