/**
 * The fast paths (runtime-sim/interpreter/fast/) against the reference loops kept beside them in
 * the kernel files: byte-equal outputs on random shapes (stride 1 and 2, SAME/VALID padding, odd
 * channel counts, several batches, per-channel multipliers), and the WebAssembly requantization
 * against fixed-point.ts on random and edge-case inputs.
 */
import { describe, expect, it } from 'vitest';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../../runtime-sim/interpreter/fixed-point.js';
import { ConvInt8Simd, convSimdModule } from '../../runtime-sim/interpreter/fast/conv-int8-simd.js';
import { averagePoolInt8, maxPoolInt8 } from '../../runtime-sim/interpreter/fast/pool-int8.js';
import { requantizePerChannelInt8Wasm } from '../../runtime-sim/interpreter/fast/requantize-wasm.js';
import { requantizePerChannelInt8Simd } from '../../runtime-sim/interpreter/fast/requantize-simd.js';
import { convPerChannelInt8Reference, type ConvInt8Params } from '../../runtime-sim/interpreter/kernels/conv2d.js';
import { depthwiseConvPerChannelInt8Reference, depthwiseInt8FastPath, type DepthwiseParams } from '../../runtime-sim/interpreter/kernels/depthwise-conv2d.js';
import { DepthwiseInt8Simd, depthwiseSimdModule } from '../../runtime-sim/interpreter/fast/depthwise-int8-simd.js';
import { fullyConnectedInt8, fullyConnectedInt8FastPath, fullyConnectedInt8Reference, type FullyConnectedParams } from '../../runtime-sim/interpreter/kernels/fully-connected.js';
import { MaxPoolInt8Simd } from '../../runtime-sim/interpreter/fast/max-pool-int8-simd.js';
import { AveragePoolInt8Simd } from '../../runtime-sim/interpreter/fast/average-pool-int8-simd.js';
import { averagePool2dReference } from '../../runtime-sim/interpreter/kernels/average-pool2d.js';
import { maxPool2dReference } from '../../runtime-sim/interpreter/kernels/max-pool2d.js';
import type { PoolGeometry } from '../../runtime-sim/interpreter/kernel-util.js';
import { createInterpreter, loadTfliteModel } from '../../runtime-sim/interpreter/index.js';
import { haveGolden, readGoldenModel, readManifest, skipReason } from './golden-paths.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const int = (r: () => number, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const int8s = (r: () => number, n: number): Int8Array => Int8Array.from({ length: n }, () => int(r, -128, 127));

function outSize(same: boolean, n: number, f: number, s: number): number {
  return same ? Math.floor((n + s - 1) / s) : Math.floor((n + s - f) / s);
}
function leadingPad(n: number, f: number, s: number, o: number): number {
  return Math.trunc(Math.max(0, (o - 1) * s + f - n) / 2);
}

const hasSimd = convSimdModule() !== null;

describe('WebAssembly SIMD kernels', () => {
  it('compile on this runtime (Node >= 16 has SIMD; a null here means a broken module and silent JS fallback)', () => {
    expect(convSimdModule()).not.toBeNull();
    expect(depthwiseSimdModule()).not.toBeNull();
    expect(MaxPoolInt8Simd.create({ batches: 1, inH: 2, inW: 2, channels: 3, outH: 1, outW: 1, fH: 2, fW: 2, strideH: 2, strideW: 2, padH: 0, padW: 0, actMin: -128, actMax: 127 })).not.toBeNull();
  });
});

