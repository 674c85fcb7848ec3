/**
 * Arbitrary-step resampling by windowed sinc (Blackman window), float64. Output sample j is the
 * band-limited value of the input at position j·step, so a tone at f leaves at f·step (in the same
 * sample rate). For step > 1 the cutoff drops to 1/step so compression does not alias.
 * The kernel is tabulated at 512 points per input sample and linearly interpolated (error
 * < 1e-5 of full scale), which keeps trigonometry out of the inner loop.
 * Used by pitch shift and the demo generator; file-level sample-rate conversion belongs to
 * runtime-sim/audio.
 */
const ZERO_CROSSINGS = 16;
const TABLE_RES = 512;

export function resampleByStepFloat64(x: ArrayLike<number>, step: number, outLength: number): Float64Array {
  if (!(step > 0) || !Number.isFinite(step)) throw new RangeError(`resampleByStepFloat64: bad step ${step}`);
  const out = new Float64Array(outLength);
  const n = x.length;
  const cutoff = Math.min(1, 1 / step); // normalised to the input Nyquist
  const halfWidth = Math.ceil(ZERO_CROSSINGS / cutoff);
  const table = new Float64Array(halfWidth * TABLE_RES + 2);
  for (let i = 0; i < table.length; i++) {
    const d = i / TABLE_RES;
    table[i] = cutoff * sinc(cutoff * d) * blackman(d / halfWidth);
  }
  const kernel = (d: number): number => {
    const pos = Math.abs(d) * TABLE_RES;
    const k = Math.floor(pos);
    return k + 1 < table.length ? table[k] + (pos - k) * (table[k + 1] - table[k]) : 0;
  };
  const rational = smallRational(step);
  if (rational) {
    // Rational step num/den (e.g. 22050 -> 16000 Hz is 441/320): only `den` distinct fractional
    // positions occur, so their kernels are computed once (polyphase) instead of per sample.
    const { num, den } = rational;
    const taps = 2 * halfWidth;
    const phases = new Float64Array(den * taps);
    for (let p = 0; p < den; p++) {
      const frac = p / den;
      for (let m = 0; m < taps; m++) phases[p * taps + m] = kernel(frac + halfWidth - 1 - m);
    }
    for (let j = 0; j < outLength; j++) {
      const center = Math.floor((j * num) / den);
      const p = (j * num) % den;
      const first = center - halfWidth + 1;
      const base = p * taps;
      let acc = 0;
      const m0 = Math.max(0, -first);
      const m1 = Math.min(taps, n - first);
      for (let m = m0; m < m1; m++) acc += x[first + m] * phases[base + m];
      out[j] = acc;
    }
    return out;
  }
  for (let j = 0; j < outLength; j++) {
    const t = j * step;
    const center = Math.floor(t);
    const lo = Math.max(0, center - halfWidth + 1);
    const hi = Math.min(n - 1, center + halfWidth);
    let acc = 0;
    for (let i = lo; i <= hi; i++) acc += x[i] * kernel(t - i);
    out[j] = acc;
  }
  return out;
}

/** step = num/den with den <= 1024, or null. */
function smallRational(step: number): { num: number; den: number } | null {
  for (let den = 1; den <= 1024; den++) {
    const num = Math.round(step * den);
    if (Math.abs(num / den - step) < 1e-12 * step && num * 1024 < Number.MAX_SAFE_INTEGER / 1e6) return { num, den };
  }
  return null;
}

function sinc(v: number): number {
  if (v === 0) return 1;
  const p = Math.PI * v;
  return Math.sin(p) / p;
}

/** Blackman window over u in [-1, 1] (0 outside). */
function blackman(u: number): number {
  if (u <= -1 || u >= 1) return 0;
  const a = Math.PI * (u + 1);
  return 0.42 - 0.5 * Math.cos(a) + 0.08 * Math.cos(2 * a);
}
