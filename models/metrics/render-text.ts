/** Plain-text rendering (cli-table3) of a metrics result, for terminals and logs. */
import Table from 'cli-table3';
import type { ClassificationMetrics } from './classification-metrics.js';

const pct = (v: number | null): string => (v === null ? '—' : `${(100 * v).toFixed(1)}%`);

export function renderMetricsText(m: ClassificationMetrics, { title }: { title?: string } = {}): string {
  const lines: string[] = [];
  if (title) lines.push(title);
  lines.push(`WA ${pct(m.wa)}  UA ${pct(m.ua)}  macro-F1 ${pct(m.macroF1)}  (${m.correct}/${m.total})`);
  const perClass = new Table({ head: ['class', 'support', 'recall', 'precision', 'F1'], style: { head: [], border: [], compact: true } });
  for (const c of m.perClass) perClass.push([c.label, String(c.support), pct(c.recall), pct(c.precision), pct(c.f1)]);
  lines.push(perClass.toString());
  const cm = new Table({ head: ['true \\ pred', ...m.confusion.classes], style: { head: [], border: [], compact: true } });
  m.confusion.counts.forEach((row, i) => cm.push([m.confusion.classes[i], ...row.map(String)]));
  lines.push(cm.toString());
  return lines.join('\n');
}
