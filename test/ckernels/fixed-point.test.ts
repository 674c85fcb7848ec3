/**
 * firmware-assets/src/kernels/fixed_point.h/.c = runtime-sim/interpreter/fixed-point.ts on seeded
 * random and edge int32 values (INT32_MIN/MAX, 0, +-1, powers of two): SaturatingRoundingDoublingHighMul,
 * RoundingDivideByPOT, MultiplyByQuantizedMultiplier, the gemmlowp exp on negative values,
 * one_over_one_plus_x, logistic and tanh. One gcc run; all values through one process.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KERNELS_DIR, STRICT_C_FLAGS } from '../../compiler/writers/c/index.js';
import {
  expOnNegativeValues, logisticFixedPoint, multiplyByQuantizedMultiplier, oneOverOnePlusXForXIn01, roundingDivideByPOT,
  saturatingRoundingDoublingHighMul, tanhFixedPoint,
} from '../../runtime-sim/interpreter/fixed-point.js';
import { mulberry32 } from './op-cases.js';
import { hasCompiler } from './multi-runner.js';

const HARNESS = `#include <stdio.h>
#include "fixed_point.h"
int main(void) {
  int32_t v[3];
  while (fread(v, 4, 3, stdin) == 3) {
    int32_t r[7];
    int e = (int)((uint32_t)v[2] % 32u), ib = 1 + (int)((uint32_t)v[2] % 12u);
    int s = (int)((uint32_t)v[2] % 63u) - 31;
    int32_t neg = v[0] > 0 ? -v[0] : v[0];
    r[0] = tsk_srdhm_q31(v[0], v[1]);
    r[1] = tsk_rounding_divide_by_pot(v[0], e);
    r[2] = tsk_mbqm(v[0], v[1] < 0 ? (int32_t)(-(v[1] + 1)) : v[1], s);
    r[3] = tsk_exp_on_negative_values(neg, ib);
    r[4] = tsk_one_over_one_plus_x_for_x_in_01(v[1] < 0 ? (int32_t)(-(v[1] + 1)) : v[1]);
    r[5] = tsk_logistic_q31(v[0], ib);
    r[6] = tsk_tanh_q31(v[0], ib);
    fwrite(r, 4, 7, stdout);
  }
  return 0;
}
`;

function triples(): Int32Array {
  const r = mulberry32(4242);
  const edge = [-2147483648, 2147483647, 0, 1, -1, 2, -2, 1 << 30, -(1 << 30), (1 << 30) + 1, 65536, -65535, 123456789, -987654321];
  const rnd = (): number => {
    const k = r();
    if (k < 0.15) return edge[Math.floor(r() * edge.length)]!;
    if (k < 0.4) return (Math.floor(r() * 65536) - 32768) | 0; // small magnitudes
    return (Math.floor(r() * 4294967296) | 0);
  };
  const out = new Int32Array(3 * 20000);
  for (let i = 0; i < out.length; i++) out[i] = rnd();
  for (let a = 0; a < edge.length; a++) for (let b = 0; b < edge.length; b++) { out[3 * (a * edge.length + b)] = edge[a]!; out[3 * (a * edge.length + b) + 1] = edge[b]!; }
  return out;
}

describe.skipIf(!hasCompiler('gcc'))('fixed_point.c = fixed-point.ts', () => {
  let dir = '';
  let exe = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tinyser-fixedpoint-'));
    writeFileSync(path.join(dir, 'h.c'), HARNESS);
    exe = path.join(dir, 'h');
    const r = spawnSync('gcc', [...STRICT_C_FLAGS, '-O2', '-I', KERNELS_DIR, path.join(dir, 'h.c'), path.join(KERNELS_DIR, 'fixed_point.c'), '-o', exe], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('agrees on 20000 seeded + edge triples for every function', () => {
    const v = triples();
    const out = execFileSync(exe, [], { input: Buffer.from(v.buffer), maxBuffer: 1 << 26 });
    const c = new Int32Array(out.buffer, out.byteOffset, out.length / 4);
    const n = v.length / 3;
    expect(c.length).toBe(7 * n);
    const names = ['srdhm', 'roundingDivideByPOT', 'mbqm', 'expOnNegativeValues', 'oneOverOnePlusX', 'logistic', 'tanh'];
    const mismatches = new Array<number>(7).fill(0);
    let firstBad = '';
    for (let i = 0; i < n; i++) {
      const a = v[3 * i]!, b = v[3 * i + 1]!, k = v[3 * i + 2]! >>> 0;
      const e = k % 32, ib = 1 + (k % 12), s = (k % 63) - 31;
      const neg = a > 0 ? -a : a;
      const pos = b < 0 ? -(b + 1) : b;
      const ts = [saturatingRoundingDoublingHighMul(a, b), roundingDivideByPOT(a, e), multiplyByQuantizedMultiplier(a, pos, s),
        expOnNegativeValues(neg, ib), oneOverOnePlusXForXIn01(pos), logisticFixedPoint(a, ib), tanhFixedPoint(a, ib)];
      for (let f = 0; f < 7; f++) {
        if (c[7 * i + f] !== ts[f]) {
          mismatches[f]!++;
          if (!firstBad) firstBad = `${names[f]}(${a}, ${b}, ${k}): C ${c[7 * i + f]} vs TS ${ts[f]}`;
        }
      }
    }
    expect(firstBad).toBe('');
    expect(mismatches).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});
