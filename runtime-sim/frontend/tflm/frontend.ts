/**
 * The TFLM-microfrontend-compatible frontend: FrontendPopulateState + FrontendProcessSamples
 * (frontend.c / frontend_util.c) on int16 PCM, producing uint16 features bit-exact with TFLM's C
 * library for the two golden configurations (../shared/golden/microfrontend).
 *
 * Streaming semantics are C's: samples are buffered until a window is full, each full window emits
 * one frame, the window then slides by one step; nothing is padded, so a clip of N samples yields
 * floor((N - window) / step) + 1 frames, however it is chunked.
 */
import { TinyserError } from '../../../common/errors.ts';
import type { TflmFrontendConfig } from './config.ts';
import { mostSignificantBit32 } from './bits.ts';
import { FILTERBANK_BITS } from './constants.ts';
import { createKissFftrInt16 } from './kiss-fftr-int16.ts';
import {
  energiesBelow2Pow31,
  filterbankAccumulateBigInt,
  filterbankAccumulateFloat64,
  filterbankFitsFloat64,
} from './filterbank-accumulate.ts';
import { filterbankEnergyUint32 } from './filterbank-energy.ts';
import { filterbankSqrtBigInt, filterbankSqrtFloat64 } from './filterbank-sqrt.ts';
import { logScaleApplyUint16 } from './log-scale.ts';
import { type NoiseReductionStateUint32, noiseReductionApplyUint32 } from './noise-reduction.ts';
import { pcanGainControlApplyUint32 } from './pcan-gain-control.ts';
import { type ResolveTablesOptions, type TflmTables, resolveTflmTables } from './tables.ts';
import { createWindowStateInt16, windowProcessSamplesInt16, windowResetInt16 } from './window-int16.ts';

/**
 * Copies of every intermediate of one frame, in the order FrontendProcessSamples computes them
 * (the layout of golden/microfrontend/<config>/stages_yes_1000ms).
 */
export interface TflmFrameStages {
  /** 0-based frame index since creation or the last reset(). */
  frame: number;
  /** Windowed samples, [windowSize]. */
  windowOut: Int16Array;
  /** 15 - MostSignificantBit32(max |windowOut|): FFT input shift and sqrt scale-down shift. */
  fftInputShift: number;
  /** kiss_fftr output, [fftSize / 2 + 1][re, im]. */
  fftOut: Int16Array;
  /** |X|^2 for bins [filterbankStartIndex, filterbankEndIndex) only. */
  energy: Uint32Array;
  /** uint64 accumulators, [numChannels + 1] (element 0 is the discarded lower edge). */
  filterbankAccum: BigUint64Array;
  filterbankSqrt: Uint32Array;
  /** Noise estimate after this frame's update. */
  noiseEstimate: Uint32Array;
  noiseReductionOut: Uint32Array;
  /** Null when PCAN is off. */
  pcanOut: Uint32Array | null;
  /** The frame's features. */
  logOut: Uint16Array;
}

export interface TflmFrontendOptions extends ResolveTablesOptions {
  /** Called once per emitted frame with copies of every stage (slows processing; for tests/debug). */
  onStage?: (stages: TflmFrameStages) => void;
}

export interface TflmFrontend {
  readonly config: TflmFrontendConfig;
  /** The resolved start-up tables (and whether each group was embedded or computed). */
  readonly tables: TflmTables;
  readonly numChannels: number;
  /** Feeds samples; returns the frames completed by them (possibly none). State persists across calls. */
  processSamples(samples: Int16Array): Uint16Array[];
  /** FrontendReset: empty window, zero noise estimate, frame counter 0. */
  reset(): void;
}

