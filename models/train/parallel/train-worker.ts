/**
 * Worker side of data-parallel training: its own tfjs WASM instance with a copy of the model.
 * Per step it takes the current weights and a shard of the batch and returns the shard's loss,
 * gradients and batch-norm statistics. Entry point of the worker thread (bundled as
 * dist/train-worker.mjs for the CLI).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { parentPort } from 'node:worker_threads';
import { initWasmTraining } from '../wasm-backend.js';
import { runShard } from './half-batch.js';
import type { FromWorker, ToWorker } from './protocol.js';

let model: tfl.LayersModel | null = null;
let logits: tfl.LayersModel | null = null;
let variables: tf.Variable[] = [];

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'init') {
    await initWasmTraining();
    model?.dispose();
    model = await tfl.models.modelFromJSON({ modelTopology: JSON.parse(message.topology) as tf.io.ModelJSON['modelTopology'] });
    logits = tfl.model({ inputs: model.inputs, outputs: model.getLayer('logits').output as tfl.SymbolicTensor });
    variables = logits.trainableWeights.map((w) => w.read() as tf.Variable);
    const shapes = variables.map((v) => v.shape);
    if (JSON.stringify(shapes) !== JSON.stringify(message.shapes)) {
      throw new Error(`worker model has trainable shapes ${JSON.stringify(shapes)}, main thread ${JSON.stringify(message.shapes)}`);
    }
    send({ type: 'ready' });
  } else if (message.type === 'step') {
    if (!logits) throw new Error('step before init');
    const t0 = performance.now();
    let offset = 0;
    for (const v of variables) {
      const size = v.size;
      tf.tidy(() => v.assign(tf.tensor(message.weights.subarray(offset, offset + size), v.shape)));
      offset += size;
    }
    const r = runShard(logits, variables, message.batch, message.spec);
    const total = r.grads.reduce((s, g) => s + g.size, 0);
    const flat = new Float32Array(total);
    offset = 0;
    for (const g of r.grads) {
      flat.set(g.dataSync() as Float32Array, offset);
      offset += g.size;
    }
    tf.dispose(r.grads);
    const workerTensors = tf.memory().numTensors;
    send({ type: 'result', loss: r.loss, grads: flat, statistics: r.statistics, computeMs: performance.now() - t0, workerTensors }, [flat.buffer]);
  } else {
    model?.dispose();
    model = logits = null;
    process.exit(0);
  }
}

parentPort!.on('message', (message: ToWorker) => {
  handle(message).catch((e: unknown) => send({ type: 'error', message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) }));
});
