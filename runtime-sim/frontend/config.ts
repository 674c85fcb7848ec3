/**
 * The ONE frontend configuration (DESIGN contract 2 and 5): a zod schema with defaults, a stable hash
 * the device reports in INFO, and a JSON Schema export. Every stage (float64 reference, fixed-point
 * path, C twin, training) reads the fully-defaulted object, so a default changed here changes the hash.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TinyserError } from '../../common/errors.js';

export const FRONTEND_CONFIG_VERSION = 1;

const melSchema = z
  .object({
    bands: z.number().int().min(1).max(128).default(40).describe('number of mel bands'),
    scale: z.enum(['htk', 'slaney']).default('htk').describe('mel scale: HTK (2595*log10(1+f/700)) or Slaney (linear below 1 kHz)'),
    norm: z.enum(['none', 'slaney']).default('none').describe("'slaney' divides each triangle by its width (area normalization)"),
    fminHz: z.number().min(0).default(0),
    fmaxHz: z.number().positive().default(8000),
  })
  .strict();

const logSchema = z
  .object({
    floor: z
      .number()
      .min(1e-13)
      .max(1)
      .default(1e-10)
      .describe('mel energies below this are clamped: feature = max(ln(E), ln(floor)), natural log, same in float and fixed'),
  })
  .strict();

const mfccSchema = z
  .object({ count: z.number().int().min(1).max(128).default(13).describe('DCT-II (orthonormal) coefficients kept, c0 first') })
  .strict();

const deltasSchema = z
  .object({
    order: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(0).describe('0 none, 1 deltas, 2 deltas + delta-deltas'),
    width: z.number().int().min(1).max(4).default(2).describe('regression half-width N (frames each side)'),
  })
  .strict();

const normalizationSchema = z
  .object({
    mean: z.array(z.number()).min(1),
    std: z.array(z.number().positive()).min(1),
  })
  .strict()
  .describe('per-dimension affine (x - mean) / std applied to the output features before int8 quantization');

const quantizationSchema = z
  .object({
    scale: z.number().positive().default(0.15),
    zeroPoint: z.number().int().min(-128).max(127).default(25),
  })
  .strict()
  .describe('int8 output: q = clamp(floor(x / scale + 0.5) + zeroPoint, -128, 127) (round half up)');

export const frontendConfigSchema = z
  .object({
    version: z.literal(FRONTEND_CONFIG_VERSION).default(FRONTEND_CONFIG_VERSION),
    sampleRate: z.literal(16000).default(16000),
    windowSamples: z.number().int().min(16).default(400).describe('analysis window length (25 ms)'),
    hopSamples: z.number().int().min(1).default(160).describe('hop (10 ms)'),
    fftSize: z.union([z.literal(256), z.literal(512), z.literal(1024)]).default(512),
    window: z.literal('hann').default('hann').describe('periodic Hann'),
    preEmphasis: z
      .number()
      .min(0)
      .max(0.99)
      .default(0)
      .describe('y[n] = x[n] - a*x[n-1], 0 = off; a is rounded to Q15 in both paths'),
    mel: melSchema.prefault({}),
    log: logSchema.prefault({}),
    mfcc: mfccSchema.prefault({}),
    deltas: deltasSchema.prefault({}),
    kind: z.enum(['logmel', 'mfcc']).default('logmel'),
    normalization: normalizationSchema.optional(),
    quantization: quantizationSchema.prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.windowSamples > c.fftSize)
      ctx.addIssue({ code: 'custom', path: ['windowSamples'], message: `window ${c.windowSamples} exceeds fftSize ${c.fftSize}` });
    if (c.mel.fmaxHz > c.sampleRate / 2)
      ctx.addIssue({ code: 'custom', path: ['mel', 'fmaxHz'], message: `fmaxHz ${c.mel.fmaxHz} is above Nyquist ${c.sampleRate / 2}` });
    if (c.mel.fminHz >= c.mel.fmaxHz)
      ctx.addIssue({ code: 'custom', path: ['mel', 'fminHz'], message: `fminHz ${c.mel.fminHz} must be below fmaxHz ${c.mel.fmaxHz}` });
    if (c.mfcc.count > c.mel.bands)
      ctx.addIssue({ code: 'custom', path: ['mfcc', 'count'], message: `mfcc.count ${c.mfcc.count} exceeds mel.bands ${c.mel.bands}` });
    if (c.normalization) {
      const dims = featureDims(c);
      for (const key of ['mean', 'std'] as const) {
        if (c.normalization[key].length !== dims)
          ctx.addIssue({
            code: 'custom',
            path: ['normalization', key],
            message: `has ${c.normalization[key].length} values, the ${c.kind} output has ${dims} dimensions`,
          });
      }
    }
  });

export type FrontendConfig = z.output<typeof frontendConfigSchema>;
export type FrontendConfigInput = z.input<typeof frontendConfigSchema>;

/** Base dims (bands or MFCC count) times (1 + delta order). */
export function featureDims(c: Pick<FrontendConfig, 'kind' | 'mel' | 'mfcc' | 'deltas'>): number {
  const base = c.kind === 'mfcc' ? c.mfcc.count : c.mel.bands;
  return base * (1 + c.deltas.order);
}

export class FrontendConfigError extends TinyserError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CONFIG', message, details, 2);
  }
}

/** Validates and fills defaults. `source` names the file in error messages. */
export function parseFrontendConfig(input: unknown, source = 'frontend config'): FrontendConfig {
  const r = frontendConfigSchema.safeParse(input ?? {});
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', reason: i.message }));
    const text = issues.map((i) => `${i.path}: ${i.reason}`).join('; ');
    throw new FrontendConfigError(`${source}: invalid frontend config: ${text}`, { source, issues });
  }
  return r.data;
}

export function defaultFrontendConfig(): FrontendConfig {
  return parseFrontendConfig({});
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return (
      '{' +
      Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort()
        .map((k) => JSON.stringify(k) + ':' + canonicalJson(o[k]))
        .join(',') +
      '}'
    );
  }
  return JSON.stringify(v);
}

/** sha256 of the canonical (sorted-key) JSON of the fully-defaulted config, first 16 hex chars. */
export function frontendConfigHash(config: FrontendConfigInput | FrontendConfig): string {
  const full = parseFrontendConfig(config);
  return createHash('sha256').update(canonicalJson(full)).digest('hex').slice(0, 16);
}

/** The u32 the device reports: the first 8 hex chars of frontendConfigHash. */
export function frontendConfigHashU32(config: FrontendConfigInput | FrontendConfig): number {
  return parseInt(frontendConfigHash(config).slice(0, 8), 16) >>> 0;
}

export function frontendConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(frontendConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
