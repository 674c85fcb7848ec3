/** Orthonormal DCT-II matrix (count x bands): row 0 scaled by sqrt(1/M), others by sqrt(2/M). */
export function dctOrthoMatrixFloat64(count: number, bands: number): Float64Array {
  const m = new Float64Array(count * bands);
  for (let k = 0; k < count; k++) {
    const s = k === 0 ? Math.sqrt(1 / bands) : Math.sqrt(2 / bands);
    for (let b = 0; b < bands; b++) m[k * bands + b] = s * Math.cos((Math.PI * k * (b + 0.5)) / bands);
  }
  return m;
}

export function applyDctFloat64(matrix: Float64Array, count: number, bands: number, logMel: Float64Array, out: Float64Array): void {
  for (let k = 0; k < count; k++) {
    let acc = 0;
    for (let b = 0; b < bands; b++) acc += matrix[k * bands + b] * logMel[b];
    out[k] = acc;
  }
}

/** applyDctFloat64 reading logMel[inOffset ..] and writing out[outOffset ..] (same sums, same order). */
export function applyDctFloat64At(matrix: Float64Array, count: number, bands: number, logMel: Float64Array, inOffset: number, out: Float64Array, outOffset: number): void {
  for (let k = 0; k < count; k++) {
    let acc = 0;
    const row = k * bands;
    for (let b = 0; b < bands; b++) acc += matrix[row + b] * logMel[inOffset + b];
    out[outOffset + k] = acc;
  }
}
