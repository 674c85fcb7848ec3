/**
 * Emits the C twin's table pair (tsr_frontend_tables.h / .c) from exportFixedTables(config): every
 * constant the fixed-point frontend uses, as the same integers, so the device does no float math and
 * C == TS by construction of the tables. The header carries the sizes as named constants (the C sources
 * in firmware-assets/src/frontend/ are generic over them) and the config hash the device reports.
 *
 * Every value is checked to be an integer inside its C type before it is printed; a table that does
 * not fit is a typed error naming the table and index rather than a silently wrapped constant.
 */
import { frontendConfigHash, frontendConfigHashU32, FrontendConfigError, type FrontendConfig } from '../frontend/config.js';
import { ENERGY_FLOOR_DB_Q20 } from '../frontend/fixed/energy-zcr-q.js';
import { exportFixedTables } from '../frontend/fixed/tables.js';
import { DEFAULT_YIN } from '../frontend/reference/f0-yin-float64.js';

export const FRONTEND_TABLES_C_BASENAME = 'tsr_frontend_tables';

/** The energy constant of fixed/energy-zcr-q.ts (module-private there): computed by the same expression. */
export const TEN_LOG10_2_Q24 = Math.round(10 * Math.log10(2) * 2 ** 24);

type CType = 'int32_t' | 'uint16_t' | 'uint8_t' | 'int64_t';

const RANGE: Record<CType, [bigint, bigint]> = {
  int32_t: [-(2n ** 31n), 2n ** 31n - 1n],
  uint16_t: [0n, 65535n],
  uint8_t: [0n, 255n],
  int64_t: [-(2n ** 63n), 2n ** 63n - 1n],
};

function checkedInt(name: string, index: number, v: number, type: CType): bigint {
  if (!Number.isSafeInteger(v))
    throw new FrontendConfigError(`C table ${name}[${index}] = ${v} is not an exact integer; the fixed-point tables must be integers`, {
      table: name,
      index,
    });
  const b = BigInt(v);
  const [lo, hi] = RANGE[type];
  if (b < lo || b > hi)
    throw new FrontendConfigError(`C table ${name}[${index}] = ${v} does not fit ${type}`, { table: name, index, type });
  return b;
}

function literal(b: bigint, type: CType): string {
  if (type === 'int64_t') return `INT64_C(${b})`;
  // INT32_MIN cannot be written as a plain negative literal of type int32_t.
  if (type === 'int32_t' && b === -(2n ** 31n)) return '(-2147483647 - 1)';
  return b.toString();
}

function arrayDef(name: string, cName: string, values: readonly number[], type: CType, sizeMacro: string): string {
  const items = values.map((v, i) => literal(checkedInt(name, i, v, type), type));
  const lines: string[] = [];
  const perLine = type === 'int64_t' ? 4 : 8;
  for (let i = 0; i < items.length; i += perLine) lines.push('  ' + items.slice(i, i + perLine).join(', ') + ',');
  return `const ${type} ${cName}[${sizeMacro}] = {\n${lines.join('\n')}\n};\n`;
}

function numberOf(tables: Record<string, number | number[]>, key: string): number {
  const v = tables[key];
  if (typeof v !== 'number') throw new FrontendConfigError(`exportFixedTables: scalar '${key}' missing`, { key });
  return v;
}

function arrayOf(tables: Record<string, number | number[]>, key: string, length: number): number[] {
  const v = tables[key];
  if (!Array.isArray(v)) throw new FrontendConfigError(`exportFixedTables: table '${key}' missing`, { key });
  if (v.length !== length)
    throw new FrontendConfigError(`exportFixedTables: table '${key}' has ${v.length} entries, expected ${length}`, { key });
  return v;
}

/**
 * YIN F0 constants for the fixed window length prosody-fixed.ts uses (max(window, ceil(2.2 fs / fmin)),
 * centred on the frame), computed by the same expressions as fixed/f0-yin-q.ts with DEFAULT_YIN.
 */
export function yinConstantsC(config: FrontendConfig): Record<string, number> {
  const fs = config.sampleRate;
  const length = Math.max(config.windowSamples, Math.ceil((2.2 * fs) / DEFAULT_YIN.fminHz));
  const tauMin = Math.max(2, Math.floor(fs / DEFAULT_YIN.fmaxHz));
  const tauMax = Math.min(Math.floor(length / 2), Math.ceil(fs / DEFAULT_YIN.fminHz));
  return {
    TSR_YIN_WINDOW_SAMPLES: length,
    TSR_YIN_TAU_MIN: tauMin,
    TSR_YIN_TAU_MAX: tauMax,
    TSR_YIN_THRESHOLD_Q12: Math.round(DEFAULT_YIN.threshold * 4096),
    TSR_YIN_SILENCE_SUM_SQ: Math.floor(length * 2 ** 30 * 10 ** (DEFAULT_YIN.silenceDb / 10)),
  };
}

export interface FrontendTablesC {
  /** tsr_frontend_tables.h: sizes, scalars, config hash, extern table declarations. */
  header: string;
  /** tsr_frontend_tables.c: the table definitions. */
  source: string;
}

