/**
 * Start-up state of the TFLM-compatible frontend: every table `FrontendPopulateState()` builds.
 *
 * Which tables are embedded and why (see README.md in this folder):
 * - embedded from TFLM's own output (tables-default.ts, tables-micro-speech.ts, log-lut.ts) when
 *   the parameters match: window coefficients (`cosf`), kissfft twiddles and kiss_fftr
 *   super-twiddles (double `cos`/`sin`), the filterbank starts/widths/weights/unweights
 *   (`log1pf`), the PCAN gain LUT (`powf`) and kLogLut (a constant). These are the reference.
 * - derived here in integer math (exact for every config): window size/step, FFT size, kissfft
 *   factors, the noise-reduction Q14 coefficients (float * 2^14 is exact, then truncation), the
 *   PCAN snr_shift and both correction-bit counts.
 * - computed here in JS for parameters no preset covers, emulating every C float32 step with
 *   `Math.fround`; log1pf is a port of the fdlibm float algorithm glibc (<= 2.40) and newlib use
 *   (a correctly rounded log1p would move 2-3 weights per config by 1 LSB); cosf, powf and the
 *   double cos/sin are taken as the correctly rounded result of Math.cos/pow/sin. For both golden
 *   configs every computed table equals TFLM's and the features stay bit-exact
 *   (test/frontend-tflm/tables.test.ts, features.test.ts). For other parameters a cosf/powf/cos
 *   result within a hair of a rounding boundary could still differ from a given libm in the last
 *   bit, which is why the embedded tables win whenever they apply.
 */
import { TinyserError } from '../../../common/errors.ts';
import { type TflmFrontendConfig, tflmWindowSamples, validateTflmConfig } from './config.ts';
import {
  FILTERBANK_BITS,
  FILTERBANK_CHANNEL_BLOCK_SIZE,
  FILTERBANK_INDEX_ALIGNMENT,
  FRONTEND_WINDOW_BITS,
  NOISE_REDUCTION_BITS,
  PCAN_SNR_BITS,
  WIDE_DYNAMIC_FUNCTION_BITS,
  WIDE_DYNAMIC_FUNCTION_LUT_SIZE,
} from './constants.ts';
import { mostSignificantBit32 } from './bits.ts';
import type { TflmEmbeddedFft, TflmEmbeddedFilterbank, TflmEmbeddedPcan, TflmEmbeddedTables } from './embedded-tables.ts';
import { log1pfFdlibm } from './log1pf-fdlibm.ts';
import { TFLM_LOG_LUT } from './log-lut.ts';
import { TFLM_TABLES_DEFAULT } from './tables-default.ts';
import { TFLM_TABLES_MICRO_SPEECH } from './tables-micro-speech.ts';

export type TableOrigin = 'embedded' | 'computed';

/** Everything the per-frame code reads, for one configuration. */
export interface TflmTables {
  windowSize: number;
  windowStep: number;
  windowCoefficients: Int16Array;
  fftSize: number;
  /** kissfft factor list [p0, m0, p1, m1, ...] for the complex FFT of fftSize / 2 points. */
  kissFactors: Int32Array;
  kissTwiddles: Int16Array;
  kissSuperTwiddles: Int16Array;
  numChannels: number;
  filterbankStartIndex: number;
  filterbankEndIndex: number;
  channelFrequencyStarts: Int16Array;
  channelWeightStarts: Int16Array;
  channelWidths: Int16Array;
  weights: Int16Array;
  unweights: Int16Array;
  smoothingBits: number;
  evenSmoothingQ14: number;
  oddSmoothingQ14: number;
  minSignalRemainingQ14: number;
  enablePcan: boolean;
  pcanGainLut: Int16Array | null;
  pcanSnrShift: number;
  enableLog: boolean;
  logScaleShift: number;
  /** MostSignificantBit32(fftSize) - 1 - kFilterbankBits / 2: used by PCAN and the log stage. */
  inputCorrectionBits: number;
  logLut: Uint16Array;
  origin: { window: TableOrigin; fft: TableOrigin; filterbank: TableOrigin; pcan: TableOrigin | 'off' };
}

