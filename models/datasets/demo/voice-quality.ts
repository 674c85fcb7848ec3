/**
 * Spectral-tilt stand-in for voice quality, applied after synthesis and RMS-preserving (so it adds
 * no loudness cue): tilt > 0 mixes in the first difference (more high-frequency energy, like a
 * tense or pressed voice), tilt < 0 runs a one-pole low-pass (less, like a lax or breathy voice).
 */
export function applySpectralTiltFloat64(x: Float64Array, tilt: number): Float64Array {
  if (tilt === 0) return x.slice();
  const y = new Float64Array(x.length);
  if (tilt > 0) {
    let prev = 0;
    for (let i = 0; i < x.length; i++) {
      y[i] = x[i] + 2 * tilt * (x[i] - prev);
      prev = x[i];
    }
  } else {
    const a = Math.min(0.95, -tilt * 1.6); // pole position
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      s = a * s + (1 - a) * x[i];
      y[i] = s;
    }
  }
  let px = 0;
  let py = 0;
  for (let i = 0; i < x.length; i++) {
    px += x[i] * x[i];
    py += y[i] * y[i];
  }
  const g = py > 0 ? Math.sqrt(px / py) : 1;
  for (let i = 0; i < y.length; i++) y[i] *= g;
  return y;
}
