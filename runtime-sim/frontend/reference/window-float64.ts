/** Periodic Hann (the FFT-analysis convention, as librosa/scipy `fftbins=True`): 0.5 - 0.5 cos(2 pi n / N). */
export function hannPeriodicFloat64(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}
