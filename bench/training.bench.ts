/**
 * Training throughput of DS-CNN S (22.7k params, 21.7 M MACs) on 3 s inputs [300, 40, 1], batch 32,
 * Adam, on the tfjs WASM backend with tinyser's gradient kernels, beside PyTorch's 370 examples/s
 * (goal >= 120). Also a per-kernel breakdown of one step.
 *
 * With TINYSER_BENCH_RAVDESS=1 and ../shared/datasets/ravdess-4class-16k present, it also trains
 * on RAVDESS (actors 01-16 train, 17-20 val) for seeds 0, 1, 2 and reports validation UA (goal
 * >= 0.65, mean of 3 seeds). That takes tens of minutes; it is off by default.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildArchitecture } from '../models/architectures/registry.js';
import { countModel } from '../models/architectures/counts.js';
import { weightedCrossEntropy } from '../models/train/losses.js';
import { runTraining } from '../models/train/run-training.js';
import { initWasmTraining } from '../models/train/wasm-backend.js';

const PYTORCH_EXAMPLES_PER_SECOND = 370;
const GOAL = 120;

async function throughput(batch: number, steps: number): Promise<{ perStep: number[]; cpuPerStep: number[]; kernels: Array<[string, number]> }> {
  const model = buildArchitecture('ds-cnn-s', { inputShape: [300, 40, 1], numClasses: 4, seed: 1 });
  const logits = tfl.model({ inputs: model.inputs, outputs: model.getLayer('logits').output as tfl.SymbolicTensor });
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomNormal([batch, 300, 40, 1], 0, 1, 'float32', 5);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 4), 'int32'), 4);
  const yf = tf.cast(y, 'float32') as tf.Tensor2D;
  const w = tf.ones([batch]) as tf.Tensor1D;
  const step = () => {
    const cost = optimizer.minimize(() => weightedCrossEntropy(logits.apply(x, { training: true }) as tf.Tensor2D, yf, w), true);
    cost!.dataSync();
    cost!.dispose();
  };
  step(); // warm-up: XNNPACK operator creation, weight packing
  const perStep: number[] = [];
  const cpuPerStep: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    step();
    const c = process.cpuUsage(c0);
    perStep.push(performance.now() - t0);
    // CPU time of this process: on a shared machine wall time mostly measures the other jobs
    cpuPerStep.push((c.user + c.system) / 1000);
  }
  const prof = await tf.profile(step);
  const byKernel = new Map<string, number>();
  for (const k of prof.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs));
  tf.dispose([x, y, yf, w]);
  optimizer.dispose();
  model.dispose();
  return { perStep, cpuPerStep, kernels: [...byKernel.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8) };
}

export default async function bench(): Promise<void> {
  const info = await initWasmTraining();
  const counts = countModel(buildArchitecture('ds-cnn-s', { inputShape: [300, 40, 1], numClasses: 4 }));
  console.log(
    `backend ${info.backend} (SIMD ${info.simd}, threads ${info.threads}: Node has no blob: workers, so the threaded build cannot start); ` +
      `load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')} on ${os.cpus().length} cores`,
  );
  console.log(`DS-CNN S: ${counts.trainableParams} params, ${(counts.macs / 1e6).toFixed(2)} M MACs per example on [300, 40, 1]`);
  const batch = 32;
  const { perStep, cpuPerStep, kernels } = await throughput(batch, 5);
  const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  const eps = (ms: number) => (batch * 1000) / ms;
  console.log(
    `training, batch ${batch}: wall ${med(perStep).toFixed(0)} ms/step = ${eps(med(perStep)).toFixed(1)} examples/s; ` +
      `CPU ${med(cpuPerStep).toFixed(0)} ms/step = ${eps(med(cpuPerStep)).toFixed(1)} examples per CPU-second (one core); ` +
      `PyTorch reference ${PYTORCH_EXAMPLES_PER_SECOND} examples/s; goal >= ${GOAL}`,
  );
  console.log(`one step by kernel (ms): ${kernels.map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);

  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const ravdess = path.join(path.resolve(repoRoot, '../shared'), 'datasets', 'ravdess-4class-16k');
  if (!process.env.TINYSER_BENCH_RAVDESS) {
    console.log('RAVDESS run skipped (set TINYSER_BENCH_RAVDESS=1 to train 3 seeds; tens of minutes)');
    return;
  }
  if (!existsSync(ravdess)) {
    console.log(`RAVDESS run skipped: ${ravdess} is absent`);
    return;
  }
  const uas: number[] = [];
  for (const seed of [0, 1, 2]) {
    const r = await runTraining({
      data: ravdess,
      out: path.join(os.tmpdir(), `tinyser-bench-ravdess-${seed}`),
      seed,
      cacheDir: path.join(os.tmpdir(), 'tinyser-bench-features'),
      train: { arch: 'ds-cnn-s', seed, epochs: 25, patience: 6 },
    });
    uas.push(r.val.ua);
    console.log(`RAVDESS seed ${seed}: val UA ${r.val.ua.toFixed(3)}, WA ${r.val.wa.toFixed(3)}, best epoch ${r.bestEpoch}/${r.epochsCompleted}`);
  }
  const mean = uas.reduce((a, b) => a + b, 0) / uas.length;
  console.log(`RAVDESS DS-CNN S val UA mean of 3 seeds: ${mean.toFixed(3)} (goal >= 0.65)`);
}
