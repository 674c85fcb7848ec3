/**
 * Frontend fidelity: the fixed-point path (runtime-sim/frontend/fixed) against the float64 reference,
 * per file and pooled over files. Figures (definitions in snr.ts):
 *  - log-mel and MFCC SNR, all frames and active frames (within 40 dB of the file's loudest frame),
 *    raw and with each column's mean removed; per band / per coefficient;
 *  - int8: share of fixed outputs equal to the quantized float features, max |diff| in LSBs, saturations.
 * Checks (CheckFailedError, exit 1, when any fails): median log-mel and MFCC SNR >= minSnrDb (all and
 * active frames); worst 5 % of files >= minSnrDb - 5; every MFCC coefficient, pooled over files with its
 * mean removed, >= minCoefSnrDb on all and on active frames.
 */
import { featureDims, frontendConfigHash, type FrontendConfig } from '../frontend/config.js';
import { computeFeaturesFixed, FEATURES_Q20_ONE, type FixedFeatures } from '../frontend/fixed/frontend-fixed.js';
import {
  appendDeltasFloat64,
  computeReferenceFloat64,
  normalizeFeaturesFloat64,
  quantizeInt8Float64,
  type ReferenceFeaturesFloat64,
} from '../frontend/reference-float64.js';
import { activeFrameMask, percentile, snrFromSums, snrSumsPerColumn, totalSums, type SnrSums } from './snr.js';

export const ACTIVE_RANGE_DB = 40;

export interface MatrixFidelity {
  snrDb: number;
  snrActiveDb: number;
  snrMeanRemovedDb: number;
  snrMeanRemovedActiveDb: number;
  /** Per band / coefficient, mean removed, all frames. */
  perDimSnrMeanRemovedDb: number[];
  perDimSnrMeanRemovedActiveDb: number[];
  /** Per band / coefficient, raw. */
  perDimSnrDb: number[];
  maxAbsError: number;
}

export interface Int8Fidelity {
  values: number;
  equalShare: number;
  maxAbsErrorLsb: number;
  saturatedFixed: number;
  saturatedFloat: number;
}

export interface FileFeatureVerification {
  file: string;
  frames: number;
  activeFrames: number;
  logMel: MatrixFidelity;
  mfcc: MatrixFidelity;
  int8: Int8Fidelity;
}

/** Pooled sums per column, so summaries can combine files exactly. */
interface PooledSums {
  all: SnrSums[];
  active: SnrSums[];
  allMeanRemoved: SnrSums[];
  activeMeanRemoved: SnrSums[];
}

export interface FileVerificationDetail {
  result: FileFeatureVerification;
  reference: ReferenceFeaturesFloat64;
  fixed: FixedFeatures;
  logMelSums: PooledSums;
  mfccSums: PooledSums;
}

function matrixFidelity(ref: Float64Array, test: Float64Array, frames: number, dims: number, mask: Uint8Array): { fid: MatrixFidelity; sums: PooledSums } {
  const sums: PooledSums = {
    all: snrSumsPerColumn(ref, test, frames, dims),
    active: snrSumsPerColumn(ref, test, frames, dims, { frames: mask }),
    allMeanRemoved: snrSumsPerColumn(ref, test, frames, dims, { removeMean: true }),
    activeMeanRemoved: snrSumsPerColumn(ref, test, frames, dims, { frames: mask, removeMean: true }),
  };
  let maxAbsError = 0;
  for (let i = 0; i < ref.length; i++) maxAbsError = Math.max(maxAbsError, Math.abs(test[i] - ref[i]));
  return {
    fid: {
      snrDb: snrFromSums(totalSums(sums.all)),
      snrActiveDb: snrFromSums(totalSums(sums.active)),
      snrMeanRemovedDb: snrFromSums(totalSums(sums.allMeanRemoved)),
      snrMeanRemovedActiveDb: snrFromSums(totalSums(sums.activeMeanRemoved)),
      perDimSnrMeanRemovedDb: sums.allMeanRemoved.map(snrFromSums),
      perDimSnrMeanRemovedActiveDb: sums.activeMeanRemoved.map(snrFromSums),
      perDimSnrDb: sums.all.map(snrFromSums),
      maxAbsError,
    },
    sums,
  };
}

