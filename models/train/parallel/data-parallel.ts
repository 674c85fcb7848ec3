/**
 * Data-parallel training steps on two threads: the main thread and one worker (its own tfjs WASM
 * instance, train-worker.ts) each run forward + backward on half of the batch; the main thread adds
 * the gradients (main shard first, a fixed order: deterministic for a fixed seed) and applies Adam,
 * and updates each batch-norm layer's moving averages once with the example-weighted average of
 * the two halves' batch statistics (like DDP without SyncBN). Per step the worker receives the
 * weights (~90 KB for DS-CNN S) and its half batch, and returns gradients and statistics.
 *
 * The worker is started once per process and reused by later runs; it is unref'd between steps
 * so it never keeps the process alive.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { TinyserError } from '../../../common/errors.js';
import { movingStatistics, updateMovingAverage } from '../wasm/batch-norm-layer-patch.js';
import { runShard, type ShardBatch, type ShardLossSpec } from './half-batch.js';
import type { FromWorker, InitMessage, ToWorker } from './protocol.js';
import { trainWorkerEntry } from './worker-entry.js';

/** Batches smaller than this run on the main thread alone (BN statistics of 1-2 examples are noise). */
const MIN_SPLIT_BATCH = 4;

let pooled: Promise<Worker | null> | undefined;
/** The trainer whose model the pooled worker holds. */
let owner: object | null = null;
let queue: Promise<void> = Promise.resolve();

function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn);
  queue = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

function startWorker(): Promise<Worker | null> {
  pooled ??= (async () => {
    const entry = trainWorkerEntry();
    if (!entry) return null;
    try {
      const w = new Worker(entry.url, { execArgv: entry.execArgv });
      await new Promise<void>((resolve, reject) => {
        w.once('online', () => resolve());
        w.once('error', reject);
      });
      // between steps the idle worker must not keep the process alive (request() refs it)
      w.unref();
      return w;
    } catch {
      return null;
    }
  })();
  return pooled;
}

function request(worker: Worker, message: ToWorker, transfer: ArrayBuffer[] = []): Promise<FromWorker> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: FromWorker) => {
      cleanup();
      if (m.type === 'error') reject(new TinyserError('TOOLCHAIN', `training worker failed: ${m.message}`));
      else resolve(m);
    };
    const onError = (e: Error) => {
      cleanup();
      pooled = undefined;
      owner = null;
      reject(new TinyserError('TOOLCHAIN', `training worker crashed: ${e.message}`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.unref();
    };
    worker.ref();
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage(message, transfer);
  });
}

function slice(b: ShardBatch, from: number, to: number, per: number, classes: number): ShardBatch {
  return {
    x: b.x.slice(from * per, to * per),
    count: to - from,
    labels: b.labels.slice(from, to),
    weights: b.weights.slice(from, to),
    teacher: b.teacher ? b.teacher.slice(from * classes, to * classes) : null,
  };
}

export class DataParallelTrainer {
  private constructor(
    private readonly worker: Worker,
    private readonly logits: tfl.LayersModel,
    private readonly variables: tf.Variable[],
    private readonly optimizer: tf.Optimizer,
  ) {}

  /**
   * Starts (or reuses) the worker and loads `model` into it; null when no worker can run here
   * (then train on one thread). `logits` is the view of `model` whose output is the 'logits' layer.
   */
  static async create(model: tfl.LayersModel, logits: tfl.LayersModel, optimizer: tf.Optimizer): Promise<DataParallelTrainer | null> {
    const worker = await startWorker();
    if (!worker) return null;
    // Gradients are applied in the engine's variable registration order, as optimizer.minimize
    // does: Adam keeps its moments by position, so checkpoints stay interchangeable with 1 thread.
    const own = new Set(logits.trainableWeights.map((w) => (w.read() as tf.Variable).name));
    const byName = new Map(logits.trainableWeights.map((w) => [(w.read() as tf.Variable).name, w.read() as tf.Variable]));
    const order = Object.keys(tf.engine().registeredVariables).filter((n) => own.has(n));
    const variables = order.map((n) => byName.get(n)!);
    // the worker exchanges weights in its own layer order; send shapes in that order
    const layerOrder = logits.trainableWeights.map((w) => w.read() as tf.Variable);
    const trainer = new DataParallelTrainer(worker, logits, layerOrder, optimizer);
    trainer.applyOrder = variables;
    trainer.init = { type: 'init', topology: JSON.stringify(model.toJSON(null, false)), shapes: layerOrder.map((v) => v.shape) };
    try {
      await exclusive(() => trainer.loadIntoWorker());
    } catch {
      // a model the worker cannot rebuild (e.g. an unregistered custom layer): train on one thread
      return null;
    }
    return trainer;
  }

  private applyOrder: tf.Variable[] = [];
  private init: InitMessage | undefined;

  /** The pooled worker holds one model: (re)load ours when another trainer used it last. */
  private async loadIntoWorker(): Promise<void> {
    if (owner === this) return;
    const reply = await request(this.worker, this.init!);
    if (reply.type !== 'ready') throw new TinyserError('TOOLCHAIN', `training worker answered ${reply.type} to init`);
    owner = this;
  }

  /** Wall times of the last split step: main shard, worker shard (measured there), waiting, and
   * the serial part after both (gradient sum, Adam, moving statistics). */
  lastTimings = { mainMs: NaN, workerMs: NaN, waitMs: NaN, finishMs: NaN };
  /** tf.memory().numTensors in the worker after the last split step (a leak check) */
  lastWorkerTensors = NaN;

