/**
 * Frame layout shared by every path: frame t covers samples [t*hop, t*hop + window), the window sits at
 * the start of the FFT buffer and the rest is zero padding. No centring and no padding at the signal
 * ends, so a streaming device emits exactly the frames the batch path computes.
 */
export function frameCount(totalSamples: number, windowSamples: number, hopSamples: number): number {
  if (totalSamples < windowSamples) return 0;
  return 1 + Math.floor((totalSamples - windowSamples) / hopSamples);
}

/** The pre-emphasis coefficient both paths use: the configured value rounded to Q15. */
export function preEmphasisQ15(coefficient: number): number {
  return Math.round(coefficient * 32768);
}