describe.skipIf(!hasSimd)('WebAssembly requantization equals multiplyByQuantizedMultiplier', () => {
  it('SIMD lanes: every right shift 0..31 at every rounding boundary of the double step', () => {
    // For each exponent e, accumulators whose SRDHM result q sits at, just below and just above
    // k * 2^e +- 2^(e-1) (the round-half-away-from-zero ties), positive and negative, so the
    // double-based division by 2^e is checked exactly where it could round the wrong way.
    const r = rng(5);
    let bad = 0, n = 0;
    for (let e = 0; e <= 31; e++) {
      const channels = 4;
      const multiplier = new Int32Array(channels).fill(2 ** 30); // SRDHM(x, 2^30) = round(x / 2)
      const shift = new Int32Array(channels).fill(-e);
      const acc: number[] = [];
      for (let t = 0; t < 400; t++) {
        const span = Math.min(100, 2 ** Math.max(0, 30 - e)); // outputs stay inside int8: no clamp hides a rounding error
        const k = int(r, -span, span);
        const q = k * 2 ** e + (e > 0 ? 2 ** (e - 1) : 0) * (r() < 0.5 ? 1 : -1) + int(r, -1, 1);
        const x = 2 * q + int(r, -1, 0); // SRDHM(2q or 2q-1, 2^30) = q
        if (x >= -(2 ** 31) && x < 2 ** 31) acc.push(x);
      }
      while (acc.length % channels !== 0) acc.push(0);
      const a = Int32Array.from(acc);
      const got = requantizePerChannelInt8Simd(a, channels, null, multiplier, shift, 0, -128, 127, false)!;
      for (let i = 0; i < a.length; i++) {
        const v = multiplyByQuantizedMultiplier(a[i]!, multiplier[0]!, -e);
        if (v > 127 || v < -128 || got[i] !== v) bad++;
        n++;
      }
    }
    expect(n).toBeGreaterThan(30 * 300);
    expect(bad).toBe(0);
  });

  it('random per-channel multipliers, shifts, biases and accumulators (incl. extremes)', () => {
    const r = rng(42);
    const channels = 37;
    let mismatches = 0, simdMismatches = 0, checked = 0;
    for (let round = 0; round < 60; round++) {
      const multiplier = new Int32Array(channels), shift = new Int32Array(channels);
      for (let c = 0; c < channels; c++) {
        const pick = r();
        // Realistic effective scales, plus left shifts (wrapping), the largest right shift and zero.
        const q = pick < 0.05 ? { multiplier: 0, shift: 0 } : pick < 0.1 ? { multiplier: int(r, 2 ** 30, 2 ** 31 - 1), shift: -31 }
          : pick < 0.2 ? { multiplier: int(r, 2 ** 30, 2 ** 31 - 1), shift: int(r, 1, 6) } : quantizeMultiplier(2 ** (-20 * r()) * (0.5 + r()));
        multiplier[c] = q.multiplier;
        shift[c] = q.shift;
      }
      const bias = Int32Array.from({ length: channels }, () => (r() < 0.1 ? int(r, -(2 ** 31), 2 ** 31 - 1) : int(r, -50000, 50000)));
      const pixels = 100;
      const acc = new Int32Array(pixels * channels);
      for (let i = 0; i < acc.length; i++) {
        const c = i % channels, pick = r();
        if (pick < 0.05) acc[i] = [-(2 ** 31), 2 ** 31 - 1, 0, -1, 1][int(r, 0, 4)]!;
        else if (pick < 0.5) {
          // Aim near a rounding boundary of the output: acc ~ (k + 0.5) / effective scale.
          const eff = (multiplier[c]! / 2 ** 31) * 2 ** shift[c]!;
          acc[i] = eff > 0 ? (Math.round((int(r, -300, 300) + 0.5) / eff) + int(r, -2, 2) - bias[c]!) | 0 : int(r, -1000, 1000);
        } else acc[i] = int(r, -(2 ** 24), 2 ** 24);
      }
      const outOff = int(r, -128, 127);
      const [actMin, actMax] = r() < 0.5 ? [-128, 127] : [int(r, -128, 0), int(r, 0, 127)];
      const got = requantizePerChannelInt8Wasm(acc, channels, bias, multiplier, shift, outOff, actMin, actMax)!;
      // The SIMD lanes version (requantize-simd.ts), with and without the left-shift step.
      const gotSimd = requantizePerChannelInt8Simd(acc, channels, bias, multiplier, shift, outOff, actMin, actMax, true)!;
      const noLeft = shift.map((s) => Math.min(s, 0));
      const gotSimdNoLeft = requantizePerChannelInt8Simd(acc, channels, bias, multiplier, noLeft, outOff, actMin, actMax, false)!;
      for (let i = 0; i < acc.length; i++) {
        const c = i % channels;
        let v = multiplyByQuantizedMultiplier((acc[i]! + bias[c]!) | 0, multiplier[c]!, shift[c]!) + outOff;
        v = v < actMin ? actMin : v > actMax ? actMax : v;
        if (got[i] !== v) mismatches++;
        if (gotSimd[i] !== v) simdMismatches++;
        let w = multiplyByQuantizedMultiplier((acc[i]! + bias[c]!) | 0, multiplier[c]!, noLeft[c]!) + outOff;
        w = w < actMin ? actMin : w > actMax ? actMax : w;
        if (gotSimdNoLeft[i] !== w) simdMismatches++;
        checked++;
      }
    }
    expect(checked).toBe(60 * 100 * 37);
    expect(mismatches).toBe(0);
    expect(simdMismatches).toBe(0);
  });
});

