/**
 * Contract-4 self-check of generated C on the host: build it with gcc, run inputs through it and
 * through the TS interpreter, and compare every op output tensor byte for byte. Used by
 * `tinyser codegen --verify` (and usable from any build script before flashing).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterpreter, type TfliteModel } from '../../../runtime-sim/interpreter/index.js';
import type { GeneratedModelC } from './generate-c.js';
import { buildHostRunner, runHostRunner } from './host-runner.js';

export interface GeneratedCMismatch { input: number; tensor: number; name: string; differingBytes: number }

export interface GeneratedCVerification {
  inputs: number;
  tensorsCompared: number;
  mismatches: GeneratedCMismatch[];
  bitExact: boolean;
}

/** Seeded int8 inputs: the input zero point everywhere, then uniform random bytes. */
export function seededInputs(bytes: number, zeroPoint: number, count: number, seed = 20261123): Uint8Array[] {
  let s = seed >>> 0;
  const next = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24);
  const out: Uint8Array[] = [new Uint8Array(bytes).fill(zeroPoint & 0xff)];
  for (let k = 1; k < count; k++) out.push(Uint8Array.from({ length: bytes }, next));
  return out;
}

export function verifyGeneratedC(model: TfliteModel, gen: GeneratedModelC, inputs: Uint8Array[], opts: { cc?: string } = {}): GeneratedCVerification {
  const dir = mkdtempSync(path.join(tmpdir(), 'tinyser-codegen-verify-'));
  try {
    const exe = buildHostRunner(gen, dir, { cc: opts.cc });
    const runs = runHostRunner(exe, inputs, true);
    const it = createInterpreter(model);
    const mismatches: GeneratedCMismatch[] = [];
    let compared = 0;
    inputs.forEach((x, k) => {
      it.setInput(0, x);
      const dump = it.invoke({ dumpAll: true })!;
      for (const r of runs[k] ?? []) {
        const want = r.index < 0 ? it.output(0).bytes : dump.get(r.index)?.bytes;
        compared++;
        let diff = want && want.length === r.bytes.length ? 0 : Math.max(r.bytes.length, want?.length ?? 0);
        if (!diff) for (let i = 0; i < r.bytes.length; i++) if (r.bytes[i] !== want![i]) diff++;
        if (diff) mismatches.push({ input: k, tensor: r.index, name: r.index < 0 ? 'output 0' : dump.get(r.index)?.name ?? '?', differingBytes: diff });
      }
    });
    return { inputs: inputs.length, tensorsCompared: compared, mismatches, bitExact: mismatches.length === 0 && compared === inputs.length * (gen.ops.length + 1) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
