/**
 * TF.js Layers import: models built with @tensorflow/tfjs-layers (what the training helper
 * produces), saved in memory with tf.io.withSaveHandler and also as model.json + weights.bin,
 * imported, and compared with tfjs's own predict(); then compiled to int8.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../compiler/compile.js';
import { importTfjsArtifacts, importTfjsModelFile, type TfjsArtifacts } from '../../compiler/import/tfjs/import-tfjs.js';
import { evaluateGraphFloat64 } from '../../compiler/ir/evaluate-float64.js';
import { UnsupportedOpError } from '../../compiler/errors.js';
import { compareOpByOp, quantizeInt8 } from '../../compiler/verify/agreement.js';
import { artifactsOf, seededInputs } from './tfjs-helpers.js';

let sequential: tfl.LayersModel;
let functional: tfl.LayersModel;

beforeAll(async () => {
  await tf.setBackend('cpu');
  tf.randomUniform([1]).dispose();
  sequential = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [16, 10, 1], filters: 6, kernelSize: 3, padding: 'same' }),
      tfl.layers.batchNormalization({ epsilon: 1e-3 }),
      tfl.layers.activation({ activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthMultiplier: 2 }),
      tfl.layers.reLU({ maxValue: 6 }),
      tfl.layers.separableConv2d({ filters: 8, kernelSize: 3, padding: 'valid', activation: 'relu' }),
      tfl.layers.averagePooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dropout({ rate: 0.2 }),
      tfl.layers.dense({ units: 4, activation: 'softmax' }),
    ],
  });
  // give BatchNormalization non-trivial statistics
  const bn = sequential.layers[1];
  bn.setWeights(bn.getWeights().map((w, i) => tf.tensor1d(Array.from({ length: w.shape[0]! }, (_, c) => [1 + 0.1 * c, 0.05 * c, 0.2 - 0.03 * c, 0.5 + 0.1 * c][i]))));
  const inp = tfl.input({ shape: [12, 8, 2] });
  const a = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(inp) as tfl.SymbolicTensor;
  const b = tfl.layers.conv2d({ filters: 4, kernelSize: 1, padding: 'same' }).apply(a) as tfl.SymbolicTensor;
  const sum = tfl.layers.add().apply([a, b]) as tfl.SymbolicTensor;
  const cat = tfl.layers.concatenate().apply([sum, a]) as tfl.SymbolicTensor;
  const act = tfl.layers.activation({ activation: 'relu' }).apply(cat) as tfl.SymbolicTensor;
  const gap = tfl.layers.globalAveragePooling2d({}).apply(act) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: 3 }).apply(gap) as tfl.SymbolicTensor;
  functional = tfl.model({ inputs: inp, outputs: out });
});

describe('TF.js Layers import', () => {
  it('sequential model (Conv2D, BN, Activation, pools, DepthwiseConv2D, ReLU6, SeparableConv2D, Dense softmax) matches predict()', async () => {
    const g = importTfjsArtifacts(await artifactsOf(sequential), 'seq');
    for (const x of seededInputs(5, 160, 3)) {
      const want = (sequential.predict(tf.tensor4d(x, [1, 16, 10, 1])) as tf.Tensor).dataSync();
      const got = evaluateGraphFloat64(g, [x]).outputs[0].data;
      expect(got.length).toBe(4);
      for (let i = 0; i < 4; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5);
    }
  });

  it('functional model (Add, Concatenate, Activation, GlobalAveragePooling2D) from model.json + weights.bin', async () => {
    const art = await artifactsOf(functional);
    const dir = mkdtempSync(path.join(tmpdir(), 'tinyser-tfjs-'));
    writeFileSync(path.join(dir, 'weights.bin'), new Uint8Array(art.weightData as ArrayBuffer));
    writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: art.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: art.weightSpecs }] }));
    const g = importTfjsModelFile(path.join(dir, 'model.json'));
    for (const x of seededInputs(4, 12 * 8 * 2, 9)) {
      const want = (functional.predict(tf.tensor4d(x, [1, 12, 8, 2])) as tf.Tensor).dataSync();
      const got = evaluateGraphFloat64(g, [x]).outputs[0].data;
      for (let i = 0; i < 3; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5);
    }
  });

  it('compiles the sequential model; op by op, tfjs-tflite and the interpreter agree within 1 LSB', async (ctx) => {
    const g = importTfjsArtifacts(await artifactsOf(sequential), 'seq');
    const calib = seededInputs(40, 160, 5).map((x) => [x]);
    const r = await compileGraph(g, { calibration: calib, evaluation: calib.slice(0, 20) });
    expect(r.report.agreement!.meanCosineVsFloat).toBeGreaterThan(0.98);
    const xs = seededInputs(30, 160, 77).map((x) => quantizeInt8(x, r.report.input.scale, r.report.input.zeroPoint));
    const cmp = await compareOpByOp(r.int8Graph, xs);
    if (!cmp.ok) {
      ctx.skip(`interpreter cannot run this model yet: ${cmp.reason}`);
      return;
    }
    expect(cmp.layers.map((l) => l.op)).toEqual(r.int8Graph.nodes.map((n) => n.op));
    for (const l of cmp.layers) {
      expect(l.maxAbsDiff, `${l.node} (${l.op})`).toBeLessThanOrEqual(1);
      // near-tie rounding differences only; a wrong scale / zero point would shift most values
      expect(l.equalFraction, `${l.node} (${l.op})`).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('an unsupported layer names the layer and lists the supported ones', () => {
    const art: TfjsArtifacts = {
      modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'LSTM', config: { name: 'lstm_1', units: 4, batch_input_shape: [null, 5, 3] } }] } },
      weightSpecs: [],
      weightData: new ArrayBuffer(0),
    };
    expect(() => importTfjsArtifacts(art)).toThrow(UnsupportedOpError);
    expect(() => importTfjsArtifacts(art)).toThrow(/LSTM.*lstm_1.*Conv2D/);
  });
});
