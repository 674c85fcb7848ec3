/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM, TFLM's 2023+ kernel (unidirectional_sequence_lstm.cc,
 * lstm_eval.h / lstm_eval.cc / lstm_eval_common.cc), integer 8x8->16 path and float path.
 *
 * Inputs (lstm_shared.h): 0 input, 1-4 input->{input,forget,cell,output} weights, 5-8 recurrent->
 * {input,forget,cell,output} weights, 9-11 peephole (must be absent), 12-15 {input,forget,cell,
 * output} gate bias, 16-17 projection (must be absent), 18 hidden (output) state, 19 cell state,
 * 20-23 layer norm (must be absent). The "intermediate" tensors of the converter are not used by
 * this kernel (only the legacy one read their scales).
 *
 * Per time step, exactly in TFLM's order and arithmetic:
 *   gate = act(FC_in(x) [int8 -> int16, Q3.12, with bias] +sat FC_rec(h) [no bias])
 *   forget, input: sigmoid (int16 LUT); cell gate: the fused activation (TANH; LUT with shift 0);
 *   c = sat16(MBQM(f*c)) +sat sat16(MBQM(i*g)), then optional clip to +-quantized_cell_clip;
 *   output gate: sigmoid (computed after the cell update, with the OLD hidden state);
 *   h = clamp8(MBQM(tanh(c)*o) + h_zp), tanh input shifted for the cell scale 2^p;
 *   output[t] = h.
 * Gate outputs are Q0.15 (scale 2^-15); FC outputs Q3.12 (2^-12). Variable tensors 18/19 carry
 * the state across invoke() calls.
 * Paths: with constant zero-offset int8 weights the eight gate FCs run as two int16-output 1x1
 * convolutions on fast/conv-int8-simd.ts (`prepareFastFc`); the JS `fc` loop in evalInteger is the
 * fallback and the reference they are tested against (test/interpreter/perf-kernels.test.ts).
 */
import { logisticInt16, multiplyByQuantizedMultiplier, quantizeMultiplier, tanhInt16 } from '../fixed-point.js';
import { defineKernel, type OpContext } from '../kernel.js';
import type { RuntimeTensor } from '../tensor.js';
import { ConvInt8Simd } from '../fast/conv-int8-simd.js';

const GATES = ['input', 'forget', 'cell', 'output'] as const;
type Gate = (typeof GATES)[number];

interface FcParams {
  inputOffset: number;
  weightsOffset: number;
  multiplier: number;
  shift: number;
}

interface MulParams {
  multiplier: number;
  shift: number;
  outputOffset: number;
  min: number;
  max: number;
}

interface LstmData {
  isFloat: boolean;
  timeMajor: boolean;
  batch: number;
  time: number;
  inputDim: number;
  stateDim: number;
  inFc: Record<Gate, FcParams>;
  recFc: Record<Gate, FcParams>;
  forgetCellMul: MulParams;
  inputMul: MulParams;
  outputMul: MulParams;
  cellScalePower: number;
  quantizedCellClip: number;
  cellClip: number;
  cellGateActivation: string;
  // Scratch buffers (int16 for the integer path, float32 for the float path).
  gate: Record<Gate, Int16Array | Float32Array>;
  scratch: Int16Array | Float32Array;
  /** int8 weights per gate and their row sums (integer path only). */
  weights: { input: Partial<Record<Gate, Int8Array>>; recurrent: Partial<Record<Gate, Int8Array>> };
  weightSums: { input: Partial<Record<Gate, Float64Array>>; recurrent: Partial<Record<Gate, Float64Array>> };
  biases: Partial<Record<Gate, Int32Array>>;
  /** Integer path with constant, zero-offset weights: the gate FCs on WebAssembly SIMD, else null. */
  fast: LstmFastFc | null;
}

/**
 * The eight int8 -> int16 gate FCs as two 1x1 convolutions with int16 outputs
 * (fast/conv-int8-simd.ts): the four input FCs of every time step at once (they do not depend on
 * the state; channels gate-major: gate g's unit u is channel g * S + u, each gate with its own
 * multiplier and bias), and the four recurrent FCs of one step (old hidden state). Each is the
 * same int32 sum, requantization and int16 saturation as `fc` in evalInteger.
 */
