/**
 * FilterbankAccumulateChannels (filterbank.c): triangular mel channels as uint64 sums of
 * Q12 weight * energy. Each bin adds weight * e to its own channel and unweight * e to the next
 * one; accumulator 0 is the lower edge that C computes and then discards.
 *
 * Speed without BigInt: every accumulator is a sum of (weight or unweight <= 4096) * (energy < 2^31)
 * over at most fftSize / 2 + 1 bins, so for fftSize <= 1024 it is below 2^52 and a float64 sum is
 * exact. `filterbankFitsFloat64` checks the actual tables; the BigInt twin handles the rest,
 * including C's sign extension of an energy of exactly 2^31 (re = im = -32768) through its int32
 * pointer: `(uint64_t)(int32_t)e` is 2^64 - 2^31 there, and the sums wrap modulo 2^64.
 */

export interface FilterbankChannelTables {
  numChannels: number;
  channelFrequencyStarts: Int16Array;
  channelWeightStarts: Int16Array;
  channelWidths: Int16Array;
  weights: Int16Array;
  unweights: Int16Array;
}

const ENERGY_MAX_FAST = 2 ** 31; // energies below this are read back unchanged as int32

/** True when every accumulator is provably exact in float64 for energies below 2^31. */
export function filterbankFitsFloat64(t: FilterbankChannelTables): boolean {
  let carry = 0;
  let worst = 0;
  for (let c = 0; c <= t.numChannels; ++c) {
    let w = 0;
    let u = 0;
    const ws = t.channelWeightStarts[c];
    for (let j = 0; j < t.channelWidths[c]; ++j) {
      const wj = t.weights[ws + j];
      const uj = t.unweights[ws + j];
      if (wj < 0 || uj < 0) return false; // negative int16 weights wrap modulo 2^64 in C
      w += wj;
      u += uj;
    }
    worst = Math.max(worst, carry + w);
    carry = u;
  }
  return worst * ENERGY_MAX_FAST < 2 ** 53;
}

/** True when this frame's energies are all read back by C as the same non-negative value. */
export function energiesBelow2Pow31(energy: Uint32Array, startIndex: number, endIndex: number): boolean {
  for (let i = startIndex; i < endIndex; ++i) if (energy[i] >= ENERGY_MAX_FAST) return false;
  return true;
}

/** Fast path: `work` (numChannels + 1) receives the exact uint64 sums as float64 integers. */
export function filterbankAccumulateFloat64(t: FilterbankChannelTables, energy: Uint32Array, work: Float64Array): void {
  const { weights, unweights, channelFrequencyStarts, channelWeightStarts, channelWidths } = t;
  let weightAcc = 0;
  let unweightAcc = 0;
  for (let c = 0; c <= t.numChannels; ++c) {
    const fs = channelFrequencyStarts[c];
    const ws = channelWeightStarts[c];
    const width = channelWidths[c];
    for (let j = 0; j < width; ++j) {
      const e = energy[fs + j];
      weightAcc += weights[ws + j] * e;
      unweightAcc += unweights[ws + j] * e;
    }
    work[c] = weightAcc;
    weightAcc = unweightAcc;
    unweightAcc = 0;
  }
}

/** Exact uint64 twin with C's int32 read-back of the energies and modulo-2^64 wrap. */
export function filterbankAccumulateBigInt(t: FilterbankChannelTables, energy: Uint32Array, work: BigUint64Array): void {
  const { weights, unweights, channelFrequencyStarts, channelWeightStarts, channelWidths } = t;
  let weightAcc = 0n;
  let unweightAcc = 0n;
  for (let c = 0; c <= t.numChannels; ++c) {
    const fs = channelFrequencyStarts[c];
    const ws = channelWeightStarts[c];
    const width = channelWidths[c];
    for (let j = 0; j < width; ++j) {
      const e = BigInt.asUintN(64, BigInt(energy[fs + j] | 0)); // int32 read, widened with sign
      weightAcc = BigInt.asUintN(64, weightAcc + BigInt.asUintN(64, BigInt(weights[ws + j])) * e);
      unweightAcc = BigInt.asUintN(64, unweightAcc + BigInt.asUintN(64, BigInt(unweights[ws + j])) * e);
    }
    work[c] = weightAcc;
    weightAcc = unweightAcc;
    unweightAcc = 0n;
  }
}
