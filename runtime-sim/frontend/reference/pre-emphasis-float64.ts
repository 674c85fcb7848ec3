/** y[n] = x[n] - a*x[n-1] over the whole signal (x[-1] = 0), so frames overlap consistently. */
export function preEmphasisFloat64(x: Float64Array, a: number): Float64Array {
  if (a === 0) return x;
  const y = new Float64Array(x.length);
  preEmphasisFloat64Into(x, x.length, a, y);
  return y;
}

/** preEmphasisFloat64 of x[0 .. n) written to out[0 .. n) (a reusable buffer; a = 0 copies). */
export function preEmphasisFloat64Into(x: Float64Array, n: number, a: number, out: Float64Array): void {
  let prev = 0;
  for (let i = 0; i < n; i++) {
    out[i] = x[i] - a * prev;
    prev = x[i];
  }
}
