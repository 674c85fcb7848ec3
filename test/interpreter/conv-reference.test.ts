/**
 * The optimized int8 convolution paths (pointwise GEMM, zero-point-padded dilation-1 loop, generic
 * loop) and depthwise conv against a direct transcription of TFLM's ConvPerChannel /
 * DepthwiseConvPerChannel on random shapes: equal element for element.
 */
import { describe, expect, it } from 'vitest';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../../runtime-sim/interpreter/fixed-point.js';
import { createInterpreter, loadTfliteModel } from '../../runtime-sim/interpreter/index.js';
import { buildModel, bytesOf } from './tflite-builder.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

interface Case { inH: number; inW: number; inC: number; outC: number; fH: number; fW: number; stride: number; dil: number; same: boolean; depthwise: boolean; mult: number; groups: number }

function outSize(same: boolean, n: number, f: number, s: number, dil: number): number {
  const eff = (f - 1) * dil + 1;
  return same ? Math.floor((n + s - 1) / s) : Math.floor((n + s - eff) / s);
}

function runCase(c: Case, seed: number): void {
  const r = rng(seed);
  const int8s = (n: number): Int8Array => Int8Array.from({ length: n }, () => Math.floor(r() * 256) - 128);
  const outH = outSize(c.same, c.inH, c.fH, c.stride, c.dil), outW = outSize(c.same, c.inW, c.fW, c.stride, c.dil);
  const outC = c.depthwise ? c.inC * c.mult : c.outC;
  const filterInC = c.depthwise ? 1 : c.inC / c.groups;
  const wShape = c.depthwise ? [1, c.fH, c.fW, outC] : [outC, c.fH, c.fW, filterInC];
  const w = int8s(wShape.reduce((a, b) => a * b, 1));
  const bias = Int32Array.from({ length: outC }, () => Math.floor(r() * 2000) - 1000);
  const wScales = Array.from({ length: outC }, () => 0.002 + r() * 0.01);
  const inQ = { s: 0.05, zp: Math.floor(r() * 40) - 20 }, outQ = { s: 0.3, zp: Math.floor(r() * 20) - 10 };
  const options = c.depthwise
    ? [{ id: 0, kind: 'i8' as const, value: c.same ? 0 : 1 }, { id: 1, kind: 'i32' as const, value: c.stride }, { id: 2, kind: 'i32' as const, value: c.stride }, { id: 3, kind: 'i32' as const, value: c.mult }, { id: 5, kind: 'i32' as const, value: c.dil }, { id: 6, kind: 'i32' as const, value: c.dil }]
    : [{ id: 0, kind: 'i8' as const, value: c.same ? 0 : 1 }, { id: 1, kind: 'i32' as const, value: c.stride }, { id: 2, kind: 'i32' as const, value: c.stride }, { id: 4, kind: 'i32' as const, value: c.dil }, { id: 5, kind: 'i32' as const, value: c.dil }];
  const bytes = buildModel({
    tensors: [
      { shape: [1, c.inH, c.inW, c.inC], type: 'int8', scale: [inQ.s], zeroPoint: [inQ.zp] },
      { shape: wShape, type: 'int8', scale: wScales, zeroPoint: wScales.map(() => 0), quantizedDimension: c.depthwise ? 3 : 0, data: bytesOf(w) },
      { shape: [outC], type: 'int32', scale: wScales.map((s) => s * inQ.s), zeroPoint: wScales.map(() => 0), data: bytesOf(bias) },
      { shape: [1, outH, outW, outC], type: 'int8', scale: [outQ.s], zeroPoint: [outQ.zp] },
    ],
    inputs: [0], outputs: [3],
    ops: [{ builtinCode: c.depthwise ? 4 : 3, inputs: [0, 1, 2], outputs: [3], optionsType: c.depthwise ? 2 : 1, options }],
  });
  const interp = createInterpreter(loadTfliteModel(bytes));
  const x = int8s(c.inH * c.inW * c.inC);
  interp.setInput(0, x);
  interp.invoke();
  const got = interp.output(0).data as Int8Array;
  // Direct TFLM reference.
  const padTotal = (n: number, f: number, o: number): number => Math.max(0, (o - 1) * c.stride + (f - 1) * c.dil + 1 - n);
  const padH = Math.floor(padTotal(c.inH, c.fH, outH) / 2), padW = Math.floor(padTotal(c.inW, c.fW, outW) / 2);
  const f32 = Math.fround;
  let mismatches = 0;
  for (let oy = 0; oy < outH; oy++) for (let ox = 0; ox < outW; ox++) for (let oc = 0; oc < outC; oc++) {
    let acc = 0;
    for (let fy = 0; fy < c.fH; fy++) for (let fx = 0; fx < c.fW; fx++) {
      const iy = oy * c.stride - padH + fy * c.dil, ix = ox * c.stride - padW + fx * c.dil;
      if (iy < 0 || iy >= c.inH || ix < 0 || ix >= c.inW) continue;
      if (c.depthwise) {
        const ic = Math.floor(oc / c.mult);
        acc += w[(fy * c.fW + fx) * outC + oc]! * (x[(iy * c.inW + ix) * c.inC + ic]! - inQ.zp);
      } else {
        const g = Math.floor(oc / (outC / c.groups));
        for (let k = 0; k < filterInC; k++) acc += w[((oc * c.fH + fy) * c.fW + fx) * filterInC + k]! * (x[(iy * c.inW + ix) * c.inC + g * filterInC + k]! - inQ.zp);
      }
    }
    acc += bias[oc]!;
    const q = quantizeMultiplier((f32(inQ.s) * f32(wScales[oc]!)) / f32(outQ.s));
    const want = Math.max(-128, Math.min(127, multiplyByQuantizedMultiplier(acc | 0, q.multiplier, q.shift) + outQ.zp));
    if (got[(oy * outW + ox) * outC + oc] !== want) mismatches++;
  }
  expect(mismatches, JSON.stringify(c)).toBe(0);
}

describe('int8 convolution paths equal the direct TFLM formula', () => {
  const base = { inH: 9, inW: 7, inC: 6, outC: 5, fH: 3, fW: 3, stride: 1, dil: 1, same: true, depthwise: false, mult: 1, groups: 1 };
  const cases: Case[] = [
    { ...base }, // padded path, SAME
    { ...base, same: false, stride: 2 }, // padded path, VALID stride 2 (leftover rows)
    { ...base, fH: 5, fW: 2, stride: 3 },
    { ...base, fH: 1, fW: 1 }, // pointwise GEMM path
    { ...base, dil: 2 }, // generic path
    { ...base, groups: 2, outC: 4 }, // grouped conv (padded path, grouped loop)
    { ...base, depthwise: true }, // depthwise multiplier 1
    { ...base, depthwise: true, mult: 3, stride: 2, same: false },
    { ...base, depthwise: true, dil: 2, fH: 2, fW: 4 },
  ];
  it.each(cases.map((c, i) => [i, c] as const))('case %i', (i, c) => {
    for (let s = 0; s < 3; s++) runCase(c, 1000 * i + s);
  });
});
