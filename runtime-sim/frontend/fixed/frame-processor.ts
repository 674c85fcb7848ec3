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
 */
import { createRealFftBfp } from './fft-real-bfp.js';
import { bitLength } from './int-math.js';
import { dctQ20 } from './dct-q20.js';
import { melLogQ20 } from './mel-log-q20.js';
import { powerSpectrumShifted } from './power-spectrum-q.js';
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
}

export function createFrameProcessorQ(t: FixedTables): FrameProcessorQ {
  const win = t.windowSamples;
  const half = t.fftSize / 2;
  const bins = half + 1;
  const p = new Float64Array(t.fftSize);
  const inRe = new Float64Array(half);
  const inIm = new Float64Array(half);
  const power = new Float64Array(bins);
  const ph = new Float64Array(bins);
  const pl = new Float64Array(bins);
  const fft = createRealFftBfp(t);
  const hann = t.hannQ21;
  const a = t.preEmphasisQ15;
  return {
    tables: t,
    process(samples, start, prev, logMelQ20, mfccQ20) {
      let maxAbs = 0;
      let xPrev = prev;
      for (let i = 0; i < win; i++) {
        const x = samples[start + i];
        const y = x * 32768 - a * xPrev;
        xPrev = x;
        const v = y * hann[i];
        p[i] = v;
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
      if (maxAbs === 0) {
        logMelQ20.fill(t.lnFloorQ20);
      } else {
        const s0 = bitLength(maxAbs) - BLOCK_BITS;
        if (s0 > 0) {
          const r = 2 ** (s0 - 1);
          const s = 2 ** -s0;
          for (let i = 0; i < win; i++) p[i] = Math.floor((p[i] + r) * s);
        } else if (s0 < 0) {
          const s = 2 ** -s0;
          for (let i = 0; i < win; i++) p[i] *= s;
        }
        for (let m = 0; m < half; m++) {
          const i0 = 2 * m;
          inRe[m] = i0 < win ? p[i0] : 0;
          inIm[m] = i0 + 1 < win ? p[i0 + 1] : 0;
        }
        const f = fft.run(inRe, inIm);
        const sP = powerSpectrumShifted(fft.yr, fft.yi, bins, t.binsBits, power);
        const e = sP + 2 * (f + s0 - 52) - 15;
        melLogQ20(t, power, e, ph, pl, logMelQ20);
      }
      if (mfccQ20) dctQ20(t, logMelQ20, mfccQ20);
    },
  };
}