const EMBEDDED: readonly TflmEmbeddedTables[] = [TFLM_TABLES_DEFAULT, TFLM_TABLES_MICRO_SPEECH];

const f32 = Math.fround;

// ---------------------------------------------------------------- window (window_util.c)

/**
 * JS twin of WindowPopulateState's coefficients. TFLM computes them in float: `cosf`, float
 * products and `floorf(v * 4096 + 0.5f)`; each step is rounded with Math.fround here. cosf is
 * emulated as fround(Math.cos(x)), which can differ from libm's cosf in the last bit.
 */
export function computeWindowCoefficientsQ12(size: number): Int16Array {
  const out = new Int16Array(size);
  // `const float arg = (float)M_PI * 2.0f / ((float)size)`
  const arg = f32((f32(Math.PI) * 2) / size);
  for (let i = 0; i < size; ++i) {
    // `float float_value = 0.5f - (0.5f * cosf(arg * (i + 0.5f)))`
    const c = f32(Math.cos(f32(arg * f32(i + 0.5))));
    const value = f32(0.5 - f32(0.5 * c));
    out[i] = Math.floor(f32(value * (1 << FRONTEND_WINDOW_BITS) + 0.5));
  }
  return out;
}

// ---------------------------------------------------------------- kissfft (kiss_fft.c, kiss_fftr.c)

/** kf_factor(): radix 4 first, then 2, then odd numbers; exact integer math. */
export function kissFactors(nfft: number): Int32Array {
  const out: number[] = [];
  let n = nfft;
  let p = 4;
  const floorSqrt = Math.floor(Math.sqrt(n));
  do {
    while (n % p !== 0) {
      if (p === 4) p = 2;
      else if (p === 2) p = 3;
      else p += 2;
      if (p > floorSqrt) p = n;
    }
    n /= p;
    out.push(p, n);
  } while (n > 1);
  return Int32Array.from(out);
}

function kissCexpQ15(phase: number): [number, number] {
  // KISS_FFT_COS/SIN for FIXED_POINT=16: floor(.5 + 32767 * cos(phase)), stored as int16.
  return [Math.floor(0.5 + 32767 * Math.cos(phase)), Math.floor(0.5 + 32767 * Math.sin(phase))];
}

/** JS twin of kiss_fft_alloc + kiss_fftr_alloc twiddles (forward) for a real FFT of fftSize points. */
export function computeKissTablesQ15(fftSize: number): TflmEmbeddedFft {
  const nfft = fftSize / 2;
  const twiddles = new Int16Array(2 * nfft);
  const pi = 3.14159265358979323846264338327950288;
  for (let i = 0; i < nfft; ++i) {
    const [re, im] = kissCexpQ15((-2 * pi * i) / nfft);
    twiddles[2 * i] = re;
    twiddles[2 * i + 1] = im;
  }
  const superTwiddles = new Int16Array(nfft);
  for (let i = 0; i < nfft / 2; ++i) {
    const [re, im] = kissCexpQ15(-pi * ((i + 1) / nfft + 0.5));
    superTwiddles[2 * i] = re;
    superTwiddles[2 * i + 1] = im;
  }
  return { fftSize, twiddles, superTwiddles };
}

// ---------------------------------------------------------------- filterbank (filterbank_util.c)

/** `static float FreqToMel(float freq) { return 1127.0f * log1pf(freq / 700.0f); }` */
function freqToMelF32(freq: number): number {
  return f32(1127.0 * log1pfFdlibm(f32(freq / 700.0)));
}

/**
 * JS twin of FilterbankPopulateState, which TFLM computes entirely in float (log1pf, floorf).
 * Every float temporary is rounded with `Math.fround`; log1pf is the fdlibm float algorithm
 * (log1pf-fdlibm.ts) that glibc <= 2.40 and newlib use, since a correctly rounded log1p moves
 * 2-3 weights per config by 1 LSB.
 */