interface LstmFastFc {
  inConv: ConvInt8Simd;
  recConv: ConvInt8Simd;
  /** [batch * time rows][4 * S] input FC outputs. */
  inOut: Int16Array;
  /** [rows per step][4 * S] recurrent FC outputs. */
  recOut: Int16Array;
  biasAll: Int32Array;
}

/** Builds the SIMD gate FCs, or null (non-constant or offset weights, no WebAssembly SIMD). */
function prepareFastFc(ctx: OpContext, d: Pick<LstmData, 'batch' | 'time' | 'timeMajor' | 'inputDim' | 'stateDim'>, inFc: Record<Gate, FcParams>, recFc: Record<Gate, FcParams>): LstmFastFc | null {
  const S = d.stateDim, I = d.inputDim, S4 = 4 * S;
  for (const g of GATES) {
    if (inFc[g].weightsOffset !== 0 || recFc[g].weightsOffset !== 0) return null;
    if (!ctx.input(IDX.inputWeights[g]).isConstant || !ctx.input(IDX.recurrentWeights[g]).isConstant) return null;
  }
  const wIn = new Int8Array(S4 * I), wRec = new Int8Array(S4 * S);
  const mIn = new Int32Array(S4), sIn = new Int32Array(S4), mRec = new Int32Array(S4), sRec = new Int32Array(S4);
  GATES.forEach((g, gi) => {
    wIn.set(ctx.input(IDX.inputWeights[g]).data as Int8Array, gi * S * I);
    wRec.set(ctx.input(IDX.recurrentWeights[g]).data as Int8Array, gi * S * S);
    mIn.fill(inFc[g].multiplier, gi * S, (gi + 1) * S);
    sIn.fill(inFc[g].shift, gi * S, (gi + 1) * S);
    mRec.fill(recFc[g].multiplier, gi * S, (gi + 1) * S);
    sRec.fill(recFc[g].shift, gi * S, (gi + 1) * S);
  });
  const pixels = d.batch * d.time, rows = d.timeMajor ? d.batch : 1;
  const pointwise = (n: number, depth: number) => ({ inH: 1, inW: n, inC: depth, outH: 1, outW: n, outC: S4, fH: 1, fW: 1, strideH: 1, strideW: 1, padH: 0, padW: 0 });
  const int16Out = { outputZeroPoint: 0, actMin: -32768, actMax: 32767 };
  const inConv = ConvInt8Simd.createInt16Output(pointwise(pixels, I), wIn, { ...int16Out, inputZeroPoint: -inFc.input.inputOffset, multiplier: mIn, shift: sIn });
  const recConv = ConvInt8Simd.createInt16Output(pointwise(rows, S), wRec, { ...int16Out, inputZeroPoint: -recFc.input.inputOffset, multiplier: mRec, shift: sRec });
  if (inConv === null || recConv === null) return null;
  return { inConv, recConv, inOut: new Int16Array(pixels * S4), recOut: new Int16Array(rows * S4), biasAll: new Int32Array(S4) };
}

const IDX = {
  input: 0,
  inputWeights: { input: 1, forget: 2, cell: 3, output: 4 } as Record<Gate, number>,
  recurrentWeights: { input: 5, forget: 6, cell: 7, output: 8 } as Record<Gate, number>,
  bias: { input: 12, forget: 13, cell: 14, output: 15 } as Record<Gate, number>,
  hidden: 18,
  cell: 19,
};

function fcParams(ctx: OpContext, input: RuntimeTensor, weights: RuntimeTensor, outputScale: number): FcParams {
  const scales = weights.quantization?.scale;
  ctx.check(!!scales, `LSTM weights tensor ${weights.index} is not quantized`);
  if (scales.length !== 1) ctx.unsupported(`per-channel LSTM weights (tensor ${weights.index})`);
  const q = quantizeMultiplier((input.scale * weights.scale) / outputScale);
  return { inputOffset: -input.zeroPoint, weightsOffset: -weights.zeroPoint, multiplier: q.multiplier, shift: q.shift };
}

function mulParams(scale1: number, scale2: number, outputScale: number, outType: string, outputZp: number): MulParams {
  const q = quantizeMultiplier((Math.fround(scale1) * Math.fround(scale2)) / Math.fround(outputScale));
  const [min, max] = outType === 'int8' ? [-128, 127] : [-32768, 32767];
  return { multiplier: q.multiplier, shift: q.shift, outputOffset: outputZp, min, max };
}

