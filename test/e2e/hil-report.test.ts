/** Latency statistics and the JUnit XML of the SER HIL report (pure functions, no device). */
import { describe, expect, it } from 'vitest';
import { latencyBudgetSchema, latencyStats, serHilJunit, type SerHilReport } from '../../device-bridge/hil/ser-hil.js';

describe('latencyStats', () => {
  it('uses nearest-rank percentiles', () => {
    const v = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100, unsorted
    expect(latencyStats(v)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(latencyStats([7])).toEqual({ count: 1, p50: 7, p95: 7, p99: 7, max: 7 });
    expect(latencyStats([]).count).toBe(0);
  });
});

describe('latency budget file', () => {
  it('defaults the statistic to p99 and rejects unknown keys', () => {
    expect(latencyBudgetSchema.parse({ modelMs: 5 })).toEqual({ statistic: 'p99', modelMs: 5 });
    expect(latencyBudgetSchema.safeParse({ modelMS: 5 }).success).toBe(false);
    expect(latencyBudgetSchema.safeParse({ modelMs: -1 }).success).toBe(false);
  });
});

describe('serHilJunit', () => {
  const stats = { count: 1, p50: 1, p95: 1, p99: 1, max: 1 };
  const stage = { ticks: stats, ms: stats };
  const base = {
    clockHz: 25e6,
    windows: 3,
    matched: 2,
    bitExact: false,
    latency: { frontend: stage, model: stage, total: stage },
    pass: false,
  } as unknown as SerHilReport;
  it('has one case per clip and per budget limit, failures counted and escaped', () => {
    const r: SerHilReport = {
      ...base,
      clips: [
        { name: 'a<&>.wav', windows: 2, matched: 2, bitExact: true, mismatches: [], deviceScores: [], twinScores: [] },
        { name: 'b.wav', windows: 1, matched: 0, bitExact: false, mismatches: [{ window: 0, field: 'scores', device: [1], twin: [2] }], deviceScores: [], twinScores: [] },
      ],
      budget: [{ stage: 'model', statistic: 'p99', limitMs: 0.5, measuredMs: 1, pass: false }],
    };
    const x = serHilJunit(r, 'suite');
    expect(x).toContain('tests="3" failures="2"');
    expect(x).toContain('name="a&lt;&amp;&gt;.wav"');
    expect(x).toContain('window 0 scores: device [1] twin [2]');
    expect(x).toContain('model p99 1.000 ms &gt; 0.5 ms');
  });
});
