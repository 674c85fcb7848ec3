import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { barChartSvg, encodePngRgb, escapeHtml, heatmapHtml, htmlPage, lineChartSvg } from '../../common/html-report.js';

describe('common/html-report', () => {
  it('builds a self-contained page: no external resources, escaped text', () => {
    const page = htmlPage('A <b> title', [
      { title: 'bars', html: barChartSvg({ title: 'snr', labels: ['a', 'b'], values: [50, Infinity], threshold: 40 }) },
      { title: 'lines', html: lineChartSvg({ title: 'l', series: [{ name: 's', values: [1, 2, 3] }] }) },
      { title: 'map', html: heatmapHtml({ title: 'h', data: [0, 1, 2, 3, 4, 5], columns: 3, rows: 2 }) },
    ]);
    expect(page).toContain('A &lt;b&gt; title');
    expect(page).not.toMatch(/<script|<link|src="http|href="http/);
    expect(page).toContain('data:image/png;base64,');
    expect(escapeHtml(`<&"'>`)).toBe('&lt;&amp;&quot;&#39;&gt;');
  });

  it('bar chart marks values below the threshold', () => {
    const svg = barChartSvg({ title: 't', labels: ['x', 'y'], values: [10, 60], threshold: 40 });
    expect(svg.match(/fill="#d9534f"/g)?.length).toBe(1);
    expect(svg.match(/<rect /g)?.length).toBe(2);
  });

  it('encodes a valid PNG whose pixels round-trip', () => {
    const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
    const png = encodePngRgb(2, 2, rgb);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
    expect(png.readUInt32BE(16)).toBe(2);
    const idatLen = png.readUInt32BE(33);
    expect(png.toString('ascii', 37, 41)).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLen));
    expect(Array.from(raw)).toEqual([0, ...rgb.subarray(0, 6), 0, ...rgb.subarray(6)]);
  });
});
