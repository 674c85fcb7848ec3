/**
 * Frame energy in dB full scale: 10 log10(mean(x^2) + 1e-20) over the raw (un-windowed, un-emphasized)
 * frame with x = int16 / 32768, so a full-scale sine reads about -3 dB.
 */
export function frameEnergyDbFloat64(samples: Int16Array, start: number, length: number): number {
  let acc = 0;
  for (let i = 0; i < length; i++) {
    const v = samples[start + i] / 32768;
    acc += v * v;
  }
  return 10 * Math.log10(acc / length + 1e-20);
}
