/**
 * FilterbankConvertFftComplexToEnergy (filterbank.c): |X[k]|^2 of the int16 FFT bins, only for
 * bins [startIndex, endIndex). C stores `re*re + im*im` computed in int32 into a uint32; it only
 * exceeds 2^31 - 1 for re = im = -32768 (exactly 2^31), which the accumulator then reads back as a
 * negative int32 (see filterbank-accumulate.ts).
 *
 * C writes the energies over the FFT output buffer; bins outside the range keep FFT bits there but
 * are always multiplied by zero weights, so this twin leaves them 0.
 */
export function filterbankEnergyUint32(
  fftOut: Int16Array,
  startIndex: number,
  endIndex: number,
  energy: Uint32Array,
): void {
  for (let i = startIndex; i < endIndex; ++i) {
    const re = fftOut[2 * i];
    const im = fftOut[2 * i + 1];
    energy[i] = re * re + im * im;
  }
}