export function computeFilterbankTablesQ12(
  sampleRate: number,
  spectrumSize: number,
  numChannels: number,
  lowerBandLimit: number,
  upperBandLimit: number,
): TflmEmbeddedFilterbank {
  const lower = f32(lowerBandLimit);
  const upper = f32(upperBandLimit);
  const n1 = numChannels + 1;
  const melLow = freqToMelF32(lower);
  const melHi = freqToMelF32(upper);
  const melSpan = f32(melHi - melLow);
  const melSpacing = f32(melSpan / f32(n1));
  const centers = new Float64Array(n1);
  for (let i = 0; i < n1; ++i) centers[i] = f32(melLow + f32(melSpacing * (i + 1)));

  // `0.5f * sample_rate / ((float)spectrum_size - 1)`: all float.
  const hzPerSbin = f32(f32(0.5 * f32(sampleRate)) / f32(spectrumSize - 1));
  // `state->start_index = 1.5f + lower_band_limit / hz_per_sbin` (float, truncated to int).
  const startIndex = Math.trunc(f32(1.5 + f32(lower / hzPerSbin)));
  const indexAlignment = FILTERBANK_INDEX_ALIGNMENT / 2; // bytes -> int16 bins

  const channelFrequencyStarts = new Int16Array(n1);
  const channelWeightStarts = new Int16Array(n1);
  const channelWidths = new Int16Array(n1);
  const actualStarts = new Int32Array(n1);
  const actualWidths = new Int32Array(n1);
  let chanFreqIndexStart = startIndex;
  let weightIndexStart = 0;
  let needsZeros = false;
  for (let chan = 0; chan < n1; ++chan) {
    let freqIndex = chanFreqIndexStart;
    while (freqIndex < spectrumSize + 1 && freqToMelF32(f32(freqIndex * hzPerSbin)) <= centers[chan]) ++freqIndex;
    const width = freqIndex - chanFreqIndexStart;
    actualStarts[chan] = chanFreqIndexStart;
    actualWidths[chan] = width;
    if (width === 0) {
      // Empty channels read a shared block of zero weights placed at the start of the arrays.
      channelFrequencyStarts[chan] = 0;
      channelWeightStarts[chan] = 0;
      channelWidths[chan] = FILTERBANK_CHANNEL_BLOCK_SIZE;
      if (!needsZeros) {
        needsZeros = true;
        for (let j = 0; j < chan; ++j) channelWeightStarts[j] += FILTERBANK_CHANNEL_BLOCK_SIZE;
        weightIndexStart += FILTERBANK_CHANNEL_BLOCK_SIZE;
      }
    } else {
      const alignedStart = Math.trunc(chanFreqIndexStart / indexAlignment) * indexAlignment;
      const alignedWidth = chanFreqIndexStart - alignedStart + width;
      const paddedWidth =
        (Math.trunc((alignedWidth - 1) / FILTERBANK_CHANNEL_BLOCK_SIZE) + 1) * FILTERBANK_CHANNEL_BLOCK_SIZE;
      channelFrequencyStarts[chan] = alignedStart;
      channelWeightStarts[chan] = weightIndexStart;
      channelWidths[chan] = paddedWidth;
      weightIndexStart += paddedWidth;
    }
    chanFreqIndexStart = freqIndex;
  }

  const weights = new Int16Array(weightIndexStart);
  const unweights = new Int16Array(weightIndexStart);
  let endIndex = 0;
  for (let chan = 0; chan < n1; ++chan) {
    let frequency = actualStarts[chan];
    const frequencyOffset = frequency - channelFrequencyStarts[chan];
    const weightStart = channelWeightStarts[chan];
    const denom = chan === 0 ? melLow : centers[chan - 1];
    for (let j = 0; j < actualWidths[chan]; ++j, ++frequency) {
      const num = f32(centers[chan] - freqToMelF32(f32(frequency * hzPerSbin)));
      const weight = f32(num / f32(centers[chan] - denom));
      const idx = weightStart + frequencyOffset + j;
      // QuantizeFilterbankWeights: floorf(w * 4096 + 0.5f) and floorf((1.0f - w) * 4096 + 0.5f).
      weights[idx] = Math.floor(f32(weight * (1 << FILTERBANK_BITS) + 0.5));
      unweights[idx] = Math.floor(f32(f32(1.0 - weight) * (1 << FILTERBANK_BITS) + 0.5));
    }
    if (frequency > endIndex) endIndex = frequency;
  }
  if (endIndex >= spectrumSize) {
    throw new TinyserError(
      'CONFIG',
      `TFLM frontend config: filterbank end index ${endIndex} is above the spectrum size ${spectrumSize} ` +
        '(lower filterbank.upperBandLimit)',
      { endIndex, spectrumSize },
    );
  }
  return {
    sampleRate,
    spectrumSize,
    numChannels,
    lowerBandLimit,
    upperBandLimit,
    startIndex,
    endIndex,
    channelFrequencyStarts,
    channelWeightStarts,
    channelWidths,
    weights,
    unweights,
  };
}