function q20ToFloat(v: Int32Array): Float64Array {
  return Float64Array.from(v, (x) => x / FEATURES_Q20_ONE);
}

/** Fixed vs float for one signal. */
export function verifySamples(file: string, samples: Int16Array, config: FrontendConfig): FileVerificationDetail {
  const reference = computeReferenceFloat64(samples, config);
  const fixed = computeFeaturesFixed(samples, config);
  const frames = reference.frames;
  const mask = activeFrameMask(reference.energyDb, ACTIVE_RANGE_DB);
  const lm = matrixFidelity(reference.logMel.data, q20ToFloat(fixed.logMelQ20), frames, config.mel.bands, mask);
  const mf = matrixFidelity(reference.mfcc.data, q20ToFloat(fixed.mfccQ20), frames, config.mfcc.count, mask);

  const base = config.kind === 'mfcc' ? reference.mfcc : reference.logMel;
  const floatFeatures = normalizeFeaturesFloat64(appendDeltasFloat64(base, config.deltas.order, config.deltas.width), config);
  const qf = quantizeInt8Float64(floatFeatures.data, config.quantization.scale, config.quantization.zeroPoint);
  let equal = 0;
  let maxLsb = 0;
  for (let i = 0; i < qf.data.length; i++) {
    const d = Math.abs(qf.data[i] - fixed.int8[i]);
    if (d === 0) equal++;
    if (d > maxLsb) maxLsb = d;
  }
  const dims = featureDims(config);
  const result: FileFeatureVerification = {
    file,
    frames,
    activeFrames: mask.reduce((a, b) => a + b, 0),
    logMel: lm.fid,
    mfcc: mf.fid,
    int8: {
      values: frames * dims,
      equalShare: frames * dims === 0 ? 1 : equal / (frames * dims),
      maxAbsErrorLsb: maxLsb,
      saturatedFixed: fixed.saturated,
      saturatedFloat: qf.saturated,
    },
  };
  return { result, reference, fixed, logMelSums: lm.sums, mfccSums: mf.sums };
}

export interface DistributionSummary {
  median: number;
  worst5: number;
  min: number;
}

export interface KindSummary {
  snrDb: DistributionSummary;
  snrActiveDb: DistributionSummary;
  snrMeanRemovedDb: DistributionSummary;
  snrMeanRemovedActiveDb: DistributionSummary;
  /** Pooled over all files, mean removed per file, per band / coefficient. */
  perDimPooledMeanRemovedDb: number[];
  perDimPooledMeanRemovedActiveDb: number[];
  /** Smallest per-file value, per band / coefficient (mean removed, all frames). */
  perDimMinOverFilesDb: number[];
  maxAbsError: number;
}

export interface FeatureCheck {
  name: string;
  value: number;
  threshold: number;
  pass: boolean;
}

export interface FeatureVerificationReport {
  configHash: string;
  kind: FrontendConfig['kind'];
  files: number;
  frames: number;
  activeFrames: number;
  activeRangeDb: number;
  logMel: KindSummary;
  mfcc: KindSummary;
  int8: Int8Fidelity;
  checks: FeatureCheck[];
  pass: boolean;
  perFile: FileFeatureVerification[];
}

export interface VerifyThresholds {
  minSnrDb: number;
  minCoefSnrDb: number;
}

function distribution(v: number[]): DistributionSummary {
  return { median: percentile(v, 50), worst5: percentile(v, 5), min: v.length ? Math.min(...v) : NaN };
}

/** Accumulates per-file details into the overall report (streaming: keeps sums, not matrices). */
export class FeatureVerificationAccumulator {
  private readonly perFile: FileFeatureVerification[] = [];
  private lm: PooledSums | null = null;
  private mf: PooledSums | null = null;

  constructor(
    private readonly config: FrontendConfig,
    private readonly thresholds: VerifyThresholds = { minSnrDb: 50, minCoefSnrDb: 40 },
  ) {}

  add(d: FileVerificationDetail): void {
    this.perFile.push(d.result);
    this.lm = addSums(this.lm, d.logMelSums);
    this.mf = addSums(this.mf, d.mfccSums);
  }

