/**
 * One frame of the fixed-point frontend: int16 samples -> log-mel Q20 (+ MFCC Q20). This is the
 * specification the C twin follows operation by operation.
 *
 *  1. pre-emphasis in Q15 of int16 units, exact: y = x[n]*2^15 - aQ15*x[n-1]      (|y| < 2^31)
 *  2. window: p = y * hannQ21                                                    (|p| < 2^52)
 *  3. block normalization: q = roundShift(p, s0), s0 = bitLength(max|p|) - 27   (|q| <= 2^27)
 *  4. block-floating-point real FFT (fft-real-bfp.ts), f right shifts in total
 *  5. power with shift sP (power-spectrum-q.ts)
 *  6. mel sums, log2, ln in Q20 with the frame exponent
 *       e = sP + 2 (f + s0 - 52) - 15   so that  E_mel(float) = mel_int * 2^e
 *     (x/2^15 for int16, y in Q15, window Q21 -> windowed = p * 2^-51; Y = 2X; weights Q15)
 *  7. DCT in Q20 (dct-q20.ts)
 *
 * How (the same integers, fewer passes; test/frontend-speed/ checks equality with the plain
 * formulation): steps 3-4's normalization, even/odd packing, bit-reversed load and first FFT stage run
 * fused (RealFftBfp.runNormalized); the FFT's split step also returns the OR of |Y| that step 5 needs;
 * step 5 writes P' already split for step 6; step 7 uses the table's even/odd symmetry. One processor
 * (a class instance) serves all frames of a config, so V8 keeps one optimized copy.
 */
import { createRealFftBfp, type RealFftBfp } from './fft-real-bfp.js';
import { bitLength } from './int-math.js';
import { dctQ20AtF64, dctQ20AtSymmetric, dctTableIsSymmetric } from './dct-q20.js';
import { melLogQ20FromSplit } from './mel-log-q20.js';
import { powerSpectrumShiftedSplit24 } from './power-spectrum-q.js';
import type { FixedTables } from './tables.js';

const BLOCK_BITS = 27;

export interface FrameProcessorQ {
  readonly tables: FixedTables;
  /**
   * Processes samples[start .. start+window). `prev` is the sample before `start` in the signal
   * (0 at the signal start), used by pre-emphasis. Writes bands values to logMelQ20 and, when given,
   * mfccCount values to mfccQ20.
   */
  process(samples: Int16Array, start: number, prev: number, logMelQ20: Int32Array, mfccQ20: Int32Array | null): void;
  /** `process` writing to logMelQ20[logMelOffset ..] and mfccQ20[mfccOffset ..] (no subarray per frame). */
  processAt(samples: Int16Array, start: number, prev: number, logMelQ20: Int32Array, logMelOffset: number, mfccQ20: Int32Array | null, mfccOffset: number): void;
}

export function createFrameProcessorQ(t: FixedTables): FrameProcessorQ {
  return new FrameProcessorQImpl(t);
}

/** A class, not a closure: one optimized `processAt` shared by every config's processor. */
class FrameProcessorQImpl implements FrameProcessorQ {
  readonly tables: FixedTables;
  private readonly win: number;
  private readonly bins: number;
  /**
   * Windowed frame, zero padded to the FFT size: entries >= win stay 0 forever, and every
   * normalization below maps 0 to 0, so the packing loop needs no bounds test.
   */
  private readonly p: Float64Array;
  private readonly ph: Float64Array;
  private readonly pl: Float64Array;
  private readonly fft: RealFftBfp;
  private readonly hann: Float64Array;
  /** Float64 copies of the mel weights and the DCT matrix (same values) and a DCT input row. */
  private readonly melWeightsF64: Float64Array;
  private readonly dctF64: Float64Array;
  private readonly dctSum: Float64Array;
  private readonly dctDiff: Float64Array;
  private readonly dctSymmetric: boolean;
  private readonly dctRow: Float64Array;

  constructor(t: FixedTables) {
    this.tables = t;
    this.win = t.windowSamples;
    this.bins = t.fftSize / 2 + 1;
    this.p = new Float64Array(t.fftSize);
    this.ph = new Float64Array(this.bins);
    this.pl = new Float64Array(this.bins);
    this.fft = createRealFftBfp(t);
    this.hann = Float64Array.from(t.hannQ21);
    this.melWeightsF64 = Float64Array.from(t.melWeightsQ15);
    this.dctF64 = Float64Array.from(t.dctQ24);
    this.dctRow = new Float64Array(t.bands);
    this.dctSum = new Float64Array((t.bands + 1) >> 1);
    this.dctDiff = new Float64Array((t.bands + 1) >> 1);
    this.dctSymmetric = dctTableIsSymmetric(t.dctQ24, t.bands, t.mfccCount);
  }

  process(samples: Int16Array, start: number, prev: number, logMelQ20: Int32Array, mfccQ20: Int32Array | null): void {
    this.processAt(samples, start, prev, logMelQ20, 0, mfccQ20, 0);
  }

  processAt(samples: Int16Array, start: number, prev: number, logMelQ20: Int32Array, logOff: number, mfccQ20: Int32Array | null, mfccOff: number): void {
    const t = this.tables;
    const win = this.win;
    const p = this.p;
    const hann = this.hann;
    const a = t.preEmphasisQ15;
    // s0 needs bitLength(max |p|) only. With |p| < 2^52, hi = floor(|p| / 2^21) fits int32 and
    // bitLength(|p|) = bitLength(hi) + 21 whenever hi > 0; bitLength(max) = bitLength(OR of all), so a
    // branch-free OR of the hi parts gives it (a running max compiles to data-dependent branches).
    let orHi = 0;
    let xPrev = prev;
    for (let i = 0; i < win; i++) {
      const x = samples[start + i];
      const y = x * 32768 - a * xPrev; // |y| < 2^31
      xPrev = x;
      const v = y * hann[i]; // exact, |v| < 2^52
      p[i] = v;
      orHi |= Math.abs(v) * 4.76837158203125e-7; // ToInt32 of a value in [0, 2^31): floor(|v| / 2^21)
    }
    let bitsMax: number;
    if (orHi !== 0) bitsMax = bitLength(orHi) + 21;
    else {
      // Every |p| < 2^21 (near-silent frame): exact max directly.
      let maxAbs = 0;
      for (let i = 0; i < win; i++) maxAbs = Math.max(maxAbs, Math.abs(p[i]));
      bitsMax = bitLength(maxAbs);
    }
    if (bitsMax === 0) {
      logMelQ20.fill(t.lnFloorQ20, logOff, logOff + t.bands);
    } else {
      const s0 = bitsMax - BLOCK_BITS;
      const fft = this.fft;
      // Block normalization, even/odd packing, bit-reversed load and the first two FFT stages in one pass.
      const f = fft.runNormalized(p, s0);
      const sP = powerSpectrumShiftedSplit24(fft.yr, fft.yi, this.bins, t.binsBits, fft.yMax, this.ph, this.pl);
      const e = sP + 2 * (f + s0 - 52) - 15;
      melLogQ20FromSplit(t, this.ph, this.pl, e, logMelQ20, logOff, this.melWeightsF64);
    }
    if (mfccQ20) {
      if (this.dctSymmetric) dctQ20AtSymmetric(this.dctF64, t.bands, t.mfccCount, logMelQ20, logOff, this.dctSum, this.dctDiff, mfccQ20, mfccOff);
      else dctQ20AtF64(this.dctF64, t.bands, t.mfccCount, logMelQ20, logOff, this.dctRow, mfccQ20, mfccOff);
    }
  }
}
