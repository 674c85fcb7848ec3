/**
 * bits.h of the microfrontend: MostSignificantBit32(n) = 32 - clz(n), 0 for n == 0.
 * (MostSignificantBit64 is not needed: filterbank-sqrt.ts takes the root without bit scanning.)
 * Inputs are unsigned 32-bit values carried in JS numbers (0 <= n < 2^32).
 */
export function mostSignificantBit32(n: number): number {
  return 32 - Math.clz32(n);
}