export const unidirectionalSequenceLstm = defineKernel<LstmData>({
  prepare(ctx: OpContext): LstmData {
    const o = ctx.op.options;
    if (o.kind !== 'UnidirectionalSequenceLSTMOptions') ctx.invalid('missing UnidirectionalSequenceLSTMOptions');
    ctx.check(ctx.inputCount === 24, `needs 24 inputs, has ${ctx.inputCount}`);
    for (const i of [9, 10, 11]) if (ctx.optionalInput(i)) ctx.unsupported('peephole connections');
    for (const i of [16, 17]) if (ctx.optionalInput(i)) ctx.unsupported('projection');
    for (const i of [20, 21, 22, 23]) if (ctx.optionalInput(i)) ctx.unsupported('layer normalization');
    if (!ctx.optionalInput(1)) ctx.unsupported('CIFG (coupled input-forget gate)');
    if (o.diagonalRecurrentTensors) ctx.unsupported('diagonal recurrent tensors');
    const input = ctx.input(IDX.input);
    const hidden = ctx.input(IDX.hidden);
    const cell = ctx.input(IDX.cell);
    const output = ctx.output(0);
    ctx.check(hidden.isVariable && cell.isVariable, 'hidden and cell state tensors must be variable');
    ctx.check(input.shape.length === 3 && output.shape.length === 3, 'input and output must be 3-D');
    ctx.check(hidden.type === input.type && output.type === input.type, 'input, hidden state and output types differ');
    const timeMajor = o.timeMajor;
    const batch = timeMajor ? input.shape[1]! : input.shape[0]!;
    const time = timeMajor ? input.shape[0]! : input.shape[1]!;
    const inputDim = input.shape[2]!;
    const stateDim = hidden.shape[hidden.shape.length - 1]!;
    ctx.check(hidden.size === batch * stateDim && cell.size === batch * stateDim, 'state tensors do not hold batch x state elements');
    ctx.check(output.shape[0] === input.shape[0] && output.shape[1] === input.shape[1] && output.shape[2] === stateDim, 'output shape mismatch');
    for (const g of GATES) {
      const wi = ctx.input(IDX.inputWeights[g]), wr = ctx.input(IDX.recurrentWeights[g]), b = ctx.input(IDX.bias[g]);
      ctx.check(wi.shape.length === 2 && wi.shape[0] === stateDim && wi.shape[1] === inputDim, `${g} input weights must be [${stateDim},${inputDim}]`);
      ctx.check(wr.shape.length === 2 && wr.shape[0] === stateDim && wr.shape[1] === stateDim, `${g} recurrent weights must be [${stateDim},${stateDim}]`);
      ctx.check(b.size === stateDim, `${g} bias must have ${stateDim} elements`);
    }
    ctx.check(o.cellClip >= 0, 'cell_clip must be >= 0');
    const cellGateActivation = o.activation;
    const n = batch * stateDim;
    const base: Pick<LstmData, 'timeMajor' | 'batch' | 'time' | 'inputDim' | 'stateDim' | 'cellClip' | 'cellGateActivation' | 'weights' | 'weightSums' | 'biases'> = {
      timeMajor, batch, time, inputDim, stateDim, cellClip: o.cellClip, cellGateActivation,
      weights: { input: {}, recurrent: {} }, weightSums: { input: {}, recurrent: {} }, biases: {},
    };
    const dummyFc = { inputOffset: 0, weightsOffset: 0, multiplier: 0, shift: 0 };
    const dummyMul = { multiplier: 0, shift: 0, outputOffset: 0, min: 0, max: 0 };
    if (input.type === 'float32') {
      ctx.check(cell.type === 'float32', 'float LSTM needs a float32 cell state');
      if (!['TANH', 'RELU', 'RELU6', 'NONE', 'RELU_N1_TO_1'].includes(cellGateActivation)) ctx.unsupported(`cell activation ${cellGateActivation}`);
      const rec = (): Record<Gate, FcParams> => ({ input: dummyFc, forget: dummyFc, cell: dummyFc, output: dummyFc });
      return {
        ...base, isFloat: true, inFc: rec(), recFc: rec(), forgetCellMul: dummyMul, inputMul: dummyMul, outputMul: dummyMul,
        cellScalePower: 0, quantizedCellClip: 0,
        gate: { input: new Float32Array(n), forget: new Float32Array(n), cell: new Float32Array(n), output: new Float32Array(n) },
        scratch: new Float32Array(n), fast: null,
      };
    }
    if (input.type !== 'int8' || cell.type !== 'int16') ctx.unsupported(`input ${input.type} with cell state ${cell.type} (supported: int8 with int16 cell, float32)`);
    if (cellGateActivation !== 'TANH') ctx.unsupported(`integer cell gate activation ${cellGateActivation} (only TANH)`);
    for (const g of GATES) {
      ctx.check(ctx.input(IDX.inputWeights[g]).type === 'int8' && ctx.input(IDX.recurrentWeights[g]).type === 'int8', `${g} weights must be int8`);
      ctx.check(ctx.input(IDX.bias[g]).type === 'int32', `${g} bias must be int32`);
    }
    const fcOutScale = 2 ** -12; // Q3.12 input of the activations
    const gateScale = 2 ** -15; // Q0.15 gate outputs
    const inFc = {} as Record<Gate, FcParams>;
    const recFc = {} as Record<Gate, FcParams>;
    const rowSums = (w: Int8Array, rows: number, depth: number): Float64Array => {
      const out = new Float64Array(rows);
      for (let r = 0; r < rows; r++) for (let k = 0; k < depth; k++) out[r] += w[r * depth + k]!;
      return out;
    };
    for (const g of GATES) {
      const wi = ctx.input(IDX.inputWeights[g]), wr = ctx.input(IDX.recurrentWeights[g]);
      inFc[g] = fcParams(ctx, input, wi, fcOutScale);
      recFc[g] = fcParams(ctx, hidden, wr, fcOutScale);
      base.weights.input[g] = wi.data as Int8Array;
      base.weights.recurrent[g] = wr.data as Int8Array;
      base.weightSums.input[g] = rowSums(wi.data as Int8Array, stateDim, inputDim);
      base.weightSums.recurrent[g] = rowSums(wr.data as Int8Array, stateDim, stateDim);
      base.biases[g] = ctx.input(IDX.bias[g]).data as Int32Array;
    }
    // CheckedLog2: the cell state scale must be a power of two.
    const log2 = Math.log2(cell.scale);
    const cellScalePower = Math.round(log2);
    ctx.check(Math.abs(log2 - cellScalePower) < 1e-3, `cell state scale ${cell.scale} is not a power of two`);
    const quantizedCellClip = Math.trunc(Math.min(Math.max(o.cellClip / cell.scale, -32768), 32767));
    return {
      ...base, isFloat: false, inFc, recFc,
      forgetCellMul: mulParams(gateScale, cell.scale, cell.scale, 'int16', 0),
      inputMul: mulParams(gateScale, gateScale, cell.scale, 'int16', 0),
      outputMul: mulParams(gateScale, gateScale, hidden.scale, hidden.type, hidden.zeroPoint),
      cellScalePower, quantizedCellClip,
      gate: { input: new Int16Array(n), forget: new Int16Array(n), cell: new Int16Array(n), output: new Int16Array(n) },
      scratch: new Int16Array(n),
      fast: prepareFastFc(ctx, base, inFc, recFc),
    };
  },

  eval(ctx: OpContext, d: LstmData): void {
    if (d.isFloat) evalFloat(ctx, d);
    else evalInteger(ctx, d);
  },
});

