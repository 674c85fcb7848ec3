import { describe, expect, it } from 'vitest';
import { readWav } from '../../runtime-sim/audio/index.js';
import { parseFrontendConfig } from '../../runtime-sim/frontend/index.js';
import { verifySignals } from '../../runtime-sim/verify/features.js';
import { ravdessAvailable, ravdessSkipReason, ravdessSubset } from './helpers.js';

describe.skipIf(!ravdessAvailable)(`fixed vs float64 on 10 RAVDESS files${ravdessAvailable ? '' : ` (skipped: ${ravdessSkipReason})`}`, () => {
  for (const [name, cfg] of [
    ['log-mel defaults', {}],
    ['MFCC, pre-emphasis, Slaney', { kind: 'mfcc', preEmphasis: 0.97, mel: { scale: 'slaney', norm: 'slaney', fminHz: 20 } }],
  ] as const) {
    it(`${name}: >= 50 dB log-mel and MFCC (median, worst file >= 45), every MFCC coefficient >= 40 dB`, async () => {
      const config = parseFrontendConfig(cfg);
      const signals = await Promise.all(ravdessSubset(10).map(async (file) => ({ file, samples: (await readWav(file)).samplesInt16 })));
      expect(signals.length).toBe(10);
      const r = verifySignals(signals, config);
      expect(r.files).toBe(10);
      expect(r.activeFrames).toBeGreaterThan(0);
      for (const s of [r.logMel, r.mfcc]) {
        expect(s.snrDb.median).toBeGreaterThanOrEqual(50);
        expect(s.snrActiveDb.median).toBeGreaterThanOrEqual(50);
        expect(s.snrMeanRemovedDb.median).toBeGreaterThanOrEqual(50);
        expect(s.snrDb.min).toBeGreaterThanOrEqual(45);
        expect(s.snrActiveDb.min).toBeGreaterThanOrEqual(45);
      }
      for (const v of [...r.mfcc.perDimPooledMeanRemovedDb, ...r.mfcc.perDimPooledMeanRemovedActiveDb, ...r.mfcc.perDimMinOverFilesDb])
        expect(v).toBeGreaterThanOrEqual(40);
      expect(r.int8.maxAbsErrorLsb).toBeLessThanOrEqual(1);
      expect(r.pass).toBe(true);
    });
  }
});
