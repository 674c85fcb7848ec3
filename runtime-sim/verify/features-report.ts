/** Offline HTML page for `tinyser features verify --report`: SNR charts and float/fixed/error spectrograms. */
import { barChartSvg, escapeHtml, formatNumber, heatmapHtml, htmlPage, htmlTable, lineChartSvg, type ReportSection } from '../../common/html-report.js';
import type { FrontendConfig } from '../frontend/config.js';
import type { FeatureVerificationReport, FileVerificationDetail, VerifyThresholds } from './features.js';

/** Infinite SNRs (exact match) are drawn at this height. */
const CLIP_DB = 160;

export function renderFeatureVerificationHtml(
  report: FeatureVerificationReport,
  config: FrontendConfig,
  thresholds: VerifyThresholds,
  example?: FileVerificationDetail,
): string {
  const sections: ReportSection[] = [];
  const verdict = report.pass ? '<span class="pass">PASS</span>' : '<span class="fail">FAIL</span>';
  const d = (s: { median: number; worst5: number; min: number }) => [s.median, s.worst5, s.min].map((v) => formatNumber(v, 1));
  sections.push({
    title: 'Summary',
    html:
      `<p>${verdict} — ${report.files} files, ${report.frames} frames (${report.activeFrames} active: within ${report.activeRangeDb} dB of each file's loudest frame). Config hash <code>${report.configHash}</code>, output kind ${report.kind}.</p>` +
      htmlTable(
        ['SNR (dB)', 'median', 'worst 5%', 'min'],
        [
          ['log-mel, all frames', ...d(report.logMel.snrDb)],
          ['log-mel, active frames', ...d(report.logMel.snrActiveDb)],
          ['log-mel, mean removed', ...d(report.logMel.snrMeanRemovedDb)],
          ['log-mel, mean removed, active', ...d(report.logMel.snrMeanRemovedActiveDb)],
          ['MFCC, all frames', ...d(report.mfcc.snrDb)],
          ['MFCC, active frames', ...d(report.mfcc.snrActiveDb)],
          ['MFCC, mean removed', ...d(report.mfcc.snrMeanRemovedDb)],
          ['MFCC, mean removed, active', ...d(report.mfcc.snrMeanRemovedActiveDb)],
        ],
      ) +
      `<p>int8 output: ${formatNumber(report.int8.equalShare * 100, 3)}% equal to the quantized float features, max |diff| ${report.int8.maxAbsErrorLsb} LSB, saturated ${report.int8.saturatedFixed} (fixed) / ${report.int8.saturatedFloat} (float) of ${report.int8.values}.</p>`,
  });
  sections.push({
    title: 'Checks',
    html: htmlTable(
      ['check', 'value (dB)', 'threshold (dB)', 'result'],
      report.checks.map((c) => [escapeHtml(c.name), formatNumber(c.value, 1), c.threshold, c.pass ? '<span class="pass">pass</span>' : '<span class="fail">fail</span>']),
    ),
  });
  const bands = report.logMel.perDimPooledMeanRemovedDb;
  const coefs = report.mfcc.perDimPooledMeanRemovedDb;
  sections.push({
    title: 'SNR per band and per coefficient (pooled over files, each file’s mean removed)',
    html:
      '<div class="row">' +
      barChartSvg({ title: 'log-mel SNR per band', labels: bands.map((_, i) => String(i)), values: bands, yLabel: 'dB', xLabel: 'mel band', threshold: thresholds.minCoefSnrDb, yMax: Math.min(CLIP_DB, Math.max(...bands.filter(Number.isFinite), 60) + 5) }) +
      barChartSvg({ title: 'MFCC SNR per coefficient', labels: coefs.map((_, i) => `c${i}`), values: coefs, yLabel: 'dB', xLabel: 'coefficient', threshold: thresholds.minCoefSnrDb, yMax: Math.min(CLIP_DB, Math.max(...coefs.filter(Number.isFinite), 60) + 5) }) +
      '</div>',
  });
  if (report.perFile.length > 1) {
    sections.push({
      title: 'SNR per file',
      html: lineChartSvg({
        title: 'SNR per file (file order)',
        series: [
          { name: 'log-mel', values: report.perFile.map((f) => Math.min(CLIP_DB, f.logMel.snrDb)) },
          { name: 'MFCC', values: report.perFile.map((f) => Math.min(CLIP_DB, f.mfcc.snrDb)) },
          { name: 'MFCC mean removed, active', values: report.perFile.map((f) => Math.min(CLIP_DB, f.mfcc.snrMeanRemovedActiveDb)) },
        ],
        yLabel: 'dB',
        xLabel: 'file',
        threshold: thresholds.minSnrDb,
        width: 900,
      }),
    });
  }
  if (example && example.reference.frames > 0) {
    const frames = example.reference.frames;
    const b = config.mel.bands;
    const ref = example.reference.logMel.data;
    const fixed = Float64Array.from(example.fixed.logMelQ20, (v) => v / 2 ** 20);
    const err = Float64Array.from(fixed, (v, i) => v - ref[i]);
    // Error colours span the 99th percentile of |error| so a few outliers do not wash the map out.
    const absErr = Float64Array.from(err, Math.abs).sort();
    const errRange = absErr[Math.min(absErr.length - 1, Math.floor(absErr.length * 0.99))] || 1e-9;
    let min = Infinity;
    let max = -Infinity;
    for (const v of ref) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    sections.push({
      title: `Log-mel spectrograms: ${example.result.file}`,
      html:
        '<div class="row">' +
        heatmapHtml({ title: 'float64 reference (ln)', data: ref, columns: frames, rows: b, min, max }) +
        heatmapHtml({ title: 'fixed point (ln)', data: fixed, columns: frames, rows: b, min, max }) +
        heatmapHtml({ title: 'error fixed - float (ln units, colours clipped at the 99th percentile)', data: err, columns: frames, rows: b, scale: 'diverging', min: -errRange, max: errRange }) +
        '</div>' +
        `<p class="muted">log-mel SNR ${formatNumber(example.result.logMel.snrDb, 1)} dB, max |error| ${formatNumber(example.result.logMel.maxAbsError)}.</p>`,
    });
  }
  sections.push({ title: 'Frontend config', html: `<pre>${escapeHtml(JSON.stringify(config, null, 2))}</pre>` });
  return htmlPage('tinyser frontend verification: fixed point vs float64', sections, `generated ${new Date().toISOString()}`);
}
