import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../compiler/import/onnx/import-onnx.js';
import { optimizeGraph } from '../../compiler/passes/index.js';
import { quantizeGraph } from '../../compiler/quantize/quantize.js';
import { ARENA_ALIGNMENT, alignUp, lifetimesFromGraph, lowerBound, planArena, type ArenaPlan, type PlanTensor } from '../../compiler/writers/planner.js';
import { calibrationSet, fixtureNames, onnxBytes } from './fixtures.js';

function checkValid(plan: ArenaPlan): void {
  const ts = plan.tensors;
  for (const t of ts) {
    const off = plan.offsets.get(t.name)!;
    expect(off % ARENA_ALIGNMENT).toBe(0);
    expect(off + t.bytes).toBeLessThanOrEqual(plan.arenaBytes);
  }
  // no two tensors that are live at the same op share bytes
  for (let i = 0; i < ts.length; i++)
    for (let j = i + 1; j < ts.length; j++) {
      const a = ts[i];
      const b = ts[j];
      if (a.firstOp > b.lastOp || b.firstOp > a.lastOp) continue;
      const oa = plan.offsets.get(a.name)!;
      const ob = plan.offsets.get(b.name)!;
      expect(oa + a.bytes <= ob || ob + b.bytes <= oa).toBe(true);
    }
}

/** Seeded random DAG in op order: each op writes one tensor read by 1-3 later ops. */
function randomDag(seed: number): PlanTensor[] {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const nOps = 5 + Math.floor(rnd() * 40);
  const ts: PlanTensor[] = [];
  for (let i = 0; i < nOps; i++) {
    const fanout = 1 + Math.floor(rnd() * 3);
    let last = i + 1;
    for (let f = 0; f < fanout; f++) last = Math.max(last, Math.min(nOps, i + 1 + Math.floor(rnd() ** 2 * 8)));
    ts.push({ name: `t${i}`, bytes: 1 + Math.floor(rnd() ** 2 * 40000), firstOp: i, lastOp: last });
  }
  return ts;
}

describe('arena planner', () => {
  it('the lower bound is the peak of simultaneously live aligned bytes', () => {
    const ts: PlanTensor[] = [
      { name: 'a', bytes: 100, firstOp: 0, lastOp: 1 },
      { name: 'b', bytes: 30, firstOp: 1, lastOp: 2 },
      { name: 'c', bytes: 200, firstOp: 2, lastOp: 3 },
    ];
    expect(lowerBound(ts)).toBe(Math.max(alignUp(100) + alignUp(30), alignUp(30) + alignUp(200)));
    const p = planArena(ts);
    checkValid(p);
    expect(p.arenaBytes).toBe(p.lowerBoundBytes);
  });

  it('plans within 1.05x of the lower bound on 300 random DAGs, always valid', () => {
    let worst = 0;
    for (let k = 0; k < 300; k++) {
      const p = planArena(randomDag(1000 + k));
      checkValid(p);
      expect(p.arenaBytes).toBeGreaterThanOrEqual(p.lowerBoundBytes);
      worst = Math.max(worst, p.arenaBytes / p.lowerBoundBytes);
    }
    expect(worst).toBeLessThanOrEqual(1.05);
  });

  it('plans within 1.05x of the lower bound on the compiled fixtures', () => {
    for (const name of fixtureNames) {
      const q = quantizeGraph(optimizeGraph(importOnnx(onnxBytes(name))), calibrationSet().slice(0, 4)).graph;
      const ts = lifetimesFromGraph(q);
      expect(ts.length).toBeGreaterThan(q.nodes.length);
      const p = planArena(ts);
      checkValid(p);
      expect(p.arenaBytes / p.lowerBoundBytes).toBeLessThanOrEqual(1.05);
      // far below keeping every activation (no reuse)
      expect(p.arenaBytes).toBeLessThan(ts.reduce((a, t) => a + alignUp(t.bytes), 0));
    }
  });
});
