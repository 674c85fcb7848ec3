/**
 * The fixed-point device path, batch and streaming. Both run the same per-frame processor, so the
 * streaming frontend (which the firmware mirrors) emits exactly the batch frames.
 */
import { FrontendConfigError, type FrontendConfig } from '../config.js';
import { frameCount } from '../framing.js';
import { deltasQ20 } from './deltas-q20.js';
import { createFrameProcessorQ, type FrameProcessorQ } from './frame-processor.js';
import { quantizeInt8FromQ20, quantizeInt8FromQ20Rows } from './quantize-int8.js';
import { buildFixedTables, FEATURE_Q, type FixedTables } from './tables.js';

const tableCache = new WeakMap<FrontendConfig, FixedTables>();
// One frame processor per table set: its buffers are scratch (fully rewritten within every synchronous
// processAt call), so all calls can share it; creating one per call cost allocation and warm-up.
const processorCache = new WeakMap<FixedTables, FrameProcessorQ>();

function frameProcessorFor(t: FixedTables): FrameProcessorQ {
  let p = processorCache.get(t);
  if (!p) {
    p = createFrameProcessorQ(t);
    processorCache.set(t, p);
  }
  return p;
}

export function fixedTablesFor(config: FrontendConfig): FixedTables {
  let t = tableCache.get(config);
  if (!t) {
    t = buildFixedTables(config);
    tableCache.set(config, t);
  }
  return t;
}

export interface FixedFeatures {
  frames: number;
  bands: number;
  mfccCount: number;
  /** ln(max(E, floor)) in Q20 (value / 2^20 = natural log), frames x bands. */
  logMelQ20: Int32Array;
  /** Orthonormal DCT-II of logMelQ20, Q20, frames x mfccCount. */
  mfccQ20: Int32Array;
  /** Selected kind plus deltas, before normalization, Q20, frames x dims. */
  featuresQ20: Int32Array;
  dims: number;
  /** The device output: normalization + int8 quantization of featuresQ20. */
  int8: Int8Array;
  saturated: number;
  scale: number;
  zeroPoint: number;
}

export const FEATURES_Q20_ONE = 2 ** FEATURE_Q;

export function computeFeaturesFixed(samples: Int16Array, config: FrontendConfig): FixedFeatures {
  const t = fixedTablesFor(config);
  const proc = frameProcessorFor(t);
  const frames = frameCount(samples.length, config.windowSamples, config.hopSamples);
  const bands = t.bands;
  const nm = t.mfccCount;
  const logMelQ20 = new Int32Array(frames * bands);
  const mfccQ20 = new Int32Array(frames * nm);
  const hop = config.hopSamples;
  for (let f = 0; f < frames; f++) {
    const start = f * hop;
    proc.processAt(samples, start, start > 0 ? samples[start - 1] : 0, logMelQ20, f * bands, mfccQ20, f * nm);
  }
  const base = config.kind === 'mfcc' ? mfccQ20 : logMelQ20;
  const baseDims = config.kind === 'mfcc' ? nm : bands;
  let featuresQ20 = base;
  const order = config.deltas.order;
  if (order > 0) {
    const d1 = deltasQ20(base, frames, baseDims, config.deltas.width);
    const d2 = order === 2 ? deltasQ20(d1, frames, baseDims, config.deltas.width) : null;
    featuresQ20 = new Int32Array(frames * t.dims);
    for (let f = 0; f < frames; f++) {
      featuresQ20.set(base.subarray(f * baseDims, (f + 1) * baseDims), f * t.dims);
      featuresQ20.set(d1.subarray(f * baseDims, (f + 1) * baseDims), f * t.dims + baseDims);
      if (d2) featuresQ20.set(d2.subarray(f * baseDims, (f + 1) * baseDims), f * t.dims + 2 * baseDims);
    }
  }
  const int8 = new Int8Array(frames * t.dims);
  const saturated = quantizeInt8FromQ20Rows(t, featuresQ20, frames, int8);
  return {
    frames,
    bands,
    mfccCount: nm,
    logMelQ20,
    mfccQ20,
    featuresQ20,
    dims: t.dims,
    int8,
    saturated,
    scale: config.quantization.scale,
    zeroPoint: config.quantization.zeroPoint,
  };
}

export interface FixedFrontend {
  readonly dims: number;
  /** Frames emitted since creation / reset. */
  readonly framesEmitted: number;
  /** int8 values that saturated since creation / reset. */
  readonly saturated: number;
  /** Feeds samples (any chunk size); returns one Int8Array (dims values) per completed frame. */
  pushSamples(chunk: Int16Array): Int8Array[];
  reset(): void;
}

/**
 * Streaming fixed frontend, the model of the firmware loop: keeps the last window (+1 sample for
 * pre-emphasis) and emits a frame every hop. Deltas need look-ahead and are not streamed.
 */
export function createFixedFrontend(config: FrontendConfig): FixedFrontend {
  if (config.deltas.order !== 0)
    throw new FrontendConfigError('streaming frontend: deltas need look-ahead frames; use deltas.order 0 on the device (or learn them in the model)');
  const t = fixedTablesFor(config);
  const proc = frameProcessorFor(t);
  const win = config.windowSamples;
  const hop = config.hopSamples;
  const isMfcc = config.kind === 'mfcc';
  const logMel = new Int32Array(t.bands);
  const mfcc = new Int32Array(t.mfccCount);
  // buf holds samples from absolute index bufStart; one extra slot keeps the pre-emphasis history.
  let buf = new Int16Array(Math.max(2 * (win + hop), 1024));
  let bufLen = 0;
  let bufStart = 0;
  let nextFrame = 0;
  let emitted = 0;
  let saturated = 0;
  return {
    dims: t.dims,
    get framesEmitted() {
      return emitted;
    },
    get saturated() {
      return saturated;
    },
    pushSamples(chunk) {
      if (bufLen + chunk.length > buf.length) {
        const nb = new Int16Array(Math.max(buf.length * 2, bufLen + chunk.length));
        nb.set(buf.subarray(0, bufLen));
        buf = nb;
      }
      buf.set(chunk, bufLen);
      bufLen += chunk.length;
      const out: Int8Array[] = [];
      while (nextFrame + win <= bufStart + bufLen) {
        const off = nextFrame - bufStart;
        const prev = nextFrame === 0 ? 0 : buf[off - 1];
        proc.process(buf, off, prev, logMel, isMfcc ? mfcc : null);
        const q = new Int8Array(t.dims);
        saturated += quantizeInt8FromQ20(t, isMfcc ? mfcc : logMel, q, 0);
        out.push(q);
        emitted++;
        nextFrame += hop;
      }
      // Drop everything before the next frame except one history sample.
      const keepFrom = Math.max(0, nextFrame - 1 - bufStart);
      if (keepFrom > 0) {
        const kept = Math.max(0, bufLen - keepFrom);
        buf.copyWithin(0, keepFrom, keepFrom + kept);
        bufLen = kept;
        bufStart += keepFrom;
      }
      return out;
    },
    reset() {
      bufLen = 0;
      bufStart = 0;
      nextFrame = 0;
      emitted = 0;
      saturated = 0;
    },
  };
}
