/**
 * Offline arena planner (greedy by size, first fit). Tensor lifetimes come from the op order: a
 * tensor lives from the op that writes it (graph inputs: from op 0) to the last op that reads it
 * (graph outputs: to the last op). Tensors are placed largest first at the lowest 16-byte-aligned
 * offset that does not overlap a placed tensor with an overlapping lifetime. The lower bound is
 * the largest sum of simultaneously live (aligned) tensor sizes over all ops: no plan can be
 * smaller. TFLM's GreedyMemoryPlanner uses the same idea, so the figure predicts its arena.
 *
 * The plan is the contract for generated C (compiler/writers/c/): fixed arena offsets per tensor.
 */
export const ARENA_ALIGNMENT = 16;

export interface PlanTensor {
  name: string;
  bytes: number;
  /** First op index that needs the buffer (writes it, or 0 for graph inputs). */
  firstOp: number;
  /** Last op index that needs the buffer. */
  lastOp: number;
}

export interface ArenaPlan {
  offsets: Map<string, number>;
  /** Bytes of arena the plan needs (end of the highest placed tensor). */
  arenaBytes: number;
  /** max over ops of the sum of simultaneously live aligned tensor sizes. */
  lowerBoundBytes: number;
  tensors: PlanTensor[];
}

export function alignUp(n: number, a = ARENA_ALIGNMENT): number {
  return Math.ceil(n / a) * a;
}

function overlaps(a: PlanTensor, b: PlanTensor): boolean {
  return a.firstOp <= b.lastOp && b.firstOp <= a.lastOp;
}

function place(order: PlanTensor[], bestFit: boolean): { offsets: Map<string, number>; arenaBytes: number } {
  const placed: { t: PlanTensor; off: number; size: number }[] = [];
  const offsets = new Map<string, number>();
  let arenaBytes = 0;
  for (const t of order) {
    const size = alignUp(t.bytes);
    const conflicts = placed.filter((p) => overlaps(p.t, t)).sort((a, b) => a.off - b.off);
    // candidate offsets: 0 and the end of every conflicting block; keep those that fit
    let chosen = -1;
    let chosenGap = Infinity;
    const candidates = [0, ...conflicts.map((c) => alignUp(c.off + c.size))];
    for (const off of candidates) {
      if (conflicts.some((c) => off < c.off + c.size && c.off < off + size)) continue;
      const next = conflicts.find((c) => c.off >= off + size);
      const gap = next ? next.off - off - size : Infinity;
      if (!bestFit) {
        if (chosen < 0 || off < chosen) chosen = off;
      } else if (chosen < 0 || gap < chosenGap || (gap === chosenGap && off < chosen)) {
        chosen = off;
        chosenGap = gap;
      }
    }
    placed.push({ t, off: chosen, size });
    offsets.set(t.name, chosen);
    arenaBytes = Math.max(arenaBytes, chosen + size);
  }
  return { offsets, arenaBytes };
}

export function lowerBound(tensors: PlanTensor[]): number {
  const last = Math.max(0, ...tensors.map((t) => t.lastOp));
  let best = 0;
  for (let op = 0; op <= last; op++) {
    let s = 0;
    for (const t of tensors) if (t.firstOp <= op && op <= t.lastOp) s += alignUp(t.bytes);
    best = Math.max(best, s);
  }
  return best;
}

/**
 * Greedy by size (TFLM's order) first; then other orders (size x lifetime, start time) and a
 * fixed number of seeded perturbations of the size order, each placed first-fit and best-fit;
 * then a short seeded hill climb on the best order (move one tensor earlier, keep if not worse).
 * Stops early at the lower bound. Deterministic; tens of ms for models of < 100 tensors.
 */
export function planArena(tensors: PlanTensor[], tries = 64): ArenaPlan {
  const lb = lowerBound(tensors);
  const orders = [
    [...tensors].sort((a, b) => b.bytes - a.bytes || a.firstOp - b.firstOp),
    [...tensors].sort((a, b) => b.bytes * (b.lastOp - b.firstOp + 1) - a.bytes * (a.lastOp - a.firstOp + 1) || a.firstOp - b.firstOp),
    [...tensors].sort((a, b) => a.firstOp - b.firstOp || b.bytes - a.bytes),
  ];
  let seed = 0x9e3779b9;
  const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
  for (let k = 0; k < tries; k++) {
    // size order with multiplicative jitter: explores near-greedy orders
    const keyed = tensors.map((t) => ({ t, key: t.bytes * (0.5 + rnd()) }));
    orders.push(keyed.sort((a, b) => b.key - a.key).map((x) => x.t));
  }
  let best: { offsets: Map<string, number>; arenaBytes: number } | undefined;
  let bestOrder = orders[0];
  let bestFitMode = false;
  for (const o of orders) {
    for (const bestFit of [false, true]) {
      const p = place(o, bestFit);
      if (!best || p.arenaBytes < best.arenaBytes) {
        best = p;
        bestOrder = o;
        bestFitMode = bestFit;
      }
      if (best.arenaBytes === lb) return { ...best, lowerBoundBytes: lb, tensors };
    }
  }
  // hill climbing on the best order: move one tensor earlier, keep the change if not worse
  for (let k = 0; k < tries * 4 && best!.arenaBytes > lb; k++) {
    const i = Math.floor(rnd() * bestOrder.length);
    const j = Math.floor(rnd() * (i + 1));
    if (i === j) continue;
    const o = [...bestOrder];
    const [t] = o.splice(i, 1);
    o.splice(j, 0, t);
    const p = place(o, bestFitMode);
    if (p.arenaBytes <= best!.arenaBytes) {
      best = p;
      bestOrder = o;
    }
  }
  return { ...best!, lowerBoundBytes: lb, tensors };
}

/** Lifetimes of the activation tensors of a graph given its op order. */
export function lifetimesFromGraph(g: {
  nodes: { inputs: string[]; outputs: string[] }[];
  inputs: string[];
  outputs: string[];
  tensors: Map<string, { shape: number[]; data?: unknown; dtype: string }>;
}): PlanTensor[] {
  const elemBytes = (d: string) => (d === 'int8' ? 1 : 4);
  const span = new Map<string, { first: number; last: number }>();
  const touch = (name: string, i: number) => {
    const t = g.tensors.get(name);
    if (!t || t.data !== undefined) return;
    const s = span.get(name);
    if (!s) span.set(name, { first: i, last: i });
    else {
      s.first = Math.min(s.first, i);
      s.last = Math.max(s.last, i);
    }
  };
  g.inputs.forEach((n) => touch(n, 0));
  g.nodes.forEach((n, i) => [...n.inputs, ...n.outputs].forEach((x) => touch(x, i)));
  const lastOp = Math.max(0, g.nodes.length - 1);
  g.outputs.forEach((n) => touch(n, lastOp));
  return [...span].map(([name, s]) => {
    const t = g.tensors.get(name)!;
    return { name, bytes: t.shape.reduce((a, b) => a * b, 1) * elemBytes(t.dtype), firstOp: s.first, lastOp: s.last };
  });
}
