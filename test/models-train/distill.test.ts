/**
 * Distillation machinery: the ONNX teacher runs through onnxruntime-node with the student's
 * features and gives exactly the logits its graph defines; probabilities are recognised and turned
 * into log-probabilities; soft labels are cached; the KD loss matches a hand computation; and a
 * distilled student trains (beats chance) with the teacher's soft labels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { cachedTeacherLogits, loadTeacher } from '../../models/distill/teacher.js';
import { looksLikeProbabilities } from '../../models/distill/onnx-teacher.js';
import { distillationKl } from '../../models/train/losses.js';
import { trainClassifier } from '../../models/train/trainer.js';
import { initWasmTraining } from '../../models/train/wasm-backend.js';
import { syntheticFeatureSet } from './synthetic-features.js';

const { onnx } = onnxProto as unknown as { onnx: typeof import('onnx-proto').onnx };
const classNames = ['neutral', 'happy', 'sad', 'angry'];
const frames = 40;
const bands = 16;
const train = syntheticFeatureSet({ speakers: ['s1', 's2', 's3', 's4', 's5', 's6'], perSpeakerPerClass: 6, frames, bands, classNames, seed: 11 });
const val = syntheticFeatureSet({ speakers: ['v1', 'v2'], perSpeakerPerClass: 6, frames, bands, classNames, seed: 12 });

/** Teacher: mean over time -> dense W (band group c votes for class c) -> optional softmax. */
function teacherWeights(): Float32Array {
  const w = new Float32Array(bands * 4);
  for (let b = 0; b < bands; b++) w[b * 4 + Math.floor((b * 4) / bands)] = 3;
  return w;
}

function writeTeacher(file: string, softmax: boolean): void {
  const W = teacherWeights();
  const B = new Float32Array(4);
  const f = onnx.TensorProto.DataType.FLOAT;
  const nodes = [
    onnx.NodeProto.create({
      opType: 'ReduceMean',
      input: ['features'],
      output: ['pooled'],
      attribute: [
        { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1, 3] },
        { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 },
      ],
    }),
    onnx.NodeProto.create({ opType: 'Gemm', input: ['pooled', 'W', 'B'], output: softmax ? ['logits'] : ['out'] }),
  ];
  if (softmax) nodes.push(onnx.NodeProto.create({ opType: 'Softmax', input: ['logits'], output: ['out'], attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] }));
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: onnx.GraphProto.create({
      name: 'teacher',
      input: [onnx.ValueInfoProto.create({ name: 'features', type: { tensorType: { elemType: f, shape: { dim: [{ dimParam: 'N' }, { dimValue: frames }, { dimValue: bands }, { dimValue: 1 }] } } } })],
      output: [onnx.ValueInfoProto.create({ name: 'out', type: { tensorType: { elemType: f, shape: { dim: [{ dimParam: 'N' }, { dimValue: 4 }] } } } })],
      initializer: [
        onnx.TensorProto.create({ name: 'W', dims: [bands, 4], dataType: f, rawData: new Uint8Array(W.buffer) }),
        onnx.TensorProto.create({ name: 'B', dims: [4], dataType: f, rawData: new Uint8Array(B.buffer) }),
      ],
      node: nodes,
    }),
  });
  writeFileSync(file, onnx.ModelProto.encode(model).finish());
}

function expectedLogits(set: typeof train): Float32Array {
  const W = teacherWeights();
  const out = new Float32Array(set.labels.length * 4);
  for (let n = 0; n < set.labels.length; n++) {
    for (let b = 0; b < bands; b++) {
      let m = 0;
      for (let t = 0; t < frames; t++) m += set.x[(n * frames + t) * bands + b]!;
      m /= frames;
      for (let c = 0; c < 4; c++) out[n * 4 + c] += m * W[b * 4 + c]!;
    }
  }
  return out;
}

let tmp: string;
beforeAll(async () => {
  await initWasmTraining();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tinyser-distill-'));
  writeTeacher(path.join(tmp, 'teacher.onnx'), false);
  writeTeacher(path.join(tmp, 'teacher-probs.onnx'), true);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('distillation', () => {
  it('runs an ONNX teacher on the student features and caches its soft labels', async () => {
    const teacher = await loadTeacher(path.join(tmp, 'teacher.onnx'));
    const cache = path.join(tmp, 'cache');
    const first = await cachedTeacherLogits(teacher, train, 'fe-hash', cache);
    const again = await cachedTeacherLogits(teacher, train, 'fe-hash', cache);
    await teacher.dispose();
    expect(first.cacheHit).toBe(false);
    expect(again.cacheHit).toBe(true);
    expect(Array.from(again.logits)).toEqual(Array.from(first.logits));
    const want = expectedLogits(train);
    for (let i = 0; i < want.length; i++) expect(first.logits[i]).toBeCloseTo(want[i]!, 4);
  });

  it('turns a probability-output teacher into log-probabilities (same softmax)', async () => {
    const teacher = await loadTeacher(path.join(tmp, 'teacher-probs.onnx'));
    const logits = await teacher.logits(val);
    await teacher.dispose();
    expect(looksLikeProbabilities(logits, 4)).toBe(false);
    const want = expectedLogits(val);
    const soft = (v: Float32Array, r: number) => {
      const row = Array.from(v.subarray(r * 4, r * 4 + 4));
      const m = Math.max(...row);
      const e = row.map((x) => Math.exp(x - m));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((x) => x / s);
    };
    for (let r = 0; r < val.labels.length; r++) {
      const a = soft(logits, r);
      const b = soft(want, r);
      for (let k = 0; k < 4; k++) expect(a[k]).toBeCloseTo(b[k]!, 4);
    }
  });

  it('rejects a teacher whose input does not take the student features', async () => {
    const teacher = await loadTeacher(path.join(tmp, 'teacher.onnx'));
    const other = syntheticFeatureSet({ speakers: ['x'], perSpeakerPerClass: 1, frames: frames + 1, bands, classNames, seed: 1 });
    await expect(teacher.logits(other)).rejects.toThrow(/does not take the student's features/);
    await teacher.dispose();
  });

  it('KD loss = T^2 * KL(teacher_T || student_T), by hand', () => {
    const s = [1, 0, -1];
    const t = [0.5, 2, 0];
    const T = 2;
    const sm = (v: number[]) => {
      const e = v.map((x) => Math.exp(x / T));
      const z = e.reduce((a, b) => a + b, 0);
      return e.map((x) => x / z);
    };
    const ps = sm(s);
    const pt = sm(t);
    const kl = pt.reduce((acc, p, i) => acc + p * Math.log(p / ps[i]!), 0) * T * T;
    const got = tf.tidy(() => distillationKl(tf.tensor2d([s]), tf.tensor2d([t]), T).dataSync()[0]!);
    expect(got).toBeCloseTo(kl, 5);
  });

  it('a student distilled from the teacher beats chance on held-out speakers', async () => {
    const teacher = await loadTeacher(path.join(tmp, 'teacher.onnx'));
    const soft = await teacher.logits(train);
    await teacher.dispose();
    const result = await trainClassifier(
      { train, val },
      { arch: 'small-cnn', epochs: 5, batchSize: 16, learningRate: 3e-3, seed: 3, patience: 10, distill: { teacherLogits: soft, temperature: 4, alpha: 0.7 } },
    );
    expect(result.history.every((h) => Number.isFinite(h.loss))).toBe(true);
    expect(result.bestValUA).toBeGreaterThan(0.5);
    result.model.dispose();
  });
});