function convParams(r: () => number, batches: number, same: boolean): ConvInt8Params {
  const inH = int(r, 1, 12), inW = int(r, 1, 12), inC = int(r, 1, 40), outC = r() < 0.7 ? int(r, 1, 19) : int(r, 20, 41);
  const fH = int(r, 1, 4), fW = int(r, 1, 4), strideH = int(r, 1, 3), strideW = int(r, 1, 2);
  const outH = outSize(same, inH, fH, strideH), outW = outSize(same, inW, fW, strideW);
  const multiplier = new Int32Array(outC), shift = new Int32Array(outC);
  const leftShifts = r() < 0.2; // some channels with multipliers above one (the i32x4.mul step)
  for (let c = 0; c < outC; c++) {
    const q = leftShifts && r() < 0.3 ? { multiplier: int(r, 2 ** 30, 2 ** 31 - 1), shift: int(r, 1, 2) } : quantizeMultiplier((0.05 * (0.001 + 0.01 * r())) / 0.2);
    multiplier[c] = q.multiplier;
    shift[c] = q.shift;
  }
  const relu = r() < 0.3;
  const outputOffset = int(r, -20, 20);
  return {
    batches, inH, inW, inC, outH, outW, outC, fH, fW, filterInC: inC, strideH, strideW, dilH: 1, dilW: 1,
    padH: leadingPad(inH, fH, strideH, outH), padW: leadingPad(inW, fW, strideW, outW),
    inputOffset: -int(r, -128, 127), outputOffset, multiplier, shift, actMin: relu ? outputOffset : -128, actMax: 127,
  };
}

