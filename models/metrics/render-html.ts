/**
 * HTML rendering of a metrics result: a self-contained fragment (inline styles only, so it can be
 * embedded in any report, e.g. as a section of common/html-report's htmlPage) and a standalone page. Confusion-matrix cells are
 * shaded by row-normalised value so recall errors stand out.
 */
import { escapeHtml, htmlPage } from '../../common/html-report.js';
import type { ClassificationMetrics } from './classification-metrics.js';

const pct = (v: number | null): string => (v === null ? '—' : `${(100 * v).toFixed(1)}%`);

export function renderMetricsHtmlFragment(m: ClassificationMetrics, { title }: { title?: string } = {}): string {
  const td = 'style="border:1px solid #ccc;padding:2px 6px;text-align:right"';
  const th = 'style="border:1px solid #ccc;padding:2px 6px;background:#f4f4f4"';
  const out: string[] = ['<section class="tinyser-metrics">'];
  if (title) out.push(`<h3>${escapeHtml(title)}</h3>`);
  out.push(
    `<p><b>WA</b> ${pct(m.wa)} &nbsp; <b>UA</b> ${pct(m.ua)} &nbsp; <b>macro-F1</b> ${pct(m.macroF1)} &nbsp; (${m.correct}/${m.total})</p>`,
  );
  out.push('<table style="border-collapse:collapse"><thead><tr>');
  for (const h of ['class', 'support', 'recall', 'precision', 'F1']) out.push(`<th ${th}>${h}</th>`);
  out.push('</tr></thead><tbody>');
  for (const c of m.perClass) {
    out.push(
      `<tr><th ${th}>${escapeHtml(c.label)}</th><td ${td}>${c.support}</td><td ${td}>${pct(c.recall)}</td><td ${td}>${pct(c.precision)}</td><td ${td}>${pct(c.f1)}</td></tr>`,
    );
  }
  out.push('</tbody></table>');
  out.push('<table style="border-collapse:collapse;margin-top:8px"><thead><tr>');
  out.push(`<th ${th}>true \\ pred</th>`);
  for (const c of m.confusion.classes) out.push(`<th ${th}>${escapeHtml(c)}</th>`);
  out.push('</tr></thead><tbody>');
  m.confusion.counts.forEach((row, i) => {
    const sum = row.reduce((s, v) => s + v, 0);
    out.push(`<tr><th ${th}>${escapeHtml(m.confusion.classes[i])}</th>`);
    row.forEach((v, j) => {
      const frac = sum > 0 ? v / sum : 0;
      const hue = i === j ? 120 : 0;
      const bg = `hsl(${hue},60%,${Math.round(100 - 45 * frac)}%)`;
      out.push(`<td style="border:1px solid #ccc;padding:2px 6px;text-align:right;background:${bg}">${v}</td>`);
    });
    out.push('</tr>');
  });
  out.push('</tbody></table></section>');
  return out.join('');
}

export function renderMetricsHtmlPage(m: ClassificationMetrics, { title = 'tinyser metrics' }: { title?: string } = {}): string {
  return htmlPage(title, [{ title: 'Classification metrics', html: renderMetricsHtmlFragment(m) }]);
}
