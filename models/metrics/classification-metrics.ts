/**
 * The SER literature's headline numbers from a confusion matrix:
 * - WA (weighted accuracy) = overall accuracy, trace / total;
 * - UA (unweighted accuracy) = mean of per-class recalls, robust to class imbalance;
 * - macro-F1 = mean of per-class F1.
 * A class with no true samples has undefined recall; it is left out of UA and macro-F1 (and
 * reported as null) rather than counted as 0 or 1, which would move UA by an arbitrary amount.
 * Precision of a class never predicted is 0 when it has samples (F1 = 0), null when it has none.
 */
import type { ConfusionMatrix } from './confusion-matrix.js';

export interface PerClassMetrics {
  label: string;
  support: number;
  predicted: number;
  recall: number | null;
  precision: number | null;
  f1: number | null;
}

export interface ClassificationMetrics {
  total: number;
  correct: number;
  /** weighted accuracy (overall accuracy) */
  wa: number;
  /** unweighted accuracy (mean per-class recall over classes with support) */
  ua: number;
  macroF1: number;
  perClass: PerClassMetrics[];
  confusion: ConfusionMatrix;
}

export function classificationMetrics(cm: ConfusionMatrix): ClassificationMetrics {
  const k = cm.classes.length;
  let total = 0;
  let correct = 0;
  const perClass: PerClassMetrics[] = [];
  for (let i = 0; i < k; i++) {
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < k; j++) {
      support += cm.counts[i][j];
      predicted += cm.counts[j][i];
    }
    total += support;
    const tp = cm.counts[i][i];
    correct += tp;
    const recall = support > 0 ? tp / support : null;
    const precision = predicted > 0 ? tp / predicted : support > 0 ? 0 : null;
    const f1 = recall === null || precision === null ? null : recall + precision > 0 ? (2 * recall * precision) / (recall + precision) : 0;
    perClass.push({ label: cm.classes[i], support, predicted, recall, precision, f1 });
  }
  const mean = (xs: (number | null)[]): number => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length > 0 ? v.reduce((s, x) => s + x, 0) / v.length : 0;
  };
  return {
    total,
    correct,
    wa: total > 0 ? correct / total : 0,
    ua: mean(perClass.map((c) => c.recall)),
    macroF1: mean(perClass.map((c) => c.f1)),
    perClass,
    confusion: cm,
  };
}

