/** The demo's static HTML report (offline, no scripts) and its terminal summary. */
import { barChartSvg, escapeHtml, htmlPage, htmlTable } from '../common/html-report.js';
import type { SerHilReport } from '../device-bridge/hil/ser-hil.js';
import { renderMetricsHtmlFragment } from '../models/metrics/index.js';
import type { DemoReport } from './run-demo.js';

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

export function demoReportHtml(r: DemoReport, hil: SerHilReport): string {
  const acc = r.accuracy;
  const accRows: (string | number)[][] = [
    ['float (tfjs), 1 s centre crop', pct(acc.float.ua), pct(acc.float.wa), acc.float.total],
    ['int8 (runtime-sim), fixed-point frontend, same crop', pct(acc.int8.ua), pct(acc.int8.wa), acc.int8.total],
    ['device (emulated board), streamed clip, mean of windows', pct(acc.device.ua), pct(acc.device.wa), acc.device.total],
  ];
  const lat = (['frontend', 'model', 'total'] as const).map((s) => {
    const l = hil.latency[s];
    return [s, l.ticks.p50, l.ticks.p95, l.ticks.p99, l.ticks.max, l.ms.p50.toFixed(3), l.ms.p95.toFixed(3), l.ms.p99.toFixed(3), l.ms.max.toFixed(3)];
  });
  const clipRows = hil.clips.map((c) => [escapeHtml(c.name), c.windows, c.matched, c.bitExact ? '<span class="pass">bit-exact</span>' : '<span class="fail">MISMATCH</span>']);
  const stageRows = Object.entries(r.seconds).map(([k, v]) => [k, v.toFixed(1)]);
  const sections = [
    {
      title: 'Result',
      html:
        `<p>${r.hil.windows} windows from ${r.heldOutClips} held-out clips (speakers ${escapeHtml(r.heldOutSpeakers.join(', '))}): ` +
        `<span class="${r.hil.bitExact ? 'pass' : 'fail'}">${r.hil.matched} of ${r.hil.windows} windows bit-exact</span> (features and int8 scores, device vs runtime-sim).</p>` +
        htmlTable(['path', 'UA', 'WA', 'clips'], accRows),
    },
    {
      title: 'Latency on the emulated board',
      html:
        `<p class="muted">SysTick ticks at ${r.hil.clockHz / 1e6} MHz under QEMU -icount shift=0 (1 tick = 40 emulated instructions): instruction counts, not Cortex-M4 cycles. ` +
        `frontend = the ${r.firmware.hopFrames} frames a window adds; model = one invocation on ${r.firmware.windowFrames} frames.</p>` +
        htmlTable(['stage', 'p50 ticks', 'p95', 'p99', 'max', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'], lat),
    },
    {
      title: 'Model and firmware',
      html: htmlTable(
        ['item', 'value'],
        [
          ['architecture', `${escapeHtml(r.arch)}, ${r.params} parameters, ${(r.macs / 1e6).toFixed(2)} M MACs`],
          ['training', `${r.trainClips} clips (speakers ${escapeHtml(r.trainSpeakers.join(', '))}), ${r.epochs} epochs`],
          ['.tflite', `${r.model.tfliteBytes} bytes, model id ${r.model.modelId}`],
          ['input int8', `scale ${r.model.inputScale.toPrecision(6)}, zero point ${r.model.inputZeroPoint} (frontend output)`],
          ['window / hop', `${r.firmware.windowSamples} / ${r.firmware.hopSamples} samples (${r.firmware.windowFrames} / ${r.firmware.hopFrames} frames)`],
          ['app image', `${r.firmware.appFlashBytes} B flash, ${r.firmware.appRamBytes} B static RAM (arena ${r.model.arenaBytes} B)`],
          ['flash', `slot ${r.flash.slot}, image v${r.flash.imageVersion}, ${r.flash.payloadBytes} B in ${r.flash.seconds.toFixed(1)} s, confirmed ${r.flash.confirmed}`],
        ],
      ),
    },
    {
      title: 'Per-class recall (device)',
      html: barChartSvg({ title: 'device recall per class', labels: r.classes, values: acc.device.perClass.map((p) => (p.recall ?? 0) * 100), yLabel: '%', yMax: 100 }),
    },
    {
      title: 'Confusion matrices',
      html: `<div class="row">${renderMetricsHtmlFragment(acc.float, { title: 'float' })}${renderMetricsHtmlFragment(acc.int8, { title: 'int8 (runtime-sim)' })}${renderMetricsHtmlFragment(acc.device, { title: 'device' })}</div>`,
    },
    { title: 'Held-out clips', html: htmlTable(['clip', 'windows', 'bit-exact windows', 'status'], clipRows) },
    { title: 'Stage times (s)', html: htmlTable(['stage', 'seconds'], stageRows) },
  ];
  return htmlPage('tinyser demo: speech emotion recognition on an emulated Cortex-M4', sections, `output folder ${r.out}`);
}

export function demoSummaryText(r: DemoReport): string {
  const a = r.accuracy;
  const l = r.hil.latency;
  return [
    `demo: ${r.classes.join('/')} on eSpeak NG speech; ${r.trainClips} training clips, ${r.heldOutClips} held-out clips (speakers ${r.heldOutSpeakers.join(', ')})`,
    `model: ${r.arch}, ${r.params} params, ${(r.macs / 1e6).toFixed(2)} M MACs, ${r.epochs} epochs; .tflite ${r.model.tfliteBytes} B, arena ${r.model.arenaBytes} B`,
    `accuracy        UA       WA`,
    `  float      ${pct(a.float.ua).padStart(7)}  ${pct(a.float.wa).padStart(7)}   one centre window per clip`,
    `  int8 sim   ${pct(a.int8.ua).padStart(7)}  ${pct(a.int8.wa).padStart(7)}   the same windows, fixed-point features`,
    `  device     ${pct(a.device.ua).padStart(7)}  ${pct(a.device.wa).padStart(7)}   every streamed window, mean score per clip`,
    `bit-exact: ${r.hil.matched}/${r.hil.windows} windows (features + scores, device vs runtime-sim)${r.hil.bitExact ? '' : '  <-- MISMATCH'}`,
    `latency (ticks @ ${r.hil.clockHz / 1e6} MHz, icount): frontend p50 ${l.frontend.ticks.p50} (${l.frontend.ms.p50.toFixed(2)} ms) p99 ${l.frontend.ticks.p99}; model p50 ${l.model.ticks.p50} (${l.model.ms.p50.toFixed(2)} ms) p99 ${l.model.ticks.p99}`,
    `firmware: app ${r.firmware.appFlashBytes} B flash, ${r.firmware.appRamBytes} B RAM; flashed to slot ${r.flash.slot} in ${r.flash.seconds.toFixed(1)} s`,
    `report: ${r.files.report}`,
  ].join('\n');
}
