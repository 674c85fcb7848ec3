/**
 * Static, self-contained HTML reports (no CDN, no scripts needed): a page shell plus small inline-SVG
 * charts (bar, line) and heatmaps embedded as PNG data URIs. Shared by the frontend, compiler and
 * training reports so they look alike and all open offline.
 */
import { deflateSync } from 'node:zlib';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export interface ReportSection {
  title: string;
  /** Trusted HTML (build it with the helpers below; escape any user text with escapeHtml). */
  html: string;
}

export function htmlPage(title: string, sections: ReportSection[], subtitle = ''): string {
  const body = sections.map((s) => `<section><h2>${escapeHtml(s.title)}</h2>\n${s.html}\n</section>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:22px}h2{font-size:17px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
th{background:#f4f4f4}td.l,th.l{text-align:left}.pass{color:#17702a;font-weight:600}.fail{color:#b3261e;font-weight:600}
.row{display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start}.fig{font-size:12px;text-align:center}
.fig img{image-rendering:pixelated;border:1px solid #ccc}.muted{color:#777;font-size:12px}
</style></head><body>
<h1>${escapeHtml(title)}</h1>${subtitle ? `<p class="muted">${escapeHtml(subtitle)}</p>` : ''}
${body}
</body></html>
`;
}

export function htmlTable(header: string[], rows: (string | number)[][], leftColumns = 1): string {
  const cell = (v: string | number, i: number, tag: string) =>
    `<${tag}${i < leftColumns ? ' class="l"' : ''}>${typeof v === 'number' ? formatNumber(v) : v}</${tag}>`;
  return `<table><tr>${header.map((h, i) => cell(escapeHtml(h), i, 'th')).join('')}</tr>\n${rows
    .map((r) => `<tr>${r.map((v, i) => cell(v, i, 'td')).join('')}</tr>`)
    .join('\n')}</table>`;
}

export function formatNumber(v: number, digits = 2): string {
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '-∞';
  if (Number.isNaN(v)) return '–';
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(digits) : v.toExponential(2);
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function frameOf(width: number, height: number): Frame {
  return { width, height, left: 52, right: 12, top: 24, bottom: 36 };
}

function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function axes(f: Frame, yMin: number, yMax: number, title: string, yLabel: string, xLabel: string): { svg: string; y: (v: number) => number } {
  const ph = f.height - f.top - f.bottom;
  const y = (v: number) => f.top + ph - ((Math.min(Math.max(v, yMin), yMax) - yMin) / (yMax - yMin || 1)) * ph;
  let svg = `<text x="${f.width / 2}" y="15" text-anchor="middle" font-size="13">${escapeHtml(title)}</text>`;
  for (const t of niceTicks(yMin, yMax)) {
    svg += `<line x1="${f.left}" x2="${f.width - f.right}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/>`;
    svg += `<text x="${f.left - 4}" y="${y(t) + 4}" text-anchor="end" font-size="10">${formatNumber(t, 1)}</text>`;
  }
  svg += `<line x1="${f.left}" x2="${f.left}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="#888"/>`;
  svg += `<line x1="${f.left}" x2="${f.width - f.right}" y1="${f.height - f.bottom}" y2="${f.height - f.bottom}" stroke="#888"/>`;
  svg += `<text x="12" y="${f.top + ph / 2}" font-size="11" transform="rotate(-90 12 ${f.top + ph / 2})" text-anchor="middle">${escapeHtml(yLabel)}</text>`;
  svg += `<text x="${(f.left + f.width - f.right) / 2}" y="${f.height - 4}" font-size="11" text-anchor="middle">${escapeHtml(xLabel)}</text>`;
  return { svg, y };
}

export interface BarChartOptions {
  title: string;
  labels: string[];
  values: number[];
  yLabel?: string;
  xLabel?: string;
  /** Horizontal reference line (e.g. a pass threshold). */
  threshold?: number;
  width?: number;
  height?: number;
  /** Values above are drawn clipped at yMax (infinite SNR, for instance). */
  yMax?: number;
  yMin?: number;
}

export function barChartSvg(o: BarChartOptions): string {
  const f = frameOf(o.width ?? 640, o.height ?? 240);
  const finite = o.values.filter(Number.isFinite);
  const yMax = o.yMax ?? Math.max(o.threshold ?? 0, ...finite, 1) * 1.05;
  const yMin = o.yMin ?? Math.min(0, ...finite);
  const { svg: ax, y } = axes(f, yMin, yMax, o.title, o.yLabel ?? '', o.xLabel ?? '');
  const pw = f.width - f.left - f.right;
  const bw = pw / Math.max(1, o.values.length);
  let svg = ax;
  o.values.forEach((v, i) => {
    const vv = Number.isFinite(v) ? v : yMax;
    const x = f.left + i * bw;
    const fail = o.threshold !== undefined && v < o.threshold;
    svg += `<rect x="${(x + bw * 0.1).toFixed(1)}" y="${y(vv).toFixed(1)}" width="${(bw * 0.8).toFixed(1)}" height="${(y(yMin) - y(vv)).toFixed(1)}" fill="${fail ? '#d9534f' : '#4a7fb5'}"><title>${escapeHtml(o.labels[i] ?? String(i))}: ${formatNumber(v)}</title></rect>`;
    if (o.values.length <= 64 && (o.values.length <= 24 || i % 4 === 0))
      svg += `<text x="${(x + bw / 2).toFixed(1)}" y="${f.height - f.bottom + 12}" font-size="9" text-anchor="middle">${escapeHtml(o.labels[i] ?? '')}</text>`;
  });
  if (o.threshold !== undefined)
    svg += `<line x1="${f.left}" x2="${f.width - f.right}" y1="${y(o.threshold)}" y2="${y(o.threshold)}" stroke="#b3261e" stroke-dasharray="4 3"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" font-family="sans-serif">${svg}</svg>`;
}

export interface LineSeries {
  name: string;
  values: number[];
  color?: string;
}

export interface LineChartOptions {
  title: string;
  series: LineSeries[];
  yLabel?: string;
  xLabel?: string;
  threshold?: number;
  width?: number;
  height?: number;
  yMin?: number;
  yMax?: number;
}

const PALETTE = ['#4a7fb5', '#e07b39', '#3a9e5c', '#9b59b6', '#c0392b', '#7f8c8d'];

export function lineChartSvg(o: LineChartOptions): string {
  const f = frameOf(o.width ?? 640, o.height ?? 240);
  const finite = o.series.flatMap((s) => s.values.filter(Number.isFinite));
  const yMax = o.yMax ?? Math.max(...finite, o.threshold ?? -Infinity, 1);
  const yMin = o.yMin ?? Math.min(...finite, o.threshold ?? Infinity, 0);
  const { svg: ax, y } = axes(f, yMin, yMax, o.title, o.yLabel ?? '', o.xLabel ?? '');
  const n = Math.max(2, ...o.series.map((s) => s.values.length));
  const x = (i: number) => f.left + (i / (n - 1)) * (f.width - f.left - f.right);
  let svg = ax;
  o.series.forEach((s, si) => {
    const color = s.color ?? PALETTE[si % PALETTE.length];
    const pts = s.values.map((v, i) => `${x(i).toFixed(1)},${y(Number.isFinite(v) ? v : yMax).toFixed(1)}`).join(' ');
    svg += `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${pts}"/>`;
    svg += `<text x="${f.width - f.right - 4}" y="${f.top + 12 + si * 12}" font-size="10" text-anchor="end" fill="${color}">${escapeHtml(s.name)}</text>`;
  });
  if (o.threshold !== undefined)
    svg += `<line x1="${f.left}" x2="${f.width - f.right}" y1="${y(o.threshold)}" y2="${y(o.threshold)}" stroke="#b3261e" stroke-dasharray="4 3"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" font-family="sans-serif">${svg}</svg>`;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** RGB PNG from a width x height x 3 byte array (row-major, top row first). */
export function encodePngRgb(width: number, height: number, rgb: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let r = 0; r < height; r++) {
    raw[r * (width * 3 + 1)] = 0;
    raw.set(rgb.subarray(r * width * 3, (r + 1) * width * 3), r * (width * 3 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

/** Perceptual-ish ramp (dark blue -> yellow) and a diverging one (blue - white - red). */
function colorSequential(t: number): [number, number, number] {
  const stops: [number, number, number][] = [
    [13, 8, 135],
    [126, 3, 168],
    [204, 71, 120],
    [248, 149, 64],
    [240, 249, 33],
  ];
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  return [0, 1, 2].map((c) => Math.round(stops[i][c] + (stops[i + 1][c] - stops[i][c]) * f)) as [number, number, number];
}

function colorDiverging(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(-1, t));
  return x >= 0
    ? [255, Math.round(255 * (1 - x)), Math.round(255 * (1 - x))]
    : [Math.round(255 * (1 + x)), Math.round(255 * (1 + x)), 255];
}

export interface HeatmapOptions {
  title: string;
  /** Row-major data[t * rows + r]: columns are time (t), rows are bands (r); row 0 is drawn at the bottom. */
  data: ArrayLike<number>;
  columns: number;
  rows: number;
  min?: number;
  max?: number;
  /** 'diverging' centres the colour scale on 0 (for error maps). */
  scale?: 'sequential' | 'diverging';
  pixelScale?: number;
}

/** A heatmap as an <img> with an inline PNG, with its title and value range underneath. */
export function heatmapHtml(o: HeatmapOptions): string {
  let min = o.min ?? Infinity;
  let max = o.max ?? -Infinity;
  if (o.min === undefined || o.max === undefined)
    for (let i = 0; i < o.columns * o.rows; i++) {
      const v = o.data[i];
      if (o.min === undefined && v < min) min = v;
      if (o.max === undefined && v > max) max = v;
    }
  if (o.scale === 'diverging') {
    const m = Math.max(Math.abs(min), Math.abs(max)) || 1;
    min = -m;
    max = m;
  }
  const rgb = new Uint8Array(o.columns * o.rows * 3);
  for (let t = 0; t < o.columns; t++)
    for (let r = 0; r < o.rows; r++) {
      const v = o.data[t * o.rows + r];
      const c = o.scale === 'diverging' ? colorDiverging(v / max) : colorSequential((v - min) / (max - min || 1));
      const p = ((o.rows - 1 - r) * o.columns + t) * 3;
      rgb[p] = c[0];
      rgb[p + 1] = c[1];
      rgb[p + 2] = c[2];
    }
  const png = encodePngRgb(o.columns, o.rows, rgb).toString('base64');
  const s = o.pixelScale ?? 3;
  return `<div class="fig"><img alt="${escapeHtml(o.title)}" width="${o.columns * Math.max(1, Math.round(s / 2))}" height="${o.rows * s}" src="data:image/png;base64,${png}"><br>${escapeHtml(o.title)} <span class="muted">[${formatNumber(min, 3)}, ${formatNumber(max, 3)}]</span></div>`;
}