  /** One optimizer step on `batch`; returns the batch loss. */
  step(batch: ShardBatch, spec: Omit<ShardLossSpec, 'weightTotal' | 'countTotal'>): Promise<number> {
    // steps of concurrent runs in one process take turns on the one worker
    return exclusive(async () => {
      await this.loadIntoWorker();
      return this.stepExclusive(batch, spec);
    });
  }

  private async stepExclusive(batch: ShardBatch, spec: Omit<ShardLossSpec, 'weightTotal' | 'countTotal'>): Promise<number> {
    const full: ShardLossSpec = {
      ...spec,
      weightTotal: batch.weights.reduce((s, w) => s + w, 0),
      countTotal: batch.count,
    };
    const per = spec.frames * spec.bands;
    if (batch.count < MIN_SPLIT_BATCH) {
      const r = runShard(this.logits, this.variables, batch, full);
      this.finish(r.grads, null, r.statistics, null, 1);
      return r.loss;
    }
    const mainCount = Math.ceil(batch.count / 2);
    const mine = slice(batch, 0, mainCount, per, spec.numClasses);
    const theirs = slice(batch, mainCount, batch.count, per, spec.numClasses);
    const weights = new Float32Array(this.variables.reduce((s, v) => s + v.size, 0));
    let offset = 0;
    for (const v of this.variables) {
      weights.set(v.dataSync() as Float32Array, offset);
      offset += v.size;
    }
    const transfer = [weights.buffer, theirs.x.buffer, theirs.labels.buffer, theirs.weights.buffer];
    if (theirs.teacher) transfer.push(theirs.teacher.buffer);
    const pending = request(this.worker, { type: 'step', weights, batch: theirs, spec: full }, transfer as ArrayBuffer[]);
    // the worker computes while this thread runs its own half
    let local: ReturnType<typeof runShard>;
    const t0 = performance.now();
    try {
      local = runShard(this.logits, this.variables, mine, full);
      this.lastTimings = { mainMs: performance.now() - t0, workerMs: NaN, waitMs: 0, finishMs: NaN };
    } catch (e) {
      await pending.catch(() => undefined);
      throw e;
    }
    const remote = await pending.catch((e: unknown) => {
      tf.dispose(local.grads);
      throw e;
    });
    if (remote.type !== 'result') throw new TinyserError('TOOLCHAIN', `training worker answered ${remote.type} to a step`);
    this.lastTimings.workerMs = remote.computeMs;
    this.lastWorkerTensors = remote.workerTensors;
    this.lastTimings.waitMs = performance.now() - t0 - this.lastTimings.mainMs;
    const t1 = performance.now();
    this.finish(local.grads, remote.grads, local.statistics, remote.statistics, mainCount / batch.count);
    this.lastTimings.finishMs = performance.now() - t1;
    return local.loss + remote.loss;
  }

  /** Sums the shard gradients (main first), applies Adam and the averaged moving-statistics update. */
  private finish(localGrads: tf.Tensor[], remoteFlat: Float32Array | null, localStats: Float32Array[], remoteStats: Float32Array[] | null, localShare: number): void {
    const named: Record<string, tf.Tensor> = {};
    tf.tidy(() => {
      let offset = 0;
      const byName = new Map<string, tf.Tensor>();
      this.variables.forEach((v, i) => {
        let g = localGrads[i]!;
        if (remoteFlat) {
          g = tf.add(g, tf.tensor(remoteFlat.subarray(offset, offset + v.size), v.shape));
          offset += v.size;
        }
        byName.set(v.name, tf.keep(g));
      });
      for (const v of this.applyOrder) named[v.name] = byName.get(v.name)!;
      this.optimizer.applyGradients(named);
    });
    tf.dispose(Object.values(named));
    tf.dispose(localGrads);
    if (remoteStats && remoteStats.length !== localStats.length) {
      throw new TinyserError('TOOLCHAIN', `batch-norm statistics: main thread ${localStats.length / 2} layers, worker ${remoteStats.length / 2}`);
    }
    this.bnLayers ??= this.findBatchNormLayers();
    const layers = this.bnLayers;
    if (layers.length * 2 !== localStats.length) {
      throw new TinyserError('TOOLCHAIN', `batch-norm statistics for ${localStats.length / 2} calls, model has ${layers.length} BN layers`);
    }
    layers.forEach((layer, k) => {
      const { mean, variance, momentum } = movingStatistics(layer);
      for (const [variable, idx] of [[mean, 2 * k], [variance, 2 * k + 1]] as const) {
        const a = localStats[idx]!;
        const b = remoteStats?.[idx];
        const avg = b ? a.map((v, c) => localShare * v + (1 - localShare) * b[c]!) : a;
        tf.tidy(() => updateMovingAverage(variable, tf.tensor1d(avg), momentum));
      }
    });
  }

  private bnLayers: object[] | undefined;

  private findBatchNormLayers(): object[] {
    // call order = layer order for the sequential-style architectures tinyser trains
    return this.logits.layers.filter((l) => l.getClassName() === 'BatchNormalization');
  }
}

/** Threads to train with when the caller does not say: min(2, available cores). */
export function defaultTrainingThreads(): 1 | 2 {
  return os.availableParallelism() >= 2 ? 2 : 1;
}
