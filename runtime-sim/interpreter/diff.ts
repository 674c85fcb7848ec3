/**
 * Layer-by-layer comparison of two runs (int8 vs float, simulator vs device, simulator vs another
 * runtime). Tensors are matched by index (same model) or by name (two different models of the
 * same network, e.g. float and int8 exports).
 */
import type { RunDump, TensorDump } from './interpreter.js';

export interface LayerDiff {
  /** Index in run `a` (and `b` when matched by index). */
  index: number;
  indexB: number;
  name: string;
  elements: number;
  /** Element counts differ: the other figures are not computed. */
  shapeMismatch: boolean;
  /** Raw values equal element for element (same type and bytes). */
  bitExact: boolean;
  /** Elements whose raw values differ. */
  differing: number;
  /** Max |a - b| over raw (quantized) values; NaN when the types differ. */
  maxAbsDiffRaw: number;
  /** Max |a - b| over dequantized values. */
  maxAbsDiff: number;
  /** 10 log10(sum a^2 / sum (a - b)^2) over dequantized values, `a` as the reference; Infinity when equal. */
  snrDb: number;
}

export interface DiffOptions {
  by?: 'index' | 'name';
}

function rawValues(t: TensorDump): Float64Array {
  const view = new DataView(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength);
  const n = t.values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    switch (t.type) {
      case 'int8': out[i] = view.getInt8(i); break;
      case 'uint8': case 'bool': out[i] = view.getUint8(i); break;
      case 'int16': out[i] = view.getInt16(2 * i, true); break;
      case 'int32': out[i] = view.getInt32(4 * i, true); break;
      case 'float32': out[i] = view.getFloat32(4 * i, true); break;
      default: out[i] = t.values[i]!;
    }
  }
  return out;
}

export function diffTensors(a: TensorDump, b: TensorDump): LayerDiff {
  const base = { index: a.index, indexB: b.index, name: a.name, elements: a.values.length };
  if (a.values.length !== b.values.length) {
    return { ...base, shapeMismatch: true, bitExact: false, differing: NaN, maxAbsDiffRaw: NaN, maxAbsDiff: NaN, snrDb: NaN };
  }
  const sameType = a.type === b.type;
  const ra = sameType ? rawValues(a) : null;
  const rb = sameType ? rawValues(b) : null;
  let differing = 0, maxRaw = sameType ? 0 : NaN, maxDeq = 0, sig = 0, noise = 0;
  for (let i = 0; i < a.values.length; i++) {
    if (ra && rb) {
      const dr = Math.abs(ra[i]! - rb[i]!);
      if (dr !== 0) differing++;
      if (dr > maxRaw) maxRaw = dr;
    }
    const va = a.values[i]!, vb = b.values[i]!;
    const d = Math.abs(va - vb);
    if (!ra && d !== 0) differing++;
    if (d > maxDeq) maxDeq = d;
    sig += va * va;
    noise += (va - vb) * (va - vb);
  }
  const snrDb = noise === 0 ? Infinity : 10 * Math.log10(sig / noise);
  return { ...base, shapeMismatch: false, bitExact: sameType && differing === 0, differing, maxAbsDiffRaw: maxRaw, maxAbsDiff: maxDeq, snrDb };
}

/** Compares every tensor present in both runs; tensors only in one run are skipped. */
export function diffRuns(a: RunDump, b: RunDump, opts: DiffOptions = {}): LayerDiff[] {
  const out: LayerDiff[] = [];
  if ((opts.by ?? 'index') === 'index') {
    for (const [idx, ta] of a) {
      const tb = b.get(idx);
      if (tb) out.push(diffTensors(ta, tb));
    }
  } else {
    const byName = new Map<string, TensorDump>();
    for (const tb of b.values()) if (tb.name) byName.set(tb.name, tb);
    for (const ta of a.values()) {
      const tb = byName.get(ta.name);
      if (tb) out.push(diffTensors(ta, tb));
    }
  }
  return out;
}