describe.skipIf(!hasSimd)('SIMD CONV_2D equals convPerChannelInt8Reference', () => {
  it('random shapes, strides 1-3, SAME and VALID, per-channel (some above one), 1-41 channels, batches', () => {
    const r = rng(7);
    let cases = 0;
    for (let t = 0; t < 150; t++) {
      const p = convParams(r, int(r, 1, 2), r() < 0.5);
      if (p.outH <= 0 || p.outW <= 0) continue;
      const w = int8s(r, p.outC * p.fH * p.fW * p.inC);
      const x = r() < 0.1 ? new Int8Array(p.batches * p.inH * p.inW * p.inC).fill(-128) : int8s(r, p.batches * p.inH * p.inW * p.inC);
      const b = r() < 0.2 ? null : Int32Array.from({ length: p.outC }, () => int(r, -20000, 20000));
      const want = new Int8Array(p.batches * p.outH * p.outW * p.outC);
      convPerChannelInt8Reference(x, w, b, want, p);
      const simd = ConvInt8Simd.create(p, w, { inputZeroPoint: -p.inputOffset, outputZeroPoint: p.outputOffset, multiplier: p.multiplier, shift: p.shift, actMin: p.actMin, actMax: p.actMax })!;
      const got = new Int8Array(want.length);
      simd.invoke(x, b, got, p.batches);
      expect(Array.from(got), JSON.stringify({ ...p, multiplier: undefined, shift: undefined })).toEqual(Array.from(want));
      // A second invoke on new data reuses the prepared memory (the border must stay zero).
      const x2 = int8s(r, x.length);
      convPerChannelInt8Reference(x2, w, b, want, p);
      simd.invoke(x2, b, got, p.batches);
      expect(Array.from(got)).toEqual(Array.from(want));
      cases++;
    }
    expect(cases).toBeGreaterThan(100);
  });

  it('saturates the accumulator range the int16 dot product relies on (x - zp = -255, w = -128)', () => {
    const q = quantizeMultiplier(5e-6); // interior 9 * 64 * 32640 taps -> 94, edges and corners less
    const p = { ...convParams(rng(3), 1, true), multiplier: new Int32Array(8).fill(q.multiplier), shift: new Int32Array(8).fill(q.shift), outputOffset: 0, actMin: -128, actMax: 127, inH: 5, inW: 5, inC: 64, filterInC: 64, outC: 8, fH: 3, fW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1, outH: 5, outW: 5, inputOffset: -127 };
    const w = new Int8Array(p.outC * 9 * p.inC).fill(-128);
    const x = new Int8Array(25 * p.inC).fill(-128);
    const want = new Int8Array(25 * p.outC), got = new Int8Array(25 * p.outC);
    convPerChannelInt8Reference(x, w, null, want, p);
    expect(new Set(want).size).toBeGreaterThan(1); // border pixels see fewer taps: not all clamped alike
    ConvInt8Simd.create(p, w, { inputZeroPoint: 127, outputZeroPoint: p.outputOffset, multiplier: p.multiplier, shift: p.shift, actMin: p.actMin, actMax: p.actMax })!.invoke(x, null, got, 1);
    expect(Array.from(got)).toEqual(Array.from(want));
  });
});

describe.skipIf(!hasSimd)('SIMD int8 x int8 -> int16 products (the LSTM gate FCs) equal the reference arithmetic', () => {
  it('random depths, rows and gate-wise multipliers: clamp16(MBQM(sum(w * (x - zp)) + bias))', () => {
    const r = rng(31);
    for (let t = 0; t < 40; t++) {
      const rows = int(r, 1, 12), depth = int(r, 1, 300), outC = 4 * int(r, 1, 24), zp = int(r, -128, 127);
      const multiplier = new Int32Array(outC), shift = new Int32Array(outC);
      for (let g = 0; g < 4; g++) {
        const q = quantizeMultiplier(2 ** int(r, -4, 6) * (0.5 + r()) / depth); // per gate, some products saturate int16
        multiplier.fill(q.multiplier, (g * outC) / 4, ((g + 1) * outC) / 4);
        shift.fill(q.shift, (g * outC) / 4, ((g + 1) * outC) / 4);
      }
      const w = int8s(r, outC * depth), x = int8s(r, rows * depth);
      const b = r() < 0.3 ? null : Int32Array.from({ length: outC }, () => int(r, -40000, 40000));
      const want = new Int16Array(rows * outC);
      for (let p = 0; p < rows; p++) {
        for (let c = 0; c < outC; c++) {
          let acc = b ? b[c]! : 0;
          for (let k = 0; k < depth; k++) acc += w[c * depth + k]! * (x[p * depth + k]! - zp);
          want[p * outC + c] = Math.max(-32768, Math.min(32767, multiplyByQuantizedMultiplier(acc | 0, multiplier[c]!, shift[c]!)));
        }
      }
      const conv = ConvInt8Simd.createInt16Output({ inH: 1, inW: rows, inC: depth, outH: 1, outW: rows, outC, fH: 1, fW: 1, strideH: 1, strideW: 1, padH: 0, padW: 0 }, w,
        { inputZeroPoint: zp, outputZeroPoint: 0, multiplier, shift, actMin: -32768, actMax: 32767 })!;
      const got = new Int16Array(want.length);
      conv.invoke(x, b, got, 1);
      expect(Array.from(got), JSON.stringify({ rows, depth, outC })).toEqual(Array.from(want));
    }
    // Another output quantization is refused (the caller keeps its JS loop).
    expect(ConvInt8Simd.createInt16Output({ inH: 1, inW: 1, inC: 4, outH: 1, outW: 1, outC: 4, fH: 1, fW: 1, strideH: 1, strideW: 1, padH: 0, padW: 0 }, new Int8Array(16),
      { inputZeroPoint: 0, outputZeroPoint: 3, multiplier: new Int32Array(4), shift: new Int32Array(4), actMin: -32768, actMax: 32767 })).toBeNull();
  });
});

