/**
 * Structure fuzzing of the .tflite reader and interpreter: seeded mutations (bit flips, byte
 * overwrites, truncations, u32 offset overwrites) of the six golden models and a hand-built one.
 * Every outcome must be success or a typed TinyserError (ModelFormatError / UnsupportedOpError /
 * input errors), never a RangeError/TypeError or a hang. Mutations target mostly the flatbuffer
 * structure (everything but constant weight data); small models are also invoked once.
 */
import { describe, expect, it } from 'vitest';
import { TinyserError } from '../../common/errors.js';
import { createInterpreter, loadTfliteModel } from '../../runtime-sim/interpreter/index.js';
import { GOLDEN_MODELS, haveGolden, readGoldenModel, readManifest } from './golden-paths.js';
import { tinyFullyConnectedModel, tinyMultiOpModel } from './tflite-builder.js';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Subject {
  name: string;
  bytes: Uint8Array;
  /** Byte positions outside constant buffer payloads (the structure worth mutating). */
  structure: number[];
  invoke: boolean;
}

function structurePositions(bytes: Uint8Array): number[] {
  const model = loadTfliteModel(bytes);
  const isData = new Uint8Array(bytes.length);
  for (const b of model.buffers) {
    if (!b || b.length < 64) continue;
    const start = b.byteOffset - bytes.byteOffset;
    isData.fill(1, start, start + b.length);
  }
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) if (!isData[i]) out.push(i);
  return out;
}

const SMALL = new Set(['tiny_fc', 'tiny_multi_op', 'hello_world_int8', 'micro_speech_quantized', 'keyword_scrambled_8bit', 'trained_lstm_int8']);

function subjects(): Subject[] {
  const list: { name: string; bytes: Uint8Array }[] = [
    { name: 'tiny_fc', bytes: tinyFullyConnectedModel() },
    { name: 'tiny_multi_op', bytes: tinyMultiOpModel() },
  ];
  if (haveGolden) for (const m of GOLDEN_MODELS) list.push({ name: m, bytes: readGoldenModel(readManifest(m)) });
  return list.map((s) => ({ ...s, structure: structurePositions(s.bytes), invoke: SMALL.has(s.name) }));
}

const INTERESTING_U32 = [0, 1, 2, 3, 4, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffc, 0x10000, 0x7fff];

function mutate(rnd: () => number, s: Subject): Uint8Array {
  const b = s.bytes.slice();
  const pick = (): number => (rnd() < 0.85 ? s.structure[Math.floor(rnd() * s.structure.length)]! : Math.floor(rnd() * b.length));
  const kind = rnd();
  if (kind < 0.1) return b.subarray(0, Math.floor(rnd() * b.length)); // truncation
  const n = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < n; k++) {
    const p = pick();
    if (kind < 0.45) b[p] ^= 1 << Math.floor(rnd() * 8); // bit flip
    else if (kind < 0.7) b[p] = Math.floor(rnd() * 256); // byte overwrite
    else {
      const at = Math.min(p & ~3, b.length - 4); // u32 overwrite (offsets, lengths, vtable sizes)
      const v = rnd() < 0.5 ? INTERESTING_U32[Math.floor(rnd() * INTERESTING_U32.length)]! : Math.floor(rnd() * b.length);
      new DataView(b.buffer).setUint32(at, v >>> 0, true);
    }
  }
  return b;
}

describe('fuzzed .tflite files fail only with typed errors', () => {
  it('5,000+ seeded mutations: load, prepare and a bounded invoke', () => {
    const subs = subjects();
    const perSubject = Math.ceil(5000 / subs.length);
    const outcomes = { ok: 0, modelFormat: 0, unsupported: 0, otherTyped: 0 };
    let total = 0;
    subs.forEach((s, si) => {
      const rnd = mulberry32(0x5eed0000 + si);
      for (let k = 0; k < perSubject; k++) {
        const bytes = mutate(rnd, s);
        total++;
        try {
          const model = loadTfliteModel(bytes, `${s.name}#${k}`);
          const interp = createInterpreter(model, { maxTensorBytes: 4 << 20 });
          if (s.invoke && interp.inputs.length > 0) {
            interp.setInput(0, new Uint8Array(interp.inputs[0]!.byteLength));
            interp.invoke();
          }
          outcomes.ok++;
        } catch (e) {
          if (!(e instanceof TinyserError)) {
            throw new Error(`${s.name} mutation ${k} (seed ${0x5eed0000 + si}) threw ${(e as Error)?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack}`);
          }
          if (e.code === 'MODEL_FORMAT') outcomes.modelFormat++;
          else if (e.code === 'UNSUPPORTED_OP') outcomes.unsupported++;
          else outcomes.otherTyped++;
        }
      }
    });
    expect(total).toBeGreaterThanOrEqual(haveGolden ? 5000 : perSubject);
    // Both paths must be exercised, or the mutations are not reaching the structure.
    expect(outcomes.modelFormat).toBeGreaterThan(total / 20);
    expect(outcomes.ok).toBeGreaterThan(0);
  }, 120_000);
});