/** Step geometry shared by both paths: rows per step and the offsets TFLM's LstmStepManager uses. */
function forEachStep(d: LstmData, step: (rows: number, inOff: number, outOff: number, stateOff: number) => void): void {
  if (d.timeMajor) {
    for (let t = 0; t < d.time; t++) step(d.batch, t * d.batch * d.inputDim, t * d.batch * d.stateDim, 0);
  } else {
    for (let b = 0; b < d.batch; b++) {
      for (let t = 0; t < d.time; t++) {
        step(1, (b * d.time + t) * d.inputDim, (b * d.time + t) * d.stateDim, b * d.stateDim);
      }
    }
  }
}

function evalInteger(ctx: OpContext, d: LstmData): void {
  const x = ctx.input(IDX.input).data as Int8Array;
  const h = ctx.input(IDX.hidden).data as Int8Array;
  const c = ctx.input(IDX.cell).data as Int16Array;
  const out = ctx.output(0).data as Int8Array;
  const S = d.stateDim, I = d.inputDim;
  const scratch = d.scratch as Int16Array;
  const gate = d.gate as Record<Gate, Int16Array>;

  // FC int8 -> int16 (reference_integer_ops::FullyConnected), Q3.12 output clamped to int16.
  // sum((w + w_off) * (x + x_off)) is evaluated as sum(w * x) + x_off * sum(w) + w_off * sum(x)
  // + n * w_off * x_off: the same integer, with the constant parts hoisted out of the loop.
  const fc = (src: Int8Array, srcOff: number, depth: number, rows: number, w: Int8Array, wSum: Float64Array, bias: Int32Array | null, p: FcParams, dst: Int16Array): void => {
    for (let r = 0; r < rows; r++) {
      const xb = srcOff + r * depth;
      let xSum = 0;
      if (p.weightsOffset !== 0) for (let k = 0; k < depth; k++) xSum += src[xb + k]!;
      const rowConst = p.weightsOffset * xSum + depth * p.weightsOffset * p.inputOffset;
      for (let u = 0; u < S; u++) {
        const wb = u * depth;
        let a0 = 0, a1 = 0;
        let k = 0;
        for (; k + 1 < depth; k += 2) {
          a0 += w[wb + k]! * src[xb + k]!;
          a1 += w[wb + k + 1]! * src[xb + k + 1]!;
        }
        if (k < depth) a0 += w[wb + k]! * src[xb + k]!;
        let acc = a0 + a1 + p.inputOffset * wSum[u]! + rowConst;
        if (bias) acc += bias[u]!;
        let v = multiplyByQuantizedMultiplier(acc | 0, p.multiplier, p.shift);
        v = v < -32768 ? -32768 : v > 32767 ? 32767 : v;
        dst[r * S + u] = v;
      }
    }
  };
  const mul = (a: Int16Array, aOff: number, b: Int16Array, bOff: number, n: number, p: MulParams, dst: Int16Array | Int8Array, dOff: number): void => {
    for (let i = 0; i < n; i++) {
      let v = p.outputOffset + multiplyByQuantizedMultiplier(a[aOff + i]! * b[bOff + i]!, p.multiplier, p.shift);
      v = v < p.min ? p.min : v > p.max ? p.max : v;
      dst[dOff + i] = v;
    }
  };
  const fast = d.fast;
  if (fast !== null) {
    GATES.forEach((g, gi) => fast.biasAll.set(d.biases[g]!, gi * S)); // the bias tensors may be live
    fast.inConv.invoke(x, fast.biasAll, fast.inOut, 1);
  }
  const calcGate = (g: Gate, rows: number, inOff: number, stateOff: number): void => {
    const dst = gate[g];
    const n = rows * S;
    if (fast !== null) {
      // recOut was filled at the start of this step from the old hidden state (see below).
      const S4 = 4 * S, gOff = GATES.indexOf(g) * S, row0 = inOff / I;
      for (let r = 0; r < rows; r++) {
        const a = (row0 + r) * S4 + gOff, b = r * S4 + gOff;
        for (let u = 0; u < S; u++) {
          const s = fast.inOut[a + u]! + fast.recOut[b + u]!;
          dst[r * S + u] = s < -32768 ? -32768 : s > 32767 ? 32767 : s;
        }
      }
    } else {
      fc(x, inOff, I, rows, d.weights.input[g]!, d.weightSums.input[g]!, d.biases[g]!, d.inFc[g], dst);
      fc(h, stateOff, S, rows, d.weights.recurrent[g]!, d.weightSums.recurrent[g]!, null, d.recFc[g], scratch);
      for (let i = 0; i < n; i++) {
        const s = dst[i]! + scratch[i]!;
        dst[i] = s < -32768 ? -32768 : s > 32767 ? 32767 : s;
      }
    }
    // Sigmoid = Logistic(multiplier 0, shift 0); the cell gate's tanh uses cell_state_scale_power
    // -12, i.e. input shift (15 - 12) - 3 = 0.
    if (g === 'cell') tanhInt16(dst, dst, n, 0, 0);
    else logisticInt16(dst, dst, n, 0, 0);
  };

  let tanhShift = 15 + d.cellScalePower - 3;
  let tanhMultiplier = 0;
  if (tanhShift < 0) {
    tanhShift = -tanhShift;
    tanhMultiplier = 3;
  }
  forEachStep(d, (rows, inOff, outOff, stateOff) => {
    const n = rows * S;
    // Every gate (the output gate too, computed after the cell update) reads the hidden state from
    // before this step, so the four recurrent FCs can run together here.
    if (fast !== null) fast.recConv.invoke(h.subarray(stateOff, stateOff + n), null, fast.recOut, 1);
    calcGate('forget', rows, inOff, stateOff);
    calcGate('input', rows, inOff, stateOff);
    calcGate('cell', rows, inOff, stateOff);
    // Cell update: c = f*c + i*g (each product requantized to the cell scale), saturating add.
    mul(gate.forget, 0, c, stateOff, n, d.forgetCellMul, c, stateOff);
    mul(gate.input, 0, gate.cell, 0, n, d.inputMul, scratch, 0);
    for (let i = 0; i < n; i++) {
      const s = c[stateOff + i]! + scratch[i]!;
      c[stateOff + i] = s < -32768 ? -32768 : s > 32767 ? 32767 : s;
    }
    if (d.cellClip > 0) {
      const q = d.quantizedCellClip;
      for (let i = 0; i < n; i++) {
        const v = c[stateOff + i]!;
        c[stateOff + i] = v > q ? q : v < -q ? -q : v;
      }
    }
    calcGate('output', rows, inOff, stateOff);
    tanhInt16(c, scratch, n, tanhMultiplier, tanhShift, stateOff, 0);
    mul(scratch, 0, gate.output, 0, n, d.outputMul, h, stateOff);
    out.set(h.subarray(stateOff, stateOff + n), outOff);
  });
}

