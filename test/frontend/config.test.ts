import { describe, expect, it } from 'vitest';
import {
  defaultFrontendConfig,
  featureDims,
  frontendConfigHash,
  frontendConfigHashU32,
  frontendConfigJsonSchema,
  FrontendConfigError,
  parseFrontendConfig,
} from '../../runtime-sim/frontend/index.js';

function configError(input: unknown): FrontendConfigError {
  try {
    parseFrontendConfig(input, 'test.json');
  } catch (e) {
    if (e instanceof FrontendConfigError) return e;
    throw e;
  }
  throw new Error('expected a FrontendConfigError');
}

describe('frontend config', () => {
  it('defaults follow DESIGN contract 2', () => {
    const c = defaultFrontendConfig();
    expect(c.sampleRate).toBe(16000);
    expect(c.windowSamples).toBe(400);
    expect(c.hopSamples).toBe(160);
    expect(c.fftSize).toBe(512);
    expect(c.window).toBe('hann');
    expect(c.preEmphasis).toBe(0);
    expect(c.mel).toEqual({ bands: 40, scale: 'htk', norm: 'none', fminHz: 0, fmaxHz: 8000 });
    expect(c.mfcc.count).toBe(13);
    expect(c.version).toBe(1);
    expect(c.normalization).toBeUndefined();
    expect(featureDims(c)).toBe(40);
    expect(featureDims(parseFrontendConfig({ kind: 'mfcc', deltas: { order: 2 } }))).toBe(39);
  });

  it('names the bad field and the reason, with code CONFIG and exit code 2', () => {
    const e = configError({ mel: { bands: 0 } });
    expect(e.code).toBe('CONFIG');
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain('test.json');
    expect(e.message).toMatch(/mel\.bands: .*>=\s*1/);
    expect(configError({ kind: 'spectrogram' }).message).toContain('kind:');
    expect(configError({ fftSize: 500 }).message).toContain('fftSize');
    expect(configError({ unknownKey: 1 }).message).toMatch(/unknownKey|Unrecognized/);
  });

  it('checks cross-field constraints', () => {
    expect(configError({ windowSamples: 600 }).message).toContain('windowSamples');
    expect(configError({ mel: { fmaxHz: 9000 } }).message).toContain('mel.fmaxHz');
    expect(configError({ mfcc: { count: 50 } }).message).toContain('mfcc.count');
    const e = configError({ kind: 'mfcc', normalization: { mean: [0, 0], std: [1, 1] } });
    expect(e.message).toContain('normalization.mean');
    expect(e.message).toContain('13 dimensions');
    expect(configError({ normalization: { mean: new Array(40).fill(0), std: new Array(40).fill(0) } }).message).toContain('normalization.std');
  });

  it('hash: stable across key order and defaults, sensitive to every value', () => {
    const h = frontendConfigHash({});
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(frontendConfigHash(defaultFrontendConfig())).toBe(h);
    expect(frontendConfigHash({ mel: { fmaxHz: 8000, bands: 40 }, hopSamples: 160 })).toBe(h);
    expect(frontendConfigHash({ hopSamples: 160, mel: { bands: 40, fmaxHz: 8000 } })).toBe(h);
    expect(frontendConfigHash({ mel: { bands: 41 } })).not.toBe(h);
    expect(frontendConfigHash({ log: { floor: 1e-9 } })).not.toBe(h);
    expect(frontendConfigHash({ quantization: { scale: 0.1 } })).not.toBe(h);
    expect(frontendConfigHashU32({})).toBe(parseInt(h.slice(0, 8), 16));
  });

  it('exports a JSON Schema with the fields and defaults', () => {
    const s = frontendConfigJsonSchema() as { properties: Record<string, { default?: unknown }> };
    expect(Object.keys(s.properties)).toEqual(
      expect.arrayContaining(['version', 'windowSamples', 'hopSamples', 'fftSize', 'mel', 'log', 'mfcc', 'kind', 'normalization', 'quantization']),
    );
    expect(s.properties.hopSamples.default).toBe(160);
  });
});