describe.skipIf(!hasSimd)('SIMD DEPTHWISE_CONV_2D equals depthwiseConvPerChannelInt8Reference', () => {
  it('random shapes, strides, dilations, depth multipliers, SAME and VALID, per-channel, batches', () => {
    const r = rng(19);
    let cases = 0;
    for (let t = 0; t < 200; t++) {
      const inH = int(r, 1, 12), inW = int(r, 1, 12), inC = int(r, 1, 13), depthMultiplier = r() < 0.6 ? 1 : int(r, 2, 8);
      const outC = inC * depthMultiplier, fH = int(r, 1, 4), fW = int(r, 1, 4), strideH = int(r, 1, 2), strideW = int(r, 1, 3);
      const dilH = r() < 0.8 ? 1 : 2, dilW = r() < 0.8 ? 1 : 3, same = r() < 0.5, batches = int(r, 1, 2);
      const effH = (fH - 1) * dilH + 1, effW = (fW - 1) * dilW + 1;
      const outH = outSize(same, inH, effH, strideH), outW = outSize(same, inW, effW, strideW);
      if (outH <= 0 || outW <= 0) continue;
      const multiplier = new Int32Array(outC), shift = new Int32Array(outC);
      for (let c = 0; c < outC; c++) {
        const q = quantizeMultiplier(0.0005 + 0.01 * r());
        multiplier[c] = q.multiplier;
        shift[c] = q.shift;
      }
      const outputOffset = int(r, -20, 20), relu = r() < 0.3;
      const p: DepthwiseParams = {
        batches, inH, inW, inC, outH, outW, outC, fH, fW, depthMultiplier, strideH, strideW, dilH, dilW,
        padH: leadingPad(inH, effH, strideH, outH), padW: leadingPad(inW, effW, strideW, outW),
        inputOffset: -int(r, -128, 127), outputOffset, multiplier, shift, actMin: relu ? outputOffset : -128, actMax: relu ? 120 : 127,
      };
      const w = int8s(r, fH * fW * outC);
      const b = r() < 0.2 ? null : Int32Array.from({ length: outC }, () => int(r, -5000, 5000));
      // The kernel's own choice (one input channel -> conv-int8-simd, multiplier 1 -> depthwise-int8-lanes,
      // else depthwise-int8-simd); every few cases the multiplier-agnostic DepthwiseInt8Simd as well.
      const simd = t % 4 === 3
        ? DepthwiseInt8Simd.create(p, w, { inputZeroPoint: -p.inputOffset, outputZeroPoint: outputOffset, multiplier, shift, actMin: p.actMin, actMax: p.actMax })!
        : depthwiseInt8FastPath(p, w)!;
      for (let rep = 0; rep < 2; rep++) { // the second invoke reuses the prepared image (border stays zero)
        const x = int8s(r, batches * inH * inW * inC);
        const want = new Int8Array(batches * outH * outW * outC), got = new Int8Array(want.length);
        depthwiseConvPerChannelInt8Reference(x, w, b, want, p);
        simd.invoke(x, b, got, batches);
        expect(Array.from(got), JSON.stringify({ ...p, multiplier: undefined, shift: undefined })).toEqual(Array.from(want));
      }
      cases++;
    }
    expect(cases).toBeGreaterThan(150);
  });
});

