/** Mean power and dB helpers shared by the noise and gain transforms. */
export type Signal = Float32Array | Float64Array;

export function meanPower(x: ArrayLike<number>): number {
  if (x.length === 0) return 0;
  let p = 0;
  for (let i = 0; i < x.length; i++) p += x[i] * x[i];
  return p / x.length;
}

export function dbToAmplitude(db: number): number {
  return Math.pow(10, db / 20);
}

export function powerRatioDb(signalPower: number, noisePower: number): number {
  return 10 * Math.log10(signalPower / noisePower);
}
