/**
 * Kaiser window helpers for the windowed-sinc resampler. Float64 throughout: the filter bank is built
 * once per rate pair, so precision costs nothing and keeps the stopband floor far below 16-bit noise.
 */

/** Zeroth-order modified Bessel function of the first kind, by its power series (converges for all x). */
export function besselI0Float64(x: number): number {
  const halfX = x / 2;
  let term = 1;
  let sum = 1;
  // Terms shrink once k > x/2; 500 iterations is far beyond what beta <= 20 needs, and bounds the loop.
  for (let k = 1; k < 500; k++) {
    term *= (halfX / k) * (halfX / k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Kaiser's empirical beta for a stopband attenuation of `attenuationDb` (> 50 dB branch and below). */
export function kaiserBetaFloat64(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) return 0.5842 * Math.pow(attenuationDb - 21, 0.4) + 0.07886 * (attenuationDb - 21);
  return 0;
}

/** Kaiser's estimate of the filter length (in samples) for a transition width in cycles per sample. */
export function kaiserLengthFloat64(attenuationDb: number, transitionCyclesPerSample: number): number {
  return (attenuationDb - 7.95) / (14.36 * transitionCyclesPerSample);
}

/** Window value at normalized position x in [-1, 1] (0 outside), given beta and 1 / I0(beta). */
export function kaiserWindowFloat64(x: number, beta: number, invI0Beta: number): number {
  if (x <= -1 || x >= 1) return 0;
  return besselI0Float64(beta * Math.sqrt(1 - x * x)) * invI0Beta;
}