  report(): FeatureVerificationReport {
    const pf = this.perFile;
    const kindSummary = (pick: (f: FileFeatureVerification) => MatrixFidelity, sums: PooledSums | null, dims: number): KindSummary => ({
      snrDb: distribution(pf.map((f) => pick(f).snrDb)),
      snrActiveDb: distribution(pf.map((f) => pick(f).snrActiveDb)),
      snrMeanRemovedDb: distribution(pf.map((f) => pick(f).snrMeanRemovedDb)),
      snrMeanRemovedActiveDb: distribution(pf.map((f) => pick(f).snrMeanRemovedActiveDb)),
      perDimPooledMeanRemovedDb: sums ? sums.allMeanRemoved.map(snrFromSums) : [],
      perDimPooledMeanRemovedActiveDb: sums ? sums.activeMeanRemoved.map(snrFromSums) : [],
      perDimMinOverFilesDb: Array.from({ length: dims }, (_, d) => Math.min(...pf.map((f) => pick(f).perDimSnrMeanRemovedDb[d]))),
      maxAbsError: Math.max(0, ...pf.map((f) => pick(f).maxAbsError)),
    });
    const logMel = kindSummary((f) => f.logMel, this.lm, this.config.mel.bands);
    const mfcc = kindSummary((f) => f.mfcc, this.mf, this.config.mfcc.count);
    const values = pf.reduce((a, f) => a + f.int8.values, 0);
    const int8: Int8Fidelity = {
      values,
      equalShare: values === 0 ? 1 : pf.reduce((a, f) => a + f.int8.equalShare * f.int8.values, 0) / values,
      maxAbsErrorLsb: Math.max(0, ...pf.map((f) => f.int8.maxAbsErrorLsb)),
      saturatedFixed: pf.reduce((a, f) => a + f.int8.saturatedFixed, 0),
      saturatedFloat: pf.reduce((a, f) => a + f.int8.saturatedFloat, 0),
    };
    const { minSnrDb, minCoefSnrDb } = this.thresholds;
    const checks: FeatureCheck[] = [];
    const check = (name: string, value: number, threshold: number) => checks.push({ name, value, threshold, pass: value >= threshold });
    for (const [label, s] of [
      ['log-mel', logMel],
      ['MFCC', mfcc],
    ] as const) {
      check(`${label} median SNR, all frames`, s.snrDb.median, minSnrDb);
      check(`${label} median SNR, active frames`, s.snrActiveDb.median, minSnrDb);
      check(`${label} worst-5% SNR, all frames`, s.snrDb.worst5, minSnrDb - 5);
      check(`${label} worst-5% SNR, active frames`, s.snrActiveDb.worst5, minSnrDb - 5);
    }
    mfcc.perDimPooledMeanRemovedDb.forEach((v, k) => check(`MFCC c${k} SNR (mean removed), all frames`, v, minCoefSnrDb));
    mfcc.perDimPooledMeanRemovedActiveDb.forEach((v, k) => check(`MFCC c${k} SNR (mean removed), active frames`, v, minCoefSnrDb));
    return {
      configHash: frontendConfigHash(this.config),
      kind: this.config.kind,
      files: pf.length,
      frames: pf.reduce((a, f) => a + f.frames, 0),
      activeFrames: pf.reduce((a, f) => a + f.activeFrames, 0),
      activeRangeDb: ACTIVE_RANGE_DB,
      logMel,
      mfcc,
      int8,
      checks,
      pass: pf.length > 0 && checks.every((c) => c.pass),
      perFile: pf,
    };
  }
}

function addSums(acc: PooledSums | null, s: PooledSums): PooledSums {
  if (!acc) return structuredClone(s);
  for (const k of ['all', 'active', 'allMeanRemoved', 'activeMeanRemoved'] as const)
    s[k].forEach((v, i) => {
      acc[k][i].signal += v.signal;
      acc[k][i].error += v.error;
    });
  return acc;
}

/** Verifies a list of already-decoded signals. */
export function verifySignals(signals: { file: string; samples: Int16Array }[], config: FrontendConfig, thresholds?: VerifyThresholds): FeatureVerificationReport {
  const acc = new FeatureVerificationAccumulator(config, thresholds);
  for (const s of signals) acc.add(verifySamples(s.file, s.samples, config));
  return acc.report();
}