/**
 * The C tables for one config. The device path is streaming, so deltas (which need look-ahead) are
 * refused here exactly as createFixedFrontend refuses them.
 */
export function emitFrontendTablesC(config: FrontendConfig): FrontendTablesC {
  if (config.deltas.order !== 0)
    throw new FrontendConfigError('C frontend tables: deltas need look-ahead frames; the C twin is streaming (use deltas.order 0 or learn them in the model)', {
      deltasOrder: config.deltas.order,
    });
  const t = exportFixedTables(config);
  const win = numberOf(t, 'windowSamples');
  const fftSize = numberOf(t, 'fftSize');
  const half = fftSize / 2;
  const bins = half + 1;
  const bands = numberOf(t, 'bands');
  const nm = numberOf(t, 'mfccCount');
  const dims = numberOf(t, 'dims');
  const melLength = arrayOf(t, 'melLength', bands);
  const melStartBin = arrayOf(t, 'melStartBin', bands);
  for (let b = 0; b < bands; b++)
    if (melStartBin[b] + melLength[b] > bins)
      throw new FrontendConfigError(`C table melStartBin[${b}] + melLength[${b}] exceeds ${bins} bins`, { band: b });
  const melWeights = arrayOf(t, 'melWeightsQ15', melLength.reduce((a, b) => a + b, 0));
  const lut = arrayOf(t, 'log2LutQ30', 257);
  const hashHex = frontendConfigHash(config);
  const hashU32 = frontendConfigHashU32(config);
  const h = (v: number) => `0x${(v >>> 0).toString(16).toUpperCase().padStart(8, '0')}u`;
  const guard = 'TSR_FRONTEND_TABLES_H';
  const banner = `/* Generated by runtime-sim/frontend-c-export (emitFrontendTablesC) from exportFixedTables(config).
 * Do not edit: regenerate with \`tinyser frontend-c [--config config.json] [--out dir]\` (CI: add --check).
 * frontend config hash ${hashHex}; kind ${config.kind}; quantization scale ${config.quantization.scale}, zero point ${config.quantization.zeroPoint}${
   config.normalization ? '; per-dimension normalization folded into the quantizer' : ''
 }. */\n`;
  const defs: Array<[string, string, string]> = [
    ['TSR_FRONTEND_CONFIG_HASH_U32', `UINT32_C(${h(hashU32).slice(0, -1)})`, 'frontendConfigHashU32(config): what the device reports in INFO'],
    ['TSR_SAMPLE_RATE_HZ', String(config.sampleRate), ''],
    ['TSR_WINDOW_SAMPLES', String(win), 'analysis window'],
    ['TSR_HOP_SAMPLES', String(config.hopSamples), 'frame hop'],
    ['TSR_FFT_SIZE', String(fftSize), ''],
    ['TSR_FFT_HALF', String(half), 'points of the complex FFT inside the real FFT'],
    ['TSR_FFT_BINS', String(bins), 'N/2 + 1 spectrum bins'],
    ['TSR_BINS_BITS', String(numberOf(t, 'binsBits')), 'ceil(log2(TSR_FFT_BINS)), sizes the power shift'],
    ['TSR_MEL_BANDS', String(bands), ''],
    ['TSR_MEL_WEIGHT_COUNT', String(melWeights.length), 'non-zero triangle weights in total'],
    ['TSR_MFCC_COUNT', String(nm), ''],
    ['TSR_FEATURE_IS_MFCC', config.kind === 'mfcc' ? '1' : '0', '1: output = MFCC, 0: output = log-mel'],
    ['TSR_FEATURE_DIMS', String(dims), 'int8 values per frame'],
    ['TSR_ZERO_POINT', String(numberOf(t, 'zeroPoint')), 'int8 zero point of the model input'],
    ['TSR_PRE_EMPHASIS_Q15', String(numberOf(t, 'preEmphasisQ15')), 'pre-emphasis coefficient, Q15 (0 = off)'],
    ['TSR_LN2_Q24', `INT64_C(${numberOf(t, 'ln2Q24')})`, 'ln(2), Q24'],
    ['TSR_LN_FLOOR_Q20', `(${numberOf(t, 'lnFloorQ20')})`, 'ln(log floor), Q20'],
    ['TSR_LOG2_LUT_SIZE', String(lut.length), 'log2(1 + i/256), i = 0..256, Q30'],
    ['TSR_TEN_LOG10_2_Q24', `INT64_C(${TEN_LOG10_2_Q24})`, '10 log10(2), Q24 (frame energy in dB)'],
    ['TSR_ENERGY_FLOOR_DB_Q20', `(${ENERGY_FLOOR_DB_Q20})`, 'energy of an all-zero frame: -200 dB, Q20'],
    ...Object.entries(yinConstantsC(config)).map(([k, v]): [string, string, string] => [
      k,
      k === 'TSR_YIN_SILENCE_SUM_SQ' ? `INT64_C(${v})` : String(v),
      k === 'TSR_YIN_WINDOW_SAMPLES' ? `YIN F0 window (DEFAULT_YIN fmin ${DEFAULT_YIN.fminHz} Hz, fmax ${DEFAULT_YIN.fmaxHz} Hz), centred on the frame` : '',
    ]),
  ];
  const header =
    banner +
    `#ifndef ${guard}\n#define ${guard}\n#include <stdint.h>\n\n` +
    defs.map(([n, v, c]) => `#define ${n} ${v}${c ? ` /* ${c} */` : ''}`).join('\n') +
    `\n\n` +
    [
      'extern const int32_t tsr_hann_q21[TSR_WINDOW_SAMPLES];',
      'extern const int32_t tsr_fft_cos_q23[TSR_FFT_HALF / 2];',
      'extern const int32_t tsr_fft_sin_q23[TSR_FFT_HALF / 2];',
      'extern const int32_t tsr_split_cos_q23[TSR_FFT_BINS];',
      'extern const int32_t tsr_split_sin_q23[TSR_FFT_BINS];',
      'extern const uint16_t tsr_bit_reverse[TSR_FFT_HALF];',
      'extern const uint16_t tsr_mel_start_bin[TSR_MEL_BANDS];',
      'extern const uint16_t tsr_mel_length[TSR_MEL_BANDS];',
      'extern const uint16_t tsr_mel_weight_offset[TSR_MEL_BANDS];',
      'extern const uint16_t tsr_mel_weights_q15[TSR_MEL_WEIGHT_COUNT];',
      'extern const int32_t tsr_mel_log_offset_q20[TSR_MEL_BANDS];',
      'extern const int32_t tsr_log2_lut_q30[TSR_LOG2_LUT_SIZE];',
      'extern const int32_t tsr_dct_q24[TSR_MFCC_COUNT * TSR_MEL_BANDS];',
      'extern const int32_t tsr_quant_multiplier[TSR_FEATURE_DIMS];',
      'extern const int64_t tsr_quant_offset[TSR_FEATURE_DIMS];',
      'extern const uint8_t tsr_quant_shift[TSR_FEATURE_DIMS];',
    ].join('\n') +
    `\n#endif\n`;
  const source =
    banner +
    `#include "${FRONTEND_TABLES_C_BASENAME}.h"\n\n` +
    [
      arrayDef('hannQ21', 'tsr_hann_q21', arrayOf(t, 'hannQ21', win), 'int32_t', 'TSR_WINDOW_SAMPLES'),
      arrayDef('fftCosQ23', 'tsr_fft_cos_q23', arrayOf(t, 'fftCosQ23', half / 2), 'int32_t', 'TSR_FFT_HALF / 2'),
      arrayDef('fftSinQ23', 'tsr_fft_sin_q23', arrayOf(t, 'fftSinQ23', half / 2), 'int32_t', 'TSR_FFT_HALF / 2'),
      arrayDef('splitCosQ23', 'tsr_split_cos_q23', arrayOf(t, 'splitCosQ23', bins), 'int32_t', 'TSR_FFT_BINS'),
      arrayDef('splitSinQ23', 'tsr_split_sin_q23', arrayOf(t, 'splitSinQ23', bins), 'int32_t', 'TSR_FFT_BINS'),
      arrayDef('bitReverse', 'tsr_bit_reverse', arrayOf(t, 'bitReverse', half), 'uint16_t', 'TSR_FFT_HALF'),
      arrayDef('melStartBin', 'tsr_mel_start_bin', melStartBin, 'uint16_t', 'TSR_MEL_BANDS'),
      arrayDef('melLength', 'tsr_mel_length', melLength, 'uint16_t', 'TSR_MEL_BANDS'),
      arrayDef('melWeightOffset', 'tsr_mel_weight_offset', arrayOf(t, 'melWeightOffset', bands), 'uint16_t', 'TSR_MEL_BANDS'),
      arrayDef('melWeightsQ15', 'tsr_mel_weights_q15', melWeights, 'uint16_t', 'TSR_MEL_WEIGHT_COUNT'),
      arrayDef('melLogOffsetQ20', 'tsr_mel_log_offset_q20', arrayOf(t, 'melLogOffsetQ20', bands), 'int32_t', 'TSR_MEL_BANDS'),
      arrayDef('log2LutQ30', 'tsr_log2_lut_q30', lut, 'int32_t', 'TSR_LOG2_LUT_SIZE'),
      arrayDef('dctQ24', 'tsr_dct_q24', arrayOf(t, 'dctQ24', nm * bands), 'int32_t', 'TSR_MFCC_COUNT * TSR_MEL_BANDS'),
      arrayDef('quantMultiplier', 'tsr_quant_multiplier', arrayOf(t, 'quantMultiplier', dims), 'int32_t', 'TSR_FEATURE_DIMS'),
      arrayDef('quantOffset', 'tsr_quant_offset', arrayOf(t, 'quantOffset', dims), 'int64_t', 'TSR_FEATURE_DIMS'),
      arrayDef('quantShift', 'tsr_quant_shift', arrayOf(t, 'quantShift', dims), 'uint8_t', 'TSR_FEATURE_DIMS'),
    ].join('\n');
  return { header, source };
}