export function createTflmFrontend(config: TflmFrontendConfig, options: TflmFrontendOptions = {}): TflmFrontend {
  const t = resolveTflmTables(config, options);
  const onStage = options.onStage;
  const n = t.numChannels;
  const window = createWindowStateInt16(t.windowSize, t.windowStep, t.windowCoefficients);
  const fft = createKissFftrInt16(t.fftSize, t.kissFactors, t.kissTwiddles, t.kissSuperTwiddles);
  const fftInput = new Int16Array(t.fftSize);
  const fftOut = new Int16Array(2 * (t.fftSize / 2 + 1));
  const energy = new Uint32Array(t.fftSize / 2 + 1);
  const workF64 = new Float64Array(n + 1);
  const workBig = new BigUint64Array(n + 1);
  const fitsFloat64 = filterbankFitsFloat64(t);
  const signal = new Uint32Array(n);
  const noise: NoiseReductionStateUint32 = {
    smoothingBits: t.smoothingBits,
    evenSmoothingQ14: t.evenSmoothingQ14,
    oddSmoothingQ14: t.oddSmoothingQ14,
    minSignalRemainingQ14: t.minSignalRemainingQ14,
    estimate: new Uint32Array(n),
  };
  // frontend.c: MostSignificantBit32(fft_size) - 1 - (kFilterbankBits / 2).
  const correctionBits = mostSignificantBit32(t.fftSize) - 1 - FILTERBANK_BITS / 2;
  let frame = 0;

  function computeFrame(): Uint16Array {
    const inputShift = 15 - mostSignificantBit32(window.maxAbsOutputValue);
    // FftCompute: (int16)((uint16)x << shift), zero padded to fftSize.
    const wout = window.output;
    for (let i = 0; i < t.windowSize; ++i) fftInput[i] = wout[i] << inputShift;
    fftInput.fill(0, t.windowSize);
    fft.forward(fftInput, fftOut);

    filterbankEnergyUint32(fftOut, t.filterbankStartIndex, t.filterbankEndIndex, energy);
    const useFloat = fitsFloat64 && energiesBelow2Pow31(energy, t.filterbankStartIndex, t.filterbankEndIndex);
    if (useFloat) {
      filterbankAccumulateFloat64(t, energy, workF64);
      filterbankSqrtFloat64(workF64, n, inputShift, signal);
    } else {
      filterbankAccumulateBigInt(t, energy, workBig);
      filterbankSqrtBigInt(workBig, n, inputShift, signal);
    }
    const sqrtCopy = onStage ? signal.slice() : null;

    noiseReductionApplyUint32(noise, signal, n);
    const nrCopy = onStage ? signal.slice() : null;

    if (t.enablePcan && t.pcanGainLut) {
      pcanGainControlApplyUint32(signal, noise.estimate, n, t.pcanGainLut, t.pcanSnrShift);
    }
    const out = new Uint16Array(n);
    logScaleApplyUint16(signal, n, t.enableLog, t.logScaleShift, correctionBits, t.logLut, out);

    if (onStage && sqrtCopy && nrCopy) {
      onStage({
        frame,
        windowOut: wout.slice(),
        fftInputShift: inputShift,
        fftOut: fftOut.slice(),
        energy: energy.slice(t.filterbankStartIndex, t.filterbankEndIndex),
        filterbankAccum: useFloat ? BigUint64Array.from(workF64, (v) => BigInt(v)) : workBig.slice(),
        filterbankSqrt: sqrtCopy,
        noiseEstimate: noise.estimate.slice(),
        noiseReductionOut: nrCopy,
        pcanOut: t.enablePcan ? signal.slice() : null,
        logOut: out.slice(),
      });
    }
    frame++;
    return out;
  }

  return {
    config,
    tables: t,
    numChannels: n,
    processSamples(samples: Int16Array): Uint16Array[] {
      if (!(samples instanceof Int16Array)) {
        throw new TinyserError('INPUT', 'TFLM frontend: processSamples expects an Int16Array of PCM samples');
      }
      const frames: Uint16Array[] = [];
      let offset = 0;
      // frontend_main.c: call FrontendProcessSamples until every sample is consumed.
      while (offset < samples.length) {
        const { read, frameReady } = windowProcessSamplesInt16(window, samples, offset, samples.length - offset);
        offset += read;
        if (frameReady) frames.push(computeFrame());
      }
      return frames;
    },
    reset(): void {
      windowResetInt16(window);
      fftInput.fill(0);
      fftOut.fill(0);
      workF64.fill(0);
      workBig.fill(0n);
      noise.estimate.fill(0);
      frame = 0;
    },
  };
}

export interface TflmFeatures {
  frames: number;
  channels: number;
  /** Row-major [frames, channels]. */
  data: Uint16Array;
}

/** Whole-clip features with a fresh state (what the golden features hold). */
export function tflmFeatures(samples: Int16Array, config: TflmFrontendConfig, options: TflmFrontendOptions = {}): TflmFeatures {
  const fe = createTflmFrontend(config, options);
  const rows = fe.processSamples(samples);
  const data = new Uint16Array(rows.length * fe.numChannels);
  rows.forEach((r, i) => data.set(r, i * fe.numChannels));
  return { frames: rows.length, channels: fe.numChannels, data };
}