// ---------------------------------------------------------------- PCAN (pcan_gain_control_util.c)

function pcanGainLookup(strength: number, offset: number, gainBits: number, inputBits: number, x: number): number {
  const xAsFloat = f32(f32(x) / f32(2 ** inputBits));
  // powf: correctly rounded in nearly all cases; fround(double pow) is the correctly rounded value.
  const gainAsFloat = f32(f32(2 ** gainBits) * f32(Math.pow(f32(xAsFloat + offset), -strength)));
  if (gainAsFloat > 0x7fff) return 0x7fff;
  return Math.trunc(f32(gainAsFloat + 0.5));
}

/** JS twin of PcanGainControlPopulateState's gain LUT (unused slots 5, 9, ..., 121 left at 0). */
export function computePcanGainLut(strength: number, offset: number, gainBits: number, inputBits: number): Int16Array {
  const s = f32(strength);
  const o = f32(offset);
  const lut = new Int16Array(WIDE_DYNAMIC_FUNCTION_LUT_SIZE);
  lut[0] = pcanGainLookup(s, o, gainBits, inputBits, 0);
  lut[1] = pcanGainLookup(s, o, gainBits, inputBits, 1);
  for (let interval = 2; interval <= WIDE_DYNAMIC_FUNCTION_BITS; ++interval) {
    const x0 = 2 ** (interval - 1);
    const x1 = x0 + Math.floor(x0 / 2);
    const x2 = interval === WIDE_DYNAMIC_FUNCTION_BITS ? x0 + (x0 - 1) : 2 * x0;
    const y0 = pcanGainLookup(s, o, gainBits, inputBits, x0);
    const y1 = pcanGainLookup(s, o, gainBits, inputBits, x1);
    const y2 = pcanGainLookup(s, o, gainBits, inputBits, x2);
    const diff1 = y1 - y0;
    const diff2 = y2 - y0;
    const a1 = 4 * diff1 - diff2;
    const a2 = diff2 - a1;
    // C indexes from gain_lut - 6, so interval i lands at 4 * i - 6.
    lut[4 * interval - 6] = y0;
    lut[4 * interval - 5] = a1;
    lut[4 * interval - 4] = a2;
  }
  return lut;
}

// ---------------------------------------------------------------- resolution

function sameF32(a: number, b: number): boolean {
  return f32(a) === f32(b);
}

function findFilterbank(
  sampleRate: number,
  spectrumSize: number,
  numChannels: number,
  lower: number,
  upper: number,
): TflmEmbeddedFilterbank | undefined {
  return EMBEDDED.map((e) => e.filterbank).find(
    (f) =>
      f.sampleRate === sampleRate &&
      f.spectrumSize === spectrumSize &&
      f.numChannels === numChannels &&
      sameF32(f.lowerBandLimit, lower) &&
      sameF32(f.upperBandLimit, upper),
  );
}

function findPcan(strength: number, offset: number, gainBits: number, inputBits: number): TflmEmbeddedPcan | undefined {
  return EMBEDDED.map((e) => e.pcan)
    .filter((p): p is TflmEmbeddedPcan => p !== null)
    .find(
      (p) => sameF32(p.strength, strength) && sameF32(p.offset, offset) && p.gainBits === gainBits && p.inputBits === inputBits,
    );
}

export interface ResolveTablesOptions {
  /** Ignore the embedded TFLM tables and compute everything in JS (for testing the JS twins). */
  forceComputed?: boolean;
}