describe.skipIf(!hasSimd)('SIMD DEPTHWISE_CONV_2D routes on model-like shapes', () => {
  it('one input channel with a large filter (conv route), 72 and 136 channels (widening loop), 5x5 taps, dilation 2, left shifts', () => {
    const r = rng(29);
    const shapes = [
      { inH: 49, inW: 40, inC: 1, depthMultiplier: 8, fH: 10, fW: 8, strideH: 2, strideW: 2, dilH: 1, dilW: 1 }, // micro_speech's first layer
      { inH: 20, inW: 20, inC: 1, depthMultiplier: 3, fH: 3, fW: 3, strideH: 2, strideW: 2, dilH: 1, dilW: 1 },
      { inH: 7, inW: 6, inC: 72, depthMultiplier: 1, fH: 3, fW: 3, strideH: 1, strideW: 1, dilH: 1, dilW: 1 },
      { inH: 9, inW: 9, inC: 136, depthMultiplier: 1, fH: 5, fW: 5, strideH: 2, strideW: 2, dilH: 1, dilW: 1 },
      { inH: 11, inW: 10, inC: 13, depthMultiplier: 1, fH: 3, fW: 2, strideH: 1, strideW: 3, dilH: 2, dilW: 2 },
      { inH: 5, inW: 5, inC: 1, depthMultiplier: 2, fH: 2, fW: 2, strideH: 1, strideW: 1, dilH: 2, dilW: 1 }, // dilated: depthwise-int8-simd
    ];
    for (const sh of shapes) {
      for (const same of [true, false]) {
        const outC = sh.inC * sh.depthMultiplier, effH = (sh.fH - 1) * sh.dilH + 1, effW = (sh.fW - 1) * sh.dilW + 1;
        const outH = outSize(same, sh.inH, effH, sh.strideH), outW = outSize(same, sh.inW, effW, sh.strideW);
        const multiplier = new Int32Array(outC), shift = new Int32Array(outC);
        for (let c = 0; c < outC; c++) {
          const q = c % 5 === 0 ? { multiplier: int(r, 2 ** 30, 2 ** 31 - 1), shift: int(r, 1, 3) } : quantizeMultiplier((0.004 * (0.5 + r())) / Math.sqrt(sh.fH * sh.fW));
          multiplier[c] = q.multiplier;
          shift[c] = q.shift;
        }
        const p: DepthwiseParams = {
          batches: 1, ...sh, outC, outH, outW, padH: same ? leadingPad(sh.inH, effH, sh.strideH, outH) : 0, padW: same ? leadingPad(sh.inW, effW, sh.strideW, outW) : 0,
          inputOffset: -int(r, -128, 127), outputOffset: int(r, -128, 20), multiplier, shift, actMin: -128, actMax: 127,
        };
        const w = int8s(r, sh.fH * sh.fW * outC), x = int8s(r, sh.inH * sh.inW * sh.inC);
        const b = Int32Array.from({ length: outC }, () => int(r, -3000, 3000));
        const want = new Int8Array(outH * outW * outC), got = new Int8Array(want.length);
        depthwiseConvPerChannelInt8Reference(x, w, b, want, p);
        depthwiseInt8FastPath(p, w)!.invoke(x, b, got, 1);
        expect(new Set(want).size, JSON.stringify(sh)).toBeGreaterThan(Math.min(20, want.length / 4)); // not one clamped value
        expect(Array.from(got), JSON.stringify(sh)).toEqual(Array.from(want));
      }
    }
  });
});

