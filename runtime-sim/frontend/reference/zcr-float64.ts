/**
 * Zero-crossing rate: share of adjacent sample pairs in the frame whose signs differ, where a sample
 * >= 0 counts as positive (so exact zeros do not create spurious crossings in digital silence).
 */
export function zeroCrossingRate(samples: Int16Array, start: number, length: number): number {
  if (length < 2) return 0;
  let n = 0;
  for (let i = start + 1; i < start + length; i++) if (samples[i] >= 0 !== samples[i - 1] >= 0) n++;
  return n / (length - 1);
}
