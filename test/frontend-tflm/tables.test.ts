/**
 * Start-up tables: the embedded (generated) tables are exactly TFLM's tables.json, the integer
 * derivations equal the manifests, and the JS twins of the float table builders are pinned against
 * TFLM's output (exact where they are exact, the documented 1-LSB filterbank differences elsewhere).
 */
import { describe, expect, it } from 'vitest';
import {
  TFLM_DEFAULT_CONFIG,
  type TflmFrontendConfig,
  createTflmFrontend,
  resolveTflmTables,
} from '../../runtime-sim/frontend/tflm/index.ts';
import { kissFactors } from '../../runtime-sim/frontend/tflm/tables.ts';
import { GOLDEN_CONFIGS, hasGolden, noGoldenReason, readManifest, readTablesJson } from './golden.ts';

function arr(x: ArrayLike<number>): number[] {
  return Array.from(x);
}

describe.skipIf(!hasGolden)(`embedded tables equal TFLM's tables.json${hasGolden ? '' : ` (${noGoldenReason})`}`, () => {
  for (const { name, config } of GOLDEN_CONFIGS) {
    it(`${name}: every table and derived value`, () => {
      const j = readTablesJson(name);
      const m = readManifest(name);
      const t = resolveTflmTables(config);
      expect(t.origin).toEqual({ window: 'embedded', fft: 'embedded', filterbank: 'embedded', pcan: config.pcanGainControl.enablePcan ? 'embedded' : 'off' });
      expect(t.windowSize).toBe(j.window_size);
      expect(t.windowStep).toBe(j.window_step);
      expect(arr(t.windowCoefficients)).toEqual(j.window_coefficients);
      expect(t.fftSize).toBe(j.fft_size);
      expect(arr(t.kissFactors)).toEqual(j.kissfft_factors);
      expect(arr(t.kissTwiddles)).toEqual(j.kissfft_twiddles_re_im);
      expect(arr(t.kissSuperTwiddles)).toEqual(j.kissfftr_super_twiddles_re_im);
      expect(t.numChannels).toBe(j.filterbank_num_channels);
      expect(t.filterbankStartIndex).toBe(j.filterbank_start_index);
      expect(t.filterbankEndIndex).toBe(j.filterbank_end_index);
      expect(arr(t.channelFrequencyStarts)).toEqual(j.filterbank_channel_frequency_starts);
      expect(arr(t.channelWeightStarts)).toEqual(j.filterbank_channel_weight_starts);
      expect(arr(t.channelWidths)).toEqual(j.filterbank_channel_widths);
      expect(arr(t.weights)).toEqual(j.filterbank_weights);
      expect(arr(t.unweights)).toEqual(j.filterbank_unweights);
      expect(t.smoothingBits).toBe(j.noise_reduction_smoothing_bits);
      expect(t.evenSmoothingQ14).toBe(j.noise_reduction_even_smoothing_q14);
      expect(t.oddSmoothingQ14).toBe(j.noise_reduction_odd_smoothing_q14);
      expect(t.minSignalRemainingQ14).toBe(j.noise_reduction_min_signal_remaining_q14);
      expect(t.inputCorrectionBits).toBe(j.input_correction_bits);
      expect(arr(t.logLut)).toEqual(j.log_lut);
      expect(t.enablePcan).toBe(j.pcan_enable === 1);
      if (t.enablePcan) {
        expect(arr(t.pcanGainLut ?? [])).toEqual(j.pcan_gain_lut);
        expect(t.pcanSnrShift).toBe(j.pcan_snr_shift);
      }
      expect(t.enableLog).toBe(j.log_enable === 1);
      expect(t.logScaleShift).toBe(j.log_scale_shift);
      // The manifest's derived integers, computed independently of tables.json.
      expect(t.windowSize).toBe(m.derived.window_size_samples);
      expect(t.windowStep).toBe(m.derived.window_step_samples);
      expect(t.fftSize).toBe(m.derived.fft_size);
      expect(t.filterbankStartIndex).toBe(m.derived.filterbank_start_index);
      expect(t.filterbankEndIndex).toBe(m.derived.filterbank_end_index);
      expect(t.evenSmoothingQ14).toBe(m.derived.noise_reduction_even_smoothing_q14);
      expect(t.oddSmoothingQ14).toBe(m.derived.noise_reduction_odd_smoothing_q14);
      expect(t.minSignalRemainingQ14).toBe(m.derived.noise_reduction_min_signal_remaining_q14);
      expect(t.enablePcan ? t.pcanSnrShift : null).toBe(m.derived.pcan_snr_shift);
    });
  }
});

