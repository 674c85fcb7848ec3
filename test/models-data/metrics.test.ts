import { describe, expect, it } from 'vitest';
import {
  argmaxRows,
  classificationMetrics,
  confusionMatrix,
  evaluatePredictions,
  renderMetricsHtmlFragment,
  renderMetricsHtmlPage,
  renderMetricsText,
} from '../../models/metrics/index.js';

/** Expands a confusion matrix back into label/prediction lists. */
function expand(counts: number[][]): { yTrue: number[]; yPred: number[] } {
  const yTrue: number[] = [];
  const yPred: number[] = [];
  counts.forEach((row, t) => row.forEach((n, p) => {
    for (let i = 0; i < n; i++) {
      yTrue.push(t);
      yPred.push(p);
    }
  }));
  return { yTrue, yPred };
}

describe('classification metrics', () => {
  // rows true, columns predicted:        a  b  c
  const counts = [
    [8, 2, 0], // a: support 10, recall 8/10
    [1, 3, 1], // b: support 5, recall 3/5
    [3, 0, 2], // c: support 5, recall 2/5
  ];
  const classes = ['a', 'b', 'c'];

  it('builds the confusion matrix with rows = true class', () => {
    const { yTrue, yPred } = expand(counts);
    expect(confusionMatrix(yTrue, yPred, classes).counts).toEqual(counts);
  });

  it('WA, UA, macro-F1 and per-class numbers match hand computation', () => {
    const { yTrue, yPred } = expand(counts);
    const m = evaluatePredictions(yTrue, yPred, classes);
    expect(m.total).toBe(20);
    expect(m.correct).toBe(13);
    expect(m.wa).toBeCloseTo(13 / 20, 12);
    expect(m.ua).toBeCloseTo((0.8 + 0.6 + 0.4) / 3, 12);
    // precision = TP / column sum: a 8/12, b 3/5, c 2/3
    expect(m.perClass.map((c) => c.precision)).toEqual([8 / 12, 3 / 5, 2 / 3]);
    expect(m.perClass.map((c) => c.recall)).toEqual([8 / 10, 3 / 5, 2 / 5]);
    // F1 = 2TP / (support + predicted): 16/22, 6/10, 4/8
    const f1 = [16 / 22, 6 / 10, 4 / 8];
    m.perClass.forEach((c, i) => expect(c.f1).toBeCloseTo(f1[i], 12));
    expect(m.macroF1).toBeCloseTo((16 / 22 + 0.6 + 0.5) / 3, 12);
    expect(m.perClass.map((c) => c.support)).toEqual([10, 5, 5]);
    expect(m.perClass.map((c) => c.predicted)).toEqual([12, 5, 3]);
  });

  it('UA differs from WA under imbalance (the reason SER reports both)', () => {
    // always predicting the majority class: WA 90 %, UA 50 %
    const m = classificationMetrics({ classes: ['maj', 'min'], counts: [[90, 0], [10, 0]] });
    expect(m.wa).toBeCloseTo(0.9, 12);
    expect(m.ua).toBeCloseTo(0.5, 12);
    expect(m.perClass[1].precision).toBe(0); // has samples, never predicted
    expect(m.perClass[1].f1).toBe(0);
    expect(m.macroF1).toBeCloseTo((2 * 90 / (90 + 100) + 0) / 2, 12);
  });

  it('a class absent from the evaluation set is left out of UA and macro-F1', () => {
    const m = classificationMetrics({ classes: ['a', 'b', 'absent'], counts: [[3, 1, 0], [1, 3, 0], [0, 0, 0]] });
    expect(m.perClass[2].recall).toBeNull();
    expect(m.perClass[2].precision).toBeNull();
    expect(m.ua).toBeCloseTo(0.75, 12);
    expect(m.macroF1).toBeCloseTo(0.75, 12);
  });

  it('rejects mismatched lengths and out-of-range class indices', () => {
    expect(() => confusionMatrix([0, 1], [0], ['a', 'b'])).toThrow(/2 labels but 1 predictions/);
    expect(() => confusionMatrix([0, 2], [0, 1], ['a', 'b'])).toThrow(/sample 1/);
  });

  it('argmax picks the first maximum', () => {
    expect(argmaxRows([[0.1, 0.7, 0.2], [0.5, 0.5, 0], Float32Array.from([-3, -1, -2])])).toEqual([1, 0, 1]);
  });
});

describe('metric rendering', () => {
  const m = classificationMetrics({ classes: ['neutral', 'a<b'], counts: [[3, 1], [0, 4]] });
  it('text shows the headline numbers and every confusion cell', () => {
    const text = renderMetricsText(m, { title: 'val' });
    expect(text).toContain('WA 87.5%');
    expect(text).toContain('UA 87.5%');
    expect(text).toMatch(/neutral\s*│\s*3\s*│\s*1/);
  });
  it('HTML escapes labels and contains one cell per confusion entry', () => {
    const html = renderMetricsHtmlFragment(m);
    expect(html).toContain('a&lt;b');
    expect(html).not.toContain('a<b');
    expect(html.match(/<td style="border:1px solid #ccc;padding:2px 6px;text-align:right;background/g)).toHaveLength(4);
    expect(renderMetricsHtmlPage(m)).toMatch(/^<!doctype html>.*<\/html>\n$/s);
  });
});
