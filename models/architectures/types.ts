/** Shared option types for the student architectures (tfjs-layers, NHWC, input [frames, bands, 1]). */
import type { LayersModel } from '@tensorflow/tfjs-layers';

export interface ArchitectureOptions {
  /** [frames, bands, 1], e.g. [300, 40, 1] for 3 s of 40 log-mel bands at a 10 ms hop. */
  inputShape: [number, number, number];
  numClasses: number;
  /** Seeds every initializer, so the same seed gives the same initial weights. */
  seed?: number;
  /** Dropout before the classifier (training only; the compiler drops it). */
  dropout?: number;
}

export type ArchitectureBuilder = (opts: ArchitectureOptions) => LayersModel;

export interface ArchitectureInfo {
  name: string;
  description: string;
  build: ArchitectureBuilder;
}

/** Small deterministic seed stream for per-layer initializers (layer i gets seed + i*7919). */
export function seedFor(base: number | undefined, layerIndex: number): number | undefined {
  return base === undefined ? undefined : (base * 1_000_003 + layerIndex * 7919) % 2_147_483_647;
}

/**
 * Batch-norm moving-average momentum. tfjs-layers defaults to 0.99, which on SER-sized data
 * (a dozen batches per epoch) leaves the moving statistics mostly at their initial values after
 * several epochs, so inference (and the folded int8 model) sees the wrong normalisation.
 */
export const BN_MOMENTUM = 0.9;
