/**
 * Shape of the start-up tables embedded from TFLM's own `FrontendPopulateState()` output
 * (../shared/golden/microfrontend/<config>/tables.json, turned into TS by scripts/gen-tflm-tables.ts).
 *
 * C fills these with float `cosf`/`log1p`/`powf` and double `cos`/`sin`; JS `Math` is not
 * guaranteed to round the same way in the last bit, so for the known parameter sets the tables
 * are taken verbatim. Each group carries the parameters it was computed from, so a config that
 * shares e.g. only the window length with a preset still reuses that preset's window table.
 */
export interface TflmEmbeddedWindow {
  /** Window length in samples. */
  size: number;
  /** Q12 Hann-like coefficients, `floor(w * 4096 + 0.5)`. */
  coefficients: Int16Array;
}

export interface TflmEmbeddedFft {
  /** Real FFT size (power of two); the complex kissfft runs on fftSize / 2 points. */
  fftSize: number;
  /** kissfft complex twiddles for nfft = fftSize / 2, interleaved [re, im] Q15. */
  twiddles: Int16Array;
  /** kiss_fftr super-twiddles, fftSize / 4 complex values interleaved [re, im] Q15. */
  superTwiddles: Int16Array;
}

export interface TflmEmbeddedFilterbank {
  sampleRate: number;
  /** fftSize / 2 + 1. */
  spectrumSize: number;
  numChannels: number;
  lowerBandLimit: number;
  upperBandLimit: number;
  startIndex: number;
  endIndex: number;
  /** numChannels + 1 entries each (entry 0 is the discarded lower-edge channel). */
  channelFrequencyStarts: Int16Array;
  channelWeightStarts: Int16Array;
  channelWidths: Int16Array;
  /** Q12 weights and unweights. */
  weights: Int16Array;
  unweights: Int16Array;
}

export interface TflmEmbeddedPcan {
  strength: number;
  offset: number;
  gainBits: number;
  /** smoothing_bits - input_correction_bits: the Q format of the noise estimate the LUT is indexed by. */
  inputBits: number;
  /** 125 entries; slots 5, 9, ..., 121 are never written nor read by the lib and are 0 here. */
  gainLut: Int16Array;
}

export interface TflmEmbeddedTables {
  /** Where the numbers came from (golden folder + TFLM commit). */
  source: string;
  window: TflmEmbeddedWindow;
  fft: TflmEmbeddedFft;
  filterbank: TflmEmbeddedFilterbank;
  pcan: TflmEmbeddedPcan | null;
}
