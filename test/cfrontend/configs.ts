/** The frontend configs the C twin is tested with (each compiled into its own harness binary). */
import { parseFrontendConfig, type FrontendConfig } from '../../runtime-sim/frontend/index.js';

export function testConfigs(): Record<string, FrontendConfig> {
  const normBands = 24;
  return {
    // tinyser's default: 40-band log-mel, int8 scale 0.15 / zp 25
    default: parseFrontendConfig({}),
    // MFCC with pre-emphasis and Slaney mel (area-normalized triangles, log offsets)
    mfcc: parseFrontendConfig({
      kind: 'mfcc',
      preEmphasis: 0.97,
      mel: { bands: 32, scale: 'slaney', norm: 'slaney', fminHz: 60, fmaxHz: 7600 },
      mfcc: { count: 13 },
      quantization: { scale: 0.4, zeroPoint: -3 },
    }),
    // per-band normalization folded into the quantizer, 24 bands
    normalized: parseFrontendConfig({
      preEmphasis: 0.5,
      mel: { bands: normBands },
      normalization: {
        mean: Array.from({ length: normBands }, (_, i) => -14 + 0.37 * i),
        std: Array.from({ length: normBands }, (_, i) => 1.5 + 0.11 * i),
      },
      quantization: { scale: 0.05, zeroPoint: -10 },
    }),
    // hop longer than the window (the stream drops samples between frames), 256-point FFT, MFCC
    sparseHop: parseFrontendConfig({
      windowSamples: 200,
      hopSamples: 250,
      fftSize: 256,
      kind: 'mfcc',
      preEmphasis: 0.9,
      mel: { bands: 20 },
      mfcc: { count: 10 },
    }),
  };
}