/** The state `FrontendPopulateState()` would build for `config`. Throws TinyserError('CONFIG'). */
export function resolveTflmTables(config: TflmFrontendConfig, options: ResolveTablesOptions = {}): TflmTables {
  validateTflmConfig(config);
  const useEmbedded = options.forceComputed !== true;
  const { size: windowSize, step: windowStep } = tflmWindowSamples(config);

  const embeddedWindow = useEmbedded ? EMBEDDED.find((e) => e.window.size === windowSize)?.window : undefined;
  const windowCoefficients = embeddedWindow?.coefficients ?? computeWindowCoefficientsQ12(windowSize);

  // FftPopulateState: the smallest power of two >= the window size.
  let fftSize = 1;
  while (fftSize < windowSize) fftSize *= 2;
  const embeddedFft = useEmbedded ? EMBEDDED.find((e) => e.fft.fftSize === fftSize)?.fft : undefined;
  const fft = embeddedFft ?? computeKissTablesQ15(fftSize);

  const spectrumSize = fftSize / 2 + 1;
  const fbc = config.filterbank;
  const embeddedFb = useEmbedded
    ? findFilterbank(config.sampleRate, spectrumSize, fbc.numChannels, fbc.lowerBandLimit, fbc.upperBandLimit)
    : undefined;
  const fb =
    embeddedFb ??
    computeFilterbankTablesQ12(config.sampleRate, spectrumSize, fbc.numChannels, fbc.lowerBandLimit, fbc.upperBandLimit);

  const nr = config.noiseReduction;
  // NoiseReductionPopulateState: float * 16384 (exact in float32), truncated into uint16.
  const q14 = (v: number): number => Math.trunc(f32(v) * (1 << NOISE_REDUCTION_BITS)) & 0xffff;

  const inputCorrectionBits = mostSignificantBit32(fftSize) - 1 - FILTERBANK_BITS / 2;
  const pc = config.pcanGainControl;
  let pcanGainLut: Int16Array | null = null;
  let pcanOrigin: TableOrigin | 'off' = 'off';
  let pcanSnrShift = 0;
  if (pc.enablePcan) {
    const inputBits = nr.smoothingBits - inputCorrectionBits;
    pcanSnrShift = pc.gainBits - inputCorrectionBits - PCAN_SNR_BITS;
    if (pcanSnrShift < 0 || pcanSnrShift > 63) {
      throw new TinyserError('CONFIG', `TFLM frontend config: PCAN snr_shift ${pcanSnrShift} is out of range (raise pcanGainControl.gainBits)`, {
        pcanSnrShift,
      });
    }
    const embeddedPcan = useEmbedded ? findPcan(pc.strength, pc.offset, pc.gainBits, inputBits) : undefined;
    pcanGainLut = embeddedPcan?.gainLut ?? computePcanGainLut(pc.strength, pc.offset, pc.gainBits, inputBits);
    pcanOrigin = embeddedPcan ? 'embedded' : 'computed';
  }

  return {
    windowSize,
    windowStep,
    windowCoefficients,
    fftSize,
    kissFactors: kissFactors(fftSize / 2),
    kissTwiddles: fft.twiddles,
    kissSuperTwiddles: fft.superTwiddles,
    numChannels: fbc.numChannels,
    filterbankStartIndex: fb.startIndex,
    filterbankEndIndex: fb.endIndex,
    channelFrequencyStarts: fb.channelFrequencyStarts,
    channelWeightStarts: fb.channelWeightStarts,
    channelWidths: fb.channelWidths,
    weights: fb.weights,
    unweights: fb.unweights,
    smoothingBits: nr.smoothingBits,
    evenSmoothingQ14: q14(nr.evenSmoothing),
    oddSmoothingQ14: q14(nr.oddSmoothing),
    minSignalRemainingQ14: q14(nr.minSignalRemaining),
    enablePcan: pc.enablePcan,
    pcanGainLut,
    pcanSnrShift,
    enableLog: config.logScale.enableLog,
    logScaleShift: config.logScale.scaleShift,
    inputCorrectionBits,
    logLut: TFLM_LOG_LUT,
    origin: {
      window: embeddedWindow ? 'embedded' : 'computed',
      fft: embeddedFft ? 'embedded' : 'computed',
      filterbank: embeddedFb ? 'embedded' : 'computed',
      pcan: pcanOrigin,
    },
  };
}