function poolGeometry(r: () => number): PoolGeometry {
  const inH = int(r, 1, 11), inW = int(r, 1, 11), channels = int(r, 1, 33), global = r() < 0.1;
  const fH = global ? inH : int(r, 1, 4), fW = global ? inW : int(r, 1, 4), strideH = int(r, 1, 3), strideW = int(r, 1, 3), same = r() < 0.5;
  const outH = outSize(same, inH, fH, strideH), outW = outSize(same, inW, fW, strideW);
  const relu = r() < 0.3;
  return {
    batches: int(r, 1, 2), inH, inW, channels, outH, outW, fH, fW, strideH, strideW,
    padH: leadingPad(inH, fH, strideH, outH), padW: leadingPad(inW, fW, strideW, outW), actMin: relu ? int(r, -10, 10) : -128, actMax: relu ? 100 : 127,
  };
}

describe('int8 pooling fast paths (JS and SIMD) equal the reference loops', () => {
  it('MAX_POOL_2D and AVERAGE_POOL_2D on random shapes and paddings', () => {
    const r = rng(11);
    let cases = 0, simdCases = 0;
    for (let t = 0; t < 200; t++) {
      const g = poolGeometry(r);
      if (g.outH <= 0 || g.outW <= 0) continue;
      const x = int8s(r, g.batches * g.inH * g.inW * g.channels);
      const n = g.batches * g.outH * g.outW * g.channels;
      const wantMax = new Int8Array(n), gotMax = new Int8Array(n);
      maxPool2dReference(x, wantMax, g);
      maxPoolInt8(x, gotMax, g);
      expect(Array.from(gotMax)).toEqual(Array.from(wantMax));
      const simd = MaxPoolInt8Simd.create(g);
      if (hasSimd) expect(simd).not.toBeNull(); // SAME/VALID windows always hold a real tap
      if (simd !== null) {
        const gotSimd = new Int8Array(n);
        simd.invoke(x, gotSimd);
        expect(Array.from(gotSimd)).toEqual(Array.from(wantMax));
        simdCases++;
      }
      const wantAvg = new Int8Array(n), gotAvg = new Int8Array(n);
      averagePool2dReference(x, wantAvg, g, false, () => { throw new Error('empty window'); });
      expect(averagePoolInt8(x, gotAvg, g, new Int32Array(g.channels))).toBe(true);
      expect(Array.from(gotAvg)).toEqual(Array.from(wantAvg));
      const avgSimd = AveragePoolInt8Simd.create(g);
      if (hasSimd) expect(avgSimd).not.toBeNull();
      if (avgSimd !== null) {
        const gotAvgSimd = new Int8Array(n);
        avgSimd.invoke(x, gotAvgSimd);
        expect(Array.from(gotAvgSimd)).toEqual(Array.from(wantAvg));
      }
      cases++;
    }
    expect(cases).toBeGreaterThan(150);
    if (hasSimd) expect(simdCases).toBe(cases);
  });
});

