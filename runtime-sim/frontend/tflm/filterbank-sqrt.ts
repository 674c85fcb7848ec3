/**
 * Sqrt32 / Sqrt64 and FilterbankSqrt (filterbank.c). C computes the floor square root bit by bit
 * and then rounds up when the remainder exceeds the root (i.e. round half up on the exact root),
 * except when the root is already the largest value of its width. Values below 2^32 take the
 * 32-bit routine whose result is a uint16, so its cap is 0xFFFF (C's comment calls this a
 * deliberate off-by-one near 2^32); larger values cap at 0xFFFFFFFF. Same results, computed here
 * with Math.sqrt plus an exact integer correction (all squares stay below 2^53).
 */

/** Rounded sqrt of an unsigned integer 0 <= n < 2^53, exactly as Sqrt64 (with its Sqrt32 shortcut). */
export function sqrtUint64RoundedFromNumber(n: number): number {
  if (n === 0) return 0;
  let r = Math.floor(Math.sqrt(n));
  while (r * r > n) --r;
  while ((r + 1) * (r + 1) <= n) ++r;
  const cap = n < 4294967296 ? 0xffff : 0xffffffff;
  if (n - r * r > r && r !== cap) ++r;
  return r;
}

/** Same for any uint64 (used when an accumulator is not exact in float64). */
export function sqrtUint64RoundedFromBigInt(n: bigint): number {
  if (n < 1n << 53n) return sqrtUint64RoundedFromNumber(Number(n));
  let r = BigInt(Math.floor(Math.sqrt(Number(n))));
  while (r * r > n) --r;
  while ((r + 1n) * (r + 1n) <= n) ++r;
  if (n - r * r > r && r !== 0xffffffffn) ++r;
  return Number(r);
}

/** FilterbankSqrt: out[i] = Sqrt64(work[1 + i]) >> scaleDownShift (uint32). */
export function filterbankSqrtFloat64(work: Float64Array, numChannels: number, scaleDownShift: number, out: Uint32Array): void {
  for (let i = 0; i < numChannels; ++i) out[i] = sqrtUint64RoundedFromNumber(work[i + 1]) >>> scaleDownShift;
}

export function filterbankSqrtBigInt(work: BigUint64Array, numChannels: number, scaleDownShift: number, out: Uint32Array): void {
  for (let i = 0; i < numChannels; ++i) out[i] = sqrtUint64RoundedFromBigInt(work[i + 1]) >>> scaleDownShift;
}
