/**
 * Calibration: run the float graph on representative inputs and observe every activation.
 * Inputs come as float arrays (the frontend helper's float features) or from a tensor file;
 * `--calib <wav dir>` is routed through a FeatureExtractor hook (see calibration-source.ts).
 */
import { evaluateGraphFloat64 } from '../ir/evaluate-float64.js';
import type { Graph } from '../ir/graph.js';
import { isConstant } from '../ir/graph.js';
import { RangeObserver } from './range.js';

export type CalibrationSet = ArrayLike<number>[][];

export function observeActivations(g: Graph, samples: CalibrationSet): Map<string, RangeObserver> {
  const obs = new Map<string, RangeObserver>();
  for (const inputs of samples) {
    const run = evaluateGraphFloat64(g, inputs, true);
    for (const [name, v] of run.values) {
      if (isConstant(g, name)) continue;
      let o = obs.get(name);
      if (!o) obs.set(name, (o = new RangeObserver()));
      o.observe(v.data);
    }
  }
  return obs;
}