function activationFloat(kind: string, v: number): number {
  switch (kind) {
    case 'TANH': return Math.fround(Math.tanh(v));
    case 'RELU': return Math.max(0, v);
    case 'RELU6': return Math.min(6, Math.max(0, v));
    case 'RELU_N1_TO_1': return Math.min(1, Math.max(-1, v));
    default: return v;
  }
}

function evalFloat(ctx: OpContext, d: LstmData): void {
  const f = Math.fround;
  const x = ctx.input(IDX.input).data as Float32Array;
  const h = ctx.input(IDX.hidden).data as Float32Array;
  const c = ctx.input(IDX.cell).data as Float32Array;
  const out = ctx.output(0).data as Float32Array;
  const S = d.stateDim, I = d.inputDim;
  const gate = d.gate as Record<Gate, Float32Array>;
  const calcGate = (g: Gate, rows: number, inOff: number, stateOff: number): void => {
    const wi = ctx.input(IDX.inputWeights[g]).data as Float32Array;
    const wr = ctx.input(IDX.recurrentWeights[g]).data as Float32Array;
    const b = ctx.input(IDX.bias[g]).data as Float32Array;
    for (let r = 0; r < rows; r++) {
      for (let u = 0; u < S; u++) {
        let a = 0;
        for (let k = 0; k < I; k++) a = f(a + f(wi[u * I + k]! * x[inOff + r * I + k]!));
        a = f(a + b[u]!);
        let rr = 0;
        for (let k = 0; k < S; k++) rr = f(rr + f(wr[u * S + k]! * h[stateOff + r * S + k]!));
        const v = f(a + rr);
        gate[g][r * S + u] = g === 'cell' ? activationFloat(d.cellGateActivation, v) : f(1 / (1 + Math.exp(-v)));
      }
    }
  };
  forEachStep(d, (rows, inOff, outOff, stateOff) => {
    const n = rows * S;
    calcGate('forget', rows, inOff, stateOff);
    calcGate('input', rows, inOff, stateOff);
    calcGate('cell', rows, inOff, stateOff);
    for (let i = 0; i < n; i++) {
      let v = f(f(gate.forget[i]! * c[stateOff + i]!) + f(gate.input[i]! * gate.cell[i]!));
      if (d.cellClip > 0) v = Math.max(-d.cellClip, Math.min(d.cellClip, v));
      c[stateOff + i] = v;
    }
    calcGate('output', rows, inOff, stateOff);
    for (let i = 0; i < n; i++) h[stateOff + i] = f(f(Math.tanh(c[stateOff + i]!)) * gate.output[i]!);
    out.set(h.subarray(stateOff, stateOff + n), outOff);
  });
}
