/** y[n] = x[n] - a*x[n-1] over the whole signal (x[-1] = 0), so frames overlap consistently. */
export function preEmphasisFloat64(x: Float64Array, a: number): Float64Array {
  if (a === 0) return x;
  const y = new Float64Array(x.length);
  let prev = 0;
  for (let i = 0; i < x.length; i++) {
    y[i] = x[i] - a * prev;
    prev = x[i];
  }
  return y;
}