describe('int8 FULLY_CONNECTED fast path equals fullyConnectedInt8Reference', () => {
  it('random depths (incl. not multiples of 4), batches, per-tensor and per-channel, filter offsets', () => {
    const r = rng(23);
    let varied = 0, simdCases = 0;
    for (let t = 0; t < 150; t++) {
      const batches = int(r, 1, 6), accumDepth = t % 10 === 0 ? int(r, 1000, 4000) : int(r, 1, 300), outputDepth = int(r, 1, 12), perChannel = r() < 0.5;
      const nq = perChannel ? outputDepth : 1;
      const multiplier = new Int32Array(nq), shift = new Int32Array(nq);
      for (let c = 0; c < nq; c++) {
        const q = quantizeMultiplier(0.0002 + 0.01 * r());
        multiplier[c] = q.multiplier;
        shift[c] = q.shift;
      }
      const p: FullyConnectedParams = {
        batches, accumDepth, outputDepth, inputOffset: -int(r, -128, 127), filterOffset: r() < 0.8 ? 0 : -int(r, -10, 10),
        outputOffset: int(r, -30, 30), multiplier, shift, actMin: -128, actMax: r() < 0.3 ? 90 : 127,
      };
      const w = int8s(r, outputDepth * accumDepth), x = int8s(r, batches * accumDepth);
      const b = r() < 0.2 ? null : Int32Array.from({ length: outputDepth }, () => int(r, -30000, 30000));
      const rowSums = new Float64Array(outputDepth);
      for (let c = 0; c < outputDepth; c++) for (let k = 0; k < accumDepth; k++) rowSums[c] += w[c * accumDepth + k]! + p.filterOffset;
      const want = new Int8Array(batches * outputDepth), got = new Int8Array(want.length);
      fullyConnectedInt8Reference(x, w, b, want, p);
      fullyConnectedInt8(x, w, b, got, p, rowSums);
      expect(Array.from(got)).toEqual(Array.from(want));
      const simd = fullyConnectedInt8FastPath(p, w); // the 1x1-convolution route (zero filter offset only)
      if (p.filterOffset === 0 && hasSimd) {
        const gotSimd = new Int8Array(want.length);
        simd!.invoke(x, b, gotSimd, 1);
        expect(Array.from(gotSimd)).toEqual(Array.from(want));
        simdCases++;
      } else if (p.filterOffset !== 0) expect(simd).toBeNull();
      if (new Set(want).size > 1) varied++;
    }
    expect(varied).toBeGreaterThan(75); // most cases are not one clamped value
    if (hasSimd) expect(simdCases).toBeGreaterThan(100);
  });
});

describe.skipIf(!hasSimd || !haveGolden)(`UNIDIRECTIONAL_SEQUENCE_LSTM: SIMD gate FCs equal the JS loops${haveGolden ? '' : ` (skipped: ${skipReason})`}`, () => {
  it('both golden LSTM models, random inputs, 12 stateful invokes: every output and state byte', () => {
    const r = rng(37);
    for (const name of ['micro_speech_lstm', 'trained_lstm_int8']) {
      const model = loadTfliteModel(readGoldenModel(readManifest(name)), `${name}.tflite`);
      const fast = createInterpreter(model), js = createInterpreter(model);
      // The JS interpreter's LSTM prepared data without the SIMD FCs: evalInteger then runs its own loops.
      const ops = (js as unknown as { ops: { ctx: { op: { opName: string } }; data: { fast: unknown } }[] }).ops;
      const lstm = ops.filter((o) => o.ctx.op.opName === 'UNIDIRECTIONAL_SEQUENCE_LSTM');
      expect(lstm.length).toBeGreaterThan(0);
      const fastOps = (fast as unknown as { ops: { ctx: { op: { opName: string } }; data: { fast: unknown } }[] }).ops;
      expect(fastOps.filter((o) => o.ctx.op.opName === 'UNIDIRECTIONAL_SEQUENCE_LSTM').every((o) => o.data.fast !== null)).toBe(true);
      for (const o of lstm) o.data.fast = null;
      for (let step = 0; step < 12; step++) {
        const x = int8s(r, fast.inputs[0]!.byteLength);
        fast.setInput(0, x);
        js.setInput(0, x);
        const a = fast.invoke({ dumpAll: true })!, b = js.invoke({ dumpAll: true })!;
        for (const [idx, t] of a) expect(Array.from(t.bytes), `${name} invoke ${step} tensor ${idx} (${t.name})`).toEqual(Array.from(b.get(idx)!.bytes));
      }
    }
  });
});
