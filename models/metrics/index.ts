/** Public API of models/metrics: SER classification metrics and their text/HTML renderings. */
export { confusionMatrix, argmaxRows, type ConfusionMatrix } from './confusion-matrix.js';
export { classificationMetrics, type ClassificationMetrics, type PerClassMetrics } from './classification-metrics.js';
export { renderMetricsText } from './render-text.js';
export { renderMetricsHtmlFragment, renderMetricsHtmlPage } from './render-html.js';

import { confusionMatrix } from './confusion-matrix.js';
import { classificationMetrics, type ClassificationMetrics } from './classification-metrics.js';

/** One call from true/predicted class indices to every metric. */
export function evaluatePredictions(yTrue: readonly number[], yPred: readonly number[], classes: readonly string[]): ClassificationMetrics {
  return classificationMetrics(confusionMatrix(yTrue, yPred, classes));
}
