/**
 * The emitted C tables are exactly exportFixedTables(config) (parsed back from the generated source),
 * the checked-in default pair is up to date, the header carries frontendConfigHashU32, deltas are
 * refused, and the C twin compiles warning-free for the Cortex-M4 (hard and soft float ABI) with no
 * floating-point instruction or float helper call in the object code.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultFrontendConfig, exportFixedTables, frontendConfigHashU32, FrontendConfigError, parseFrontendConfig } from '../../runtime-sim/frontend/index.js';
import { emitFrontendTablesC, writeFrontendTablesC } from '../../runtime-sim/frontend-c-export/index.js';
import { C_FLAGS, frontendCDir, frontendCSources, hasCompiler } from './c-harness.js';
import { testConfigs } from './configs.js';

/** C array name -> exportFixedTables key. */
const ARRAYS: Record<string, string> = {
  tsr_hann_q21: 'hannQ21',
  tsr_fft_cos_q23: 'fftCosQ23',
  tsr_fft_sin_q23: 'fftSinQ23',
  tsr_split_cos_q23: 'splitCosQ23',
  tsr_split_sin_q23: 'splitSinQ23',
  tsr_bit_reverse: 'bitReverse',
  tsr_mel_start_bin: 'melStartBin',
  tsr_mel_length: 'melLength',
  tsr_mel_weight_offset: 'melWeightOffset',
  tsr_mel_weights_q15: 'melWeightsQ15',
  tsr_mel_log_offset_q20: 'melLogOffsetQ20',
  tsr_log2_lut_q30: 'log2LutQ30',
  tsr_dct_q24: 'dctQ24',
  tsr_quant_multiplier: 'quantMultiplier',
  tsr_quant_offset: 'quantOffset',
  tsr_quant_shift: 'quantShift',
};

function parseCArray(source: string, name: string): number[] {
  const m = new RegExp(`\\b${name}\\[[^\\]]*\\] = \\{([^}]*)\\}`).exec(source);
  if (!m) throw new Error(`array ${name} not found in generated source`);
  return m[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const lit = /^INT64_C\((-?\d+)\)$/.exec(s)?.[1] ?? (s === '(-2147483647 - 1)' ? '-2147483648' : s);
      return Number(lit);
    });
}

function define(header: string, name: string): string {
  const m = new RegExp(`#define ${name} (\\S+)`).exec(header);
  if (!m) throw new Error(`#define ${name} missing`);
  return m[1];
}

describe('emitFrontendTablesC', () => {
  for (const [name, config] of Object.entries(testConfigs())) {
    it(`embeds exactly exportFixedTables(config) for config '${name}'`, () => {
      const { header, source } = emitFrontendTablesC(config);
      const t = exportFixedTables(config);
      for (const [cName, key] of Object.entries(ARRAYS)) expect(parseCArray(source, cName), cName).toEqual(t[key]);
      expect(Number(define(header, 'TSR_WINDOW_SAMPLES'))).toBe(t.windowSamples);
      expect(Number(define(header, 'TSR_FFT_SIZE'))).toBe(t.fftSize);
      expect(Number(define(header, 'TSR_MEL_BANDS'))).toBe(t.bands);
      expect(Number(define(header, 'TSR_FEATURE_DIMS'))).toBe(t.dims);
      expect(Number(define(header, 'TSR_ZERO_POINT'))).toBe(t.zeroPoint);
      expect(Number(define(header, 'TSR_PRE_EMPHASIS_Q15'))).toBe(t.preEmphasisQ15);
      expect(Number(define(header, 'TSR_BINS_BITS'))).toBe(t.binsBits);
      expect(define(header, 'TSR_LN_FLOOR_Q20')).toBe(`(${t.lnFloorQ20})`);
      expect(define(header, 'TSR_LN2_Q24')).toBe(`INT64_C(${t.ln2Q24})`);
      expect(define(header, 'TSR_FEATURE_IS_MFCC')).toBe(config.kind === 'mfcc' ? '1' : '0');
      const hash = /UINT32_C\(0x([0-9A-F]{8})\)/.exec(define(header, 'TSR_FRONTEND_CONFIG_HASH_U32'));
      expect(parseInt(hash?.[1] ?? '', 16)).toBe(frontendConfigHashU32(config));
    });
  }

  it('the checked-in firmware tables (generated/, default config) are up to date', () => {
    const { header, source } = emitFrontendTablesC(defaultFrontendConfig());
    expect(readFileSync(join(frontendCDir, 'generated/tsr_frontend_tables.h'), 'utf8')).toBe(header);
    expect(readFileSync(join(frontendCDir, 'generated/tsr_frontend_tables.c'), 'utf8')).toBe(source);
  });

  it('refuses deltas (the C twin is streaming) with a typed config error', () => {
    const config = parseFrontendConfig({ deltas: { order: 1 } });
    expect(() => emitFrontendTablesC(config)).toThrow(FrontendConfigError);
    expect(() => emitFrontendTablesC(config)).toThrow(/deltas/);
  });
});

const ARM_TARGET = ['-mcpu=cortex-m4', '-mthumb'];
const armGcc = hasCompiler('arm-none-eabi-gcc');

describe.skipIf(!armGcc)(`Cortex-M4 compile-only check${armGcc ? '' : ' (skipped: arm-none-eabi-gcc not installed)'}`, () => {
  for (const [abi, flags] of [
    ['hard float ABI', ['-mfloat-abi=hard', '-mfpu=fpv4-sp-d16']],
    ['soft float ABI (the firmware Makefile)', ['-mfloat-abi=soft', '-ffreestanding']],
  ] as const) {
    for (const [name, config] of Object.entries(testConfigs()).filter(([n]) => n === 'default' || n === 'mfcc')) {
      it(`${abi}, config '${name}': -Wall -Wextra -Werror -pedantic, no float instructions or float helpers`, () => {
        const dir = mkdtempSync(join(tmpdir(), 'tsr-cfrontend-arm-'));
        try {
          const { sourcePath } = writeFrontendTablesC(config, dir);
          const objs: string[] = [];
          for (const [i, src] of [...frontendCSources(), sourcePath].entries()) {
            const obj = join(dir, `o${i}.o`);
            execFileSync('arm-none-eabi-gcc', [...C_FLAGS, '-Os', ...ARM_TARGET, ...flags, '-I', dir, '-I', frontendCDir, '-c', src, '-o', obj], {
              stdio: ['ignore', 'pipe', 'pipe'],
            });
            objs.push(obj);
          }
          const dis = execFileSync('arm-none-eabi-objdump', ['-d', '-r', ...objs], { encoding: 'utf8', maxBuffer: 64 << 20 });
          expect(dis).toMatch(/tsr_frontend_push/);
          const floatOps = dis.split('\n').filter((l) => /\tv[a-z]+\.f(32|64)\b|__aeabi_[fd](add|sub|mul|div|2|cmp)|__aeabi_[il]2[fd]/.test(l));
          expect(floatOps).toEqual([]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  }
});
