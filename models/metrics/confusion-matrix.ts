/**
 * Confusion matrix: rows are true classes, columns predicted classes (the sklearn convention), so
 * row sums are class supports and the diagonal over row sums is per-class recall.
 */
export interface ConfusionMatrix {
  classes: string[];
  /** counts[trueIndex][predictedIndex] */
  counts: number[][];
}

export function confusionMatrix(yTrue: readonly number[], yPred: readonly number[], classes: readonly string[]): ConfusionMatrix {
  if (yTrue.length !== yPred.length) {
    throw new RangeError(`confusionMatrix: ${yTrue.length} labels but ${yPred.length} predictions`);
  }
  const k = classes.length;
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (!Number.isInteger(t) || t < 0 || t >= k || !Number.isInteger(p) || p < 0 || p >= k) {
      throw new RangeError(`confusionMatrix: sample ${i} has class index true=${t} pred=${p}, expected 0..${k - 1}`);
    }
    counts[t][p]++;
  }
  return { classes: classes.slice(), counts };
}

/** Predicted class = argmax of each score row (first maximum wins on ties). */
export function argmaxRows(scores: readonly ArrayLike<number>[]): number[] {
  return scores.map((row) => {
    let best = 0;
    for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
    return best;
  });
}
