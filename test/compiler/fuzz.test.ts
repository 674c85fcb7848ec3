/**
 * Robustness: >= 1,000 seeded mutations of an ONNX fixture, bad TF.js JSON and bad calibration
 * files must only ever raise typed errors (TinyserError with MODEL_FORMAT / UNSUPPORTED_OP /
 * USAGE), never crash with an untyped exception; mutants that still import must compile.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TinyserError } from '../../common/errors.js';
import { compileGraph } from '../../compiler/compile.js';
import { importOnnx } from '../../compiler/import/onnx/import-onnx.js';
import { importTfjsArtifacts } from '../../compiler/import/tfjs/import-tfjs.js';
import { optimizeGraph } from '../../compiler/passes/index.js';
import { loadCalibration } from '../../compiler/quantize/calibration-source.js';
import { calibrationSet, onnxBytes } from './fixtures.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const kind = Math.floor(r() * 5);
  const b = Uint8Array.from(src);
  const pos = Math.floor(r() * b.length);
  switch (kind) {
    case 0: // flip a few random bytes
      for (let k = 0; k < 1 + Math.floor(r() * 8); k++) b[Math.floor(r() * b.length)] ^= 1 + Math.floor(r() * 255);
      return b;
    case 1: // truncate
      return b.slice(0, pos);
    case 2: {
      // insert random bytes
      const ins = Uint8Array.from({ length: 1 + Math.floor(r() * 16) }, () => Math.floor(r() * 256));
      const out = new Uint8Array(b.length + ins.length);
      out.set(b.subarray(0, pos));
      out.set(ins, pos);
      out.set(b.subarray(pos), pos + ins.length);
      return out;
    }
    case 3: // small varint-ish values bumped (dims, attributes, enum fields)
      for (let k = 0; k < 3; k++) {
        const p = Math.floor(r() * b.length);
        if (b[p] < 0x80) b[p] = (b[p] + 1 + Math.floor(r() * 4)) & 0x7f;
      }
      return b;
    default: // duplicate a chunk
      return new Uint8Array([...b.subarray(0, pos), ...b.subarray(Math.floor(r() * b.length)).subarray(0, 64), ...b.subarray(pos)]);
  }
}

const TYPED = new Set(['MODEL_FORMAT', 'UNSUPPORTED_OP', 'USAGE', 'INPUT']);

function expectTyped(e: unknown, what: string): void {
  if (!(e instanceof TinyserError)) throw new Error(`${what}: untyped ${(e as Error)?.stack ?? String(e)}`);
  expect(TYPED.has(e.code)).toBe(true);
  expect(e.message.length).toBeGreaterThan(10);
}

describe('fuzzed ONNX', () => {
  it('1,200 mutations of ds_cnn.onnx: typed errors only; surviving mutants compile', async () => {
    const src = onnxBytes('ds_cnn');
    const r = rng(20251123);
    const calib = calibrationSet().slice(0, 2);
    let typed = 0;
    let imported = 0;
    let compiled = 0;
    for (let i = 0; i < 1200; i++) {
      const bytes = mutate(src, r);
      try {
        const g = optimizeGraph(importOnnx(bytes, { source: `mutant${i}.onnx` }));
        imported++;
        if (compiled < 4 && g.inputs.length === 1 && g.tensors.get(g.inputs[0])!.shape.join() === '1,49,40,1') {
          try {
            const res = await compileGraph(g, { calibration: calib, verify: false });
            expect(res.tflite.length).toBeGreaterThan(1000);
            compiled++;
          } catch (e) {
            expectTyped(e, `compile of mutant ${i}`);
          }
        }
      } catch (e) {
        expectTyped(e, `mutant ${i}`);
        typed++;
      }
    }
    expect(typed + imported).toBe(1200);
    // the mutator really breaks models (and some survive to exercise the later stages)
    expect(typed).toBeGreaterThan(300);
    expect(compiled).toBeGreaterThan(0);
  });
});

describe('bad inputs', () => {
  it('malformed TF.js topologies raise typed errors', () => {
    const cases: unknown[] = [
      {},
      { class_name: 'Sequential' },
      { class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { name: 'd', units: 3 } }] } },
      { class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { name: 'd', units: 3, batch_input_shape: [null, 4] } }] } },
      { class_name: 'Model', config: { layers: [{ class_name: 'Dense', config: { name: 'd' }, inbound_nodes: [[['nope', 0, 0, {}]]] }] } },
      { class_name: 'Sequential', config: { layers: [{ class_name: 'Conv2D', config: { name: 'c', batch_input_shape: [null, 4, 4, 1], strides: 'x' } }] } },
    ];
    for (const [i, topo] of cases.entries()) {
      try {
        importTfjsArtifacts({ modelTopology: topo, weightSpecs: [{ name: 'd/kernel', shape: [4, 3] }], weightData: new ArrayBuffer(8) });
        throw new Error(`case ${i} did not fail`);
      } catch (e) {
        expectTyped(e, `tfjs case ${i}`);
      }
    }
  });

  it('bad calibration files raise typed errors', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tinyser-calib-'));
    const files: [string, Uint8Array | string][] = [
      ['short.f32', new Uint8Array(10)],
      ['wrong-size.f32', new Uint8Array(4 * 7)],
      ['bad.json', '{"a": '],
      ['strings.json', '[["a", "b"]]'],
      ['fake.npy', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])],
      ['data.xyz', 'hello'],
      ['voice.wav', new Uint8Array(44)],
    ];
    for (const [name, content] of files) {
      const p = path.join(dir, name);
      writeFileSync(p, content);
      await loadCalibration(p, 1960).then(
        () => {
          throw new Error(`${name} did not fail`);
        },
        (e: unknown) => expectTyped(e, name),
      );
    }
    await loadCalibration(path.join(dir, 'missing.f32'), 1960).catch((e: unknown) => expectTyped(e, 'missing'));
    await expect(loadCalibration(path.join(dir, 'missing.f32'), 1960)).rejects.toBeInstanceOf(TinyserError);
  });
});
