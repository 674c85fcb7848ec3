/** Messages between the data-parallel trainer (main thread) and its worker (train-worker.ts). */
import type { ShardBatch, ShardLossSpec } from './half-batch.js';

export interface InitMessage {
  type: 'init';
  /** model.toJSON() of the full model (the worker trains its view up to the 'logits' layer) */
  topology: string;
  /** shapes of the trainable variables, in the order weights and gradients are exchanged */
  shapes: number[][];
}

export interface StepMessage {
  type: 'step';
  /** all trainable weights, concatenated in `shapes` order */
  weights: Float32Array;
  batch: ShardBatch;
  spec: ShardLossSpec;
}

export type ToWorker = InitMessage | StepMessage | { type: 'dispose' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; loss: number; grads: Float32Array; statistics: Float32Array[]; computeMs: number; workerTensors: number }
  | { type: 'error'; message: string };