describe.skipIf(!hasGolden)('JS-computed tables equal TFLM (the fallback for non-preset configs)', () => {
  for (const { name, config } of GOLDEN_CONFIGS) {
    it(`${name}: every table computed in JS equals tables.json`, () => {
      const j = readTablesJson(name);
      const c = resolveTflmTables(config, { forceComputed: true });
      expect(c.origin).toEqual({ window: 'computed', fft: 'computed', filterbank: 'computed', pcan: config.pcanGainControl.enablePcan ? 'computed' : 'off' });
      expect(arr(c.windowCoefficients)).toEqual(j.window_coefficients);
      expect(arr(c.kissTwiddles)).toEqual(j.kissfft_twiddles_re_im);
      expect(arr(c.kissSuperTwiddles)).toEqual(j.kissfftr_super_twiddles_re_im);
      expect(c.filterbankStartIndex).toBe(j.filterbank_start_index);
      expect(c.filterbankEndIndex).toBe(j.filterbank_end_index);
      expect(arr(c.channelFrequencyStarts)).toEqual(j.filterbank_channel_frequency_starts);
      expect(arr(c.channelWeightStarts)).toEqual(j.filterbank_channel_weight_starts);
      expect(arr(c.channelWidths)).toEqual(j.filterbank_channel_widths);
      expect(arr(c.weights)).toEqual(j.filterbank_weights);
      expect(arr(c.unweights)).toEqual(j.filterbank_unweights);
      if (c.enablePcan) expect(arr(c.pcanGainLut ?? [])).toEqual(j.pcan_gain_lut);
    });
  }
});

describe('table resolution for other configurations', () => {
  it('reuses embedded groups by parameters and computes the rest', () => {
    const cfg: TflmFrontendConfig = {
      ...TFLM_DEFAULT_CONFIG,
      filterbank: { ...TFLM_DEFAULT_CONFIG.filterbank, numChannels: 40 },
      pcanGainControl: { ...TFLM_DEFAULT_CONFIG.pcanGainControl, enablePcan: true },
    };
    const t = resolveTflmTables(cfg);
    // 25 ms window (default), 40 x 125..7500 Hz on a 512 FFT (micro_speech), PCAN 0.95/80/21 (micro_speech).
    expect(t.origin).toEqual({ window: 'embedded', fft: 'embedded', filterbank: 'embedded', pcan: 'embedded' });
    const other = resolveTflmTables({ ...TFLM_DEFAULT_CONFIG, window: { sizeMs: 64, stepSizeMs: 32 } });
    expect(other.origin.window).toBe('computed');
    expect(other.fftSize).toBe(1024);
    expect(other.origin.fft).toBe('computed');
    expect(other.origin.filterbank).toBe('computed');
  });

  it('kf_factor splits powers of two into radix 4 then a final 2', () => {
    expect(arr(kissFactors(256))).toEqual([4, 64, 4, 16, 4, 4, 4, 1]);
    expect(arr(kissFactors(128))).toEqual([4, 32, 4, 8, 4, 2, 2, 1]);
    expect(arr(kissFactors(8))).toEqual([4, 2, 2, 1]);
  });

  it('a radix-2 FFT size (window 16 ms -> 256-point FFT, nfft 128) runs and matches the direct DFT to within fixed-point error', () => {
    const cfg: TflmFrontendConfig = { ...TFLM_DEFAULT_CONFIG, window: { sizeMs: 16, stepSizeMs: 8 } };
    const fe = createTflmFrontend(cfg);
    expect(fe.tables.fftSize).toBe(256);
    expect(arr(fe.tables.kissFactors)).toEqual([4, 32, 4, 8, 4, 2, 2, 1]);
    const samples = new Int16Array(16000);
    for (let i = 0; i < samples.length; ++i) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 16000));
    const frames = fe.processSamples(samples);
    expect(frames.length).toBe(Math.floor((16000 - 256) / 128) + 1);
    // A 1 kHz tone: output channel i is accumulator c = i + 1, whose triangle spans the bins of
    // channel c - 1 (unweights) and channel c (weights); the loudest one must contain 1 kHz.
    const t = fe.tables;
    const bin = Math.round((1000 * t.fftSize) / 16000);
    for (const f of frames.slice(2)) {
      const c = f.indexOf(Math.max(...f)) + 1;
      expect(bin).toBeGreaterThanOrEqual(t.channelFrequencyStarts[c - 1]);
      expect(bin).toBeLessThan(t.channelFrequencyStarts[c] + t.channelWidths[c]);
    }
  });

  it('rejects configurations the C lib cannot run, naming the field', () => {
    expect(() => resolveTflmTables({ ...TFLM_DEFAULT_CONFIG, window: { sizeMs: 10, stepSizeMs: 20 } })).toThrow(
      /window\.stepSizeMs/,
    );
    expect(() =>
      resolveTflmTables({ ...TFLM_DEFAULT_CONFIG, filterbank: { ...TFLM_DEFAULT_CONFIG.filterbank, upperBandLimit: 9000 } }),
    ).toThrow(/upperBandLimit/);
    expect(() =>
      resolveTflmTables({ ...TFLM_DEFAULT_CONFIG, filterbank: { ...TFLM_DEFAULT_CONFIG.filterbank, numChannels: 0 } }),
    ).toThrow(/numChannels/);
  });
});
