/**
 * One operator -> a static const params struct for its firmware kernel
 * (firmware-assets/src/kernels/tinyser_kernels.h) and the call. Every number comes from the
 * interpreter's prepared op data (prepared-ops.ts); this file only moves it into C.
 */
import { UnsupportedOpError } from '../../../runtime-sim/interpreter/errors.js';
import type { RuntimeTensor } from '../../../runtime-sim/interpreter/tensor.js';
import { cConstArray, cFloat32, cInt, clampInt32 } from './c-format.js';
import type { PreparedOp } from './prepared-ops.js';

export interface TensorRefs {
  /** A C pointer expression of the given element type for tensor `index` (arena or constant). */
  ptr(index: number, cType: 'int8_t' | 'int32_t' | 'float' | 'void'): string;
  tensor(index: number): RuntimeTensor;
}

export interface EmittedOp {
  /** File-scope declarations (params structs, per-channel arrays). */
  decls: string;
  /** Statement(s) inside the invoke function. */
  call: string;
  /** Firmware kernel function called. */
  kernel: string;
  /** Multiply-accumulates of one invoke (conv, depthwise, FC; 0 for the rest). */
  macs?: number;
}

type OpData = Record<string, unknown>;

function unsupported(p: PreparedOp, why: string): never {
  throw new UnsupportedOpError(`${p.ctx.model.name}: operator ${p.op.index} (${p.op.opName} v${p.op.version}): the C writer does not support ${why}`,
    { op: p.op.opName, version: p.op.version, operatorIndex: p.op.index, subgraph: p.ctx.subgraph });
}

/**
 * Finds a field of the interpreter's op data: at the top level or one object deeper (kernels wrap
 * shared Prepare results, e.g. `{ g: PoolGeometry, scratch }`). Fails loudly if it is gone.
 */
function field(p: PreparedOp, name: string): unknown {
  const d = p.data as OpData;
  if (d && name in d) return d[name];
  for (const v of Object.values(d ?? {})) {
    if (v && typeof v === 'object' && !ArrayBuffer.isView(v) && !Array.isArray(v) && name in v) return (v as OpData)[name];
  }
  return undefined;
}

function num(p: PreparedOp, name: string): number {
  const v = field(p, name);
  if (typeof v !== 'number') unsupported(p, `op data without numeric field "${name}" (interpreter kernel changed?)`);
  return v;
}

function i32arr(p: PreparedOp, name: string): Int32Array {
  const v = field(p, name);
  if (!(v instanceof Int32Array)) unsupported(p, `op data without Int32Array field "${name}" (interpreter kernel changed?)`);
  return v;
}

function numArr(p: PreparedOp, name: string): number[] {
  const v = field(p, name);
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) unsupported(p, `op data without number[] field "${name}"`);
  return v as number[];
}

function requireTypes(p: PreparedOp, refs: TensorRefs, inputs: number[], outputType = 'int8'): void {
  for (const i of inputs) {
    const t = refs.tensor(p.op.inputs[i]!);
    if (t.type !== 'int8') unsupported(p, `input ${i} of type ${t.type} (int8 kernels only)`);
  }
  const out = refs.tensor(p.op.outputs[0]!);
  if (out.type !== outputType) unsupported(p, `output of type ${out.type} (expected ${outputType})`);
}

function struct(type: string, name: string, fields: [string, string][]): string {
  return `static const ${type} ${name} = {\n${fields.map(([k, v]) => `  .${k} = ${v},`).join('\n')}\n};\n`;
}

const ints = (...kv: [string, number][]): [string, string][] => kv.map(([k, v]) => [k, cInt(v)]);

/** Right-aligns shapes to 4-D and gives each input stride 0 on its broadcast dimensions. */
function broadcast4(p: PreparedOp, a: number[], b: number[], out: number[]): string {
  if (out.length > 4 || a.length > 4 || b.length > 4) unsupported(p, `broadcast of rank > 4`);
  const pad = (s: number[]): number[] => [...new Array<number>(4 - s.length).fill(1), ...s];
  const po = pad(out);
  const strides = (s: number[]): number[] => {
    const ps = pad(s);
    const st = [0, 0, 0, 0];
    let acc = 1;
    for (let d = 3; d >= 0; d--) {
      st[d] = ps[d] === 1 ? 0 : acc;
      acc *= ps[d]!;
    }
    return st;
  };
  const arr = (v: number[]): string => `{ ${v.map(cInt).join(', ')} }`;
  return `{ .out_shape = ${arr(po)}, .a_stride = ${arr(strides(a))}, .b_stride = ${arr(strides(b))} }`;
}

export function emitOp(p: PreparedOp, refs: TensorRefs, sym: string): EmittedOp {
  const op = p.op;
  const inp = (i: number, t: 'int8_t' | 'int32_t' | 'float' | 'void' = 'int8_t'): string => {
    const idx = op.inputs[i];
    return idx === undefined || idx < 0 ? 'NULL' : refs.ptr(idx, t);
  };
  const out = (t: 'int8_t' | 'float' | 'void' = 'int8_t'): string => refs.ptr(op.outputs[0]!, t);
  const inT = (i: number): RuntimeTensor => refs.tensor(op.inputs[i]!);
  const outT = (): RuntimeTensor => refs.tensor(op.outputs[0]!);
  /** Per output channel sum of the (constant) filter's weights: conv OHWI rows, depthwise columns. */
  const filterSums = (pp: PreparedOp, r: TensorRefs, kind: 'conv' | 'depthwise'): string => {
    const w = r.tensor(pp.op.inputs[1]!);
    if (!w.isConstant) unsupported(pp, 'a non-constant filter');
    const x = w.data as Int8Array;
    const outC = kind === 'conv' ? w.shape[0]! : w.shape[3]!;
    const sums = new Array<number>(outC).fill(0);
    if (kind === 'conv') {
      const k = w.size / outC;
      for (let oc = 0; oc < outC; oc++) for (let i = 0; i < k; i++) sums[oc] += x[oc * k + i]!;
    } else {
      for (let i = 0; i < w.size; i++) sums[i % outC] += x[i]!;
    }
    return cConstArray('int32_t', `${sym}_fsum`, sums);
  };
  const perChannel = (): string => {
    const m = i32arr(p, 'multiplier'), s = i32arr(p, 'shift');
    return cConstArray('int32_t', `${sym}_mult`, m) + cConstArray('int32_t', `${sym}_shift`, s);
  };
  switch (op.builtinCode) {
    case 3: { // CONV_2D
      requireTypes(p, refs, [0, 1]);
      const f = ['batches', 'inH', 'inW', 'inC', 'outH', 'outW', 'outC', 'fH', 'fW', 'filterInC', 'strideH', 'strideW', 'dilH', 'dilW', 'padH', 'padW', 'inputOffset', 'outputOffset', 'actMin', 'actMax'];
      const c = ['batches', 'in_h', 'in_w', 'in_c', 'out_h', 'out_w', 'out_c', 'filter_h', 'filter_w', 'filter_in_c', 'stride_h', 'stride_w', 'dilation_h', 'dilation_w', 'pad_h', 'pad_w', 'input_offset', 'output_offset', 'act_min', 'act_max'];
      const decls = perChannel() + filterSums(p, refs, 'conv') + struct('tsk_conv2d_params', `${sym}_params`, [
        ...ints(...f.map((k, i): [string, number] => [c[i]!, num(p, k)])), ['multiplier', `${sym}_mult`], ['shift', `${sym}_shift`], ['filter_sum', `${sym}_fsum`]]);
      const macs = num(p, 'batches') * num(p, 'outH') * num(p, 'outW') * num(p, 'outC') * num(p, 'fH') * num(p, 'fW') * num(p, 'filterInC');
      return { decls, call: `tsk_conv2d_int8(&${sym}_params, ${inp(0)}, ${inp(1)}, ${inp(2, 'int32_t')}, ${out()});`, kernel: 'tsk_conv2d_int8', macs };
    }
    case 4: { // DEPTHWISE_CONV_2D
      requireTypes(p, refs, [0, 1]);
      const f = ['batches', 'inH', 'inW', 'inC', 'outH', 'outW', 'outC', 'depthMultiplier', 'fH', 'fW', 'strideH', 'strideW', 'dilH', 'dilW', 'padH', 'padW', 'inputOffset', 'outputOffset', 'actMin', 'actMax'];
      const c = ['batches', 'in_h', 'in_w', 'in_c', 'out_h', 'out_w', 'out_c', 'depth_multiplier', 'filter_h', 'filter_w', 'stride_h', 'stride_w', 'dilation_h', 'dilation_w', 'pad_h', 'pad_w', 'input_offset', 'output_offset', 'act_min', 'act_max'];
      const decls = perChannel() + filterSums(p, refs, 'depthwise') + struct('tsk_depthwise_conv2d_params', `${sym}_params`, [
        ...ints(...f.map((k, i): [string, number] => [c[i]!, num(p, k)])), ['multiplier', `${sym}_mult`], ['shift', `${sym}_shift`], ['filter_sum', `${sym}_fsum`]]);
      const macs = num(p, 'batches') * num(p, 'outH') * num(p, 'outW') * num(p, 'outC') * num(p, 'fH') * num(p, 'fW');
      return { decls, call: `tsk_depthwise_conv2d_int8(&${sym}_params, ${inp(0)}, ${inp(1)}, ${inp(2, 'int32_t')}, ${out()});`, kernel: 'tsk_depthwise_conv2d_int8', macs };
    }
    case 67: { // TRANSPOSE_CONV (operands: output_shape, filter, input, bias)
      requireTypes(p, refs, [1, 2]);
      const f = ['batches', 'inH', 'inW', 'inC', 'outH', 'outW', 'outC', 'fH', 'fW', 'strideH', 'strideW', 'padH', 'padW', 'inputOffset', 'outputOffset', 'actMin', 'actMax'];
      const c = ['batches', 'in_h', 'in_w', 'in_c', 'out_h', 'out_w', 'out_c', 'filter_h', 'filter_w', 'stride_h', 'stride_w', 'pad_h', 'pad_w', 'input_offset', 'output_offset', 'act_min', 'act_max'];
      const decls = perChannel() + struct('tsk_transpose_conv_params', `${sym}_params`, [
        ...ints(...f.map((k, i): [string, number] => [c[i]!, num(p, k)])), ['multiplier', `${sym}_mult`], ['shift', `${sym}_shift`]]);
      const macs = num(p, 'batches') * num(p, 'inH') * num(p, 'inW') * num(p, 'inC') * num(p, 'fH') * num(p, 'fW') * num(p, 'outC');
      return { decls, call: `tsk_transpose_conv_int8(&${sym}_params, ${inp(2)}, ${inp(1)}, ${inp(3, 'int32_t')}, ${out()});`, kernel: 'tsk_transpose_conv_int8', macs };
    }
    case 9: { // FULLY_CONNECTED
      requireTypes(p, refs, [0, 1]);
      const m = i32arr(p, 'multiplier');
      const decls = perChannel() + struct('tsk_fully_connected_params', `${sym}_params`, [
        ...ints(['batches', num(p, 'batches')], ['accum_depth', num(p, 'accumDepth')], ['output_depth', num(p, 'outputDepth')],
          ['input_offset', num(p, 'inputOffset')], ['filter_offset', num(p, 'filterOffset')], ['output_offset', num(p, 'outputOffset')],
          ['act_min', num(p, 'actMin')], ['act_max', num(p, 'actMax')], ['per_channel', m.length > 1 ? 1 : 0]),
        ['multiplier', `${sym}_mult`], ['shift', `${sym}_shift`]]);
      const macs = num(p, 'batches') * num(p, 'accumDepth') * num(p, 'outputDepth');
      return { decls, call: `tsk_fully_connected_int8(&${sym}_params, ${inp(0)}, ${inp(1)}, ${inp(2, 'int32_t')}, ${out()});`, kernel: 'tsk_fully_connected_int8', macs };
    }
    case 1: case 17: { // AVERAGE_POOL_2D, MAX_POOL_2D
      requireTypes(p, refs, [0]);
      const f = ['batches', 'inH', 'inW', 'channels', 'outH', 'outW', 'fH', 'fW', 'strideH', 'strideW', 'padH', 'padW', 'actMin', 'actMax'];
      const c = ['batches', 'in_h', 'in_w', 'channels', 'out_h', 'out_w', 'filter_h', 'filter_w', 'stride_h', 'stride_w', 'pad_h', 'pad_w', 'act_min', 'act_max'];
      const kernel = op.builtinCode === 1 ? 'tsk_average_pool2d_int8' : 'tsk_max_pool2d_int8';
      const decls = struct('tsk_pool2d_params', `${sym}_params`, ints(...f.map((k, i): [string, number] => [c[i]!, num(p, k)])));
      return { decls, call: `${kernel}(&${sym}_params, ${inp(0)}, ${out()});`, kernel };
    }
    case 40: { // MEAN
      requireTypes(p, refs, [0]);
      const x = inT(0);
      const axesT = inT(1);
      const rank = x.shape.length;
      const axes = [...new Set(Array.from(axesT.data as Int32Array, (a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
      if (axes.length === 0 || axes.some((a, i) => i > 0 && a !== axes[i - 1]! + 1)) unsupported(p, `MEAN over non-contiguous axes [${axes.join(',')}]`);
      const prod = (from: number, to: number): number => x.shape.slice(from, to).reduce((a, b) => a * b, 1);
      const outer = prod(0, axes[0]!), reduce = prod(axes[0]!, axes[axes.length - 1]! + 1), inner = prod(axes[axes.length - 1]! + 1, rank);
      if (reduce !== num(p, 'count')) unsupported(p, 'MEAN count mismatch with the interpreter');
      const decls = struct('tsk_mean_params', `${sym}_params`, ints(['outer', outer], ['reduce', reduce], ['inner', inner],
        ['input_zero_point', x.zeroPoint], ['output_zero_point', outT().zeroPoint], ['multiplier', num(p, 'multiplier')], ['shift', num(p, 'shift')]));
      return { decls, call: `tsk_mean_int8(&${sym}_params, ${inp(0)}, ${out()});`, kernel: 'tsk_mean_int8' };
    }
    case 25: { // SOFTMAX
      requireTypes(p, refs, [0]);
      const decls = struct('tsk_softmax_params', `${sym}_params`, ints(['outer', num(p, 'outer')], ['depth', num(p, 'depth')],
        ['input_multiplier', num(p, 'inputMultiplier')], ['input_left_shift', num(p, 'inputLeftShift')], ['diff_min', clampInt32(num(p, 'diffMin'))]));
      return { decls, call: `tsk_softmax_int8(&${sym}_params, ${inp(0)}, ${out()});`, kernel: 'tsk_softmax_int8' };
    }
    case 0: case 41: { // ADD, SUB
      requireTypes(p, refs, [0, 1]);
      const geom = broadcast4(p, inT(0).shape, inT(1).shape, outT().shape);
      const decls = struct('tsk_add_params', `${sym}_params`, [['geom', geom], ...ints(
        ['subtract', op.builtinCode === 41 ? 1 : 0], ['left_shift', num(p, 'leftShift')],
        ['input1_offset', num(p, 'in1Offset')], ['input2_offset', num(p, 'in2Offset')], ['output_offset', num(p, 'outOffset')],
        ['input1_multiplier', num(p, 'm1')], ['input1_shift', num(p, 's1')], ['input2_multiplier', num(p, 'm2')], ['input2_shift', num(p, 's2')],
        ['output_multiplier', num(p, 'mOut')], ['output_shift', num(p, 'sOut')], ['act_min', num(p, 'actMin')], ['act_max', num(p, 'actMax')])]);
      return { decls, call: `tsk_add_int8(&${sym}_params, ${inp(0)}, ${inp(1)}, ${out()});`, kernel: 'tsk_add_int8' };
    }
    case 18: { // MUL
      requireTypes(p, refs, [0, 1]);
      const geom = broadcast4(p, inT(0).shape, inT(1).shape, outT().shape);
      const decls = struct('tsk_mul_params', `${sym}_params`, [['geom', geom], ...ints(
        ['input1_offset', num(p, 'in1Offset')], ['input2_offset', num(p, 'in2Offset')], ['output_offset', num(p, 'outOffset')],
        ['multiplier', num(p, 'multiplier')], ['shift', num(p, 'shift')], ['act_min', num(p, 'actMin')], ['act_max', num(p, 'actMax')])]);
      return { decls, call: `tsk_mul_int8(&${sym}_params, ${inp(0)}, ${inp(1)}, ${out()});`, kernel: 'tsk_mul_int8' };
    }
    case 2: { // CONCATENATION
      const inner = numArr(p, 'innerBytes');
      const decls = cConstArray('int32_t', `${sym}_inner`, inner) + struct('tsk_concatenation_params', `${sym}_params`,
        [...ints(['outer', num(p, 'outer')], ['num_inputs', inner.length]), ['inner_bytes', `${sym}_inner`]]);
      const ins = inner.map((_, i) => inp(i, 'void'));
      const call = `{\n    const void *const inputs[${ins.length}] = { ${ins.join(', ')} };\n    tsk_concatenation(&${sym}_params, inputs, ${out('void')});\n  }`;
      return { decls, call, kernel: 'tsk_concatenation' };
    }
    case 34: case 60: { // PAD, PADV2
      requireTypes(p, refs, [0]);
      const x = inT(0), y = outT();
      if (x.shape.length > 4) unsupported(p, 'PAD of rank > 4');
      const before = numArr(p, 'before');
      const pad4 = (s: number[], fill: number): number[] => [...new Array<number>(4 - s.length).fill(fill), ...s];
      const arr = (v: number[]): string => `{ ${v.map(cInt).join(', ')} }`;
      const decls = struct('tsk_pad_params', `${sym}_params`, [['in_shape', arr(pad4(x.shape, 1))], ['out_shape', arr(pad4(y.shape, 1))],
        ['before', arr(pad4(before, 0))], ['pad_value', cInt(num(p, 'padValue'))]]);
      return { decls, call: `tsk_pad_int8(&${sym}_params, ${inp(0)}, ${out()});`, kernel: 'tsk_pad_int8' };
    }
    case 22: case 43: case 70: { // RESHAPE, SQUEEZE, EXPAND_DIMS
      return { decls: '', call: `tsk_reshape(${inp(0, 'void')}, ${out('void')}, ${outT().bytes.length}u);`, kernel: 'tsk_reshape' };
    }
    case 114: { // QUANTIZE
      requireTypes(p, refs, [0]);
      const decls = struct('tsk_quantize_params', `${sym}_params`, ints(['size', outT().size], ['input_zero_point', inT(0).zeroPoint],
        ['output_zero_point', outT().zeroPoint], ['multiplier', num(p, 'multiplier')], ['shift', num(p, 'shift')], ['min', num(p, 'min')], ['max', num(p, 'max')]));
      return { decls, call: `tsk_quantize_int8(&${sym}_params, ${inp(0)}, ${out()});`, kernel: 'tsk_quantize_int8' };
    }
    case 6: { // DEQUANTIZE
      requireTypes(p, refs, [0], 'float32');
      const x = inT(0);
      return { decls: '', call: `tsk_dequantize_int8(${x.size}, ${cFloat32(x.scale)}, ${cInt(x.zeroPoint)}, ${inp(0)}, ${out('float')});`, kernel: 'tsk_dequantize_int8' };
    }
    case 14: case 28: { // LOGISTIC, TANH
      requireTypes(p, refs, [0]);
      const kernel = op.builtinCode === 14 ? 'tsk_logistic_int8' : 'tsk_tanh_int8';
      const decls = struct('tsk_activation_params', `${sym}_params`, ints(['size', outT().size], ['input_zero_point', inT(0).zeroPoint],
        ['multiplier', clampInt32(num(p, 'multiplier'))], ['shift', num(p, 'shift')], ['radius', clampInt32(num(p, 'radius'))]));
      return { decls, call: `${kernel}(&${sym}_params, ${inp(0)}, ${out()});`, kernel };
    }
    case 19: case 21: { // RELU, RELU6
      requireTypes(p, refs, [0]);
      const decls = struct('tsk_relu_params', `${sym}_params`, ints(['size', outT().size], ['input_zero_point', inT(0).zeroPoint],
        ['output_zero_point', outT().zeroPoint], ['multiplier', num(p, 'multiplier')], ['shift', num(p, 'shift')],
        ['min', num(p, 'min')], ['max', num(p, 'max')], ['clamp_only', op.builtinCode === 21 ? 1 : 0]));
      return { decls, call: `tsk_relu_int8(&${sym}_params, ${inp(0)}, ${out()});`, kernel: 'tsk_relu_int8' };
    }
    case 98: { // LEAKY_RELU
      requireTypes(p, refs, [0]);
      const decls = struct('tsk_leaky_relu_params', `${sym}_params`, ints(['size', outT().size], ['input_zero_point', inT(0).zeroPoint],
        ['output_zero_point', outT().zeroPoint], ['identity_multiplier', num(p, 'identityMultiplier')], ['identity_shift', num(p, 'identityShift')],
        ['alpha_multiplier', num(p, 'alphaMultiplier')], ['alpha_shift', num(p, 'alphaShift')]));
      return { decls, call: `tsk_leaky_relu_int8(&${sym}_params, ${inp(0)}, ${out()});`, kernel: 'tsk_leaky_relu_int8' };
    }
    case 39: { // TRANSPOSE
      requireTypes(p, refs, [0]);
      const x = inT(0);
      const rank = x.shape.length;
      if (rank > 6) unsupported(p, 'TRANSPOSE of rank > 6');
      const perm = Array.from(inT(1).data as Int32Array, (v) => (v < 0 ? v + rank : v));
      const inStrides = new Array<number>(rank).fill(1);
      for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1]! * x.shape[i + 1]!;
      const lead = 6 - rank;
      const outShape = [...new Array<number>(lead).fill(1), ...perm.map((k) => x.shape[k]!)];
      const strides = [...new Array<number>(lead).fill(0), ...perm.map((k) => inStrides[k]!)];
      const arr = (v: number[]): string => `{ ${v.map(cInt).join(', ')} }`;
      const decls = struct('tsk_transpose_params', `${sym}_params`, [['out_shape', arr(outShape)], ['in_stride', arr(strides)]]);
      return { decls, call: `tsk_transpose_int8(&${sym}_params, ${inp(0)}, ${out()});`, kernel: 'tsk_transpose_int8' };
    }
    default:
      return unsupported(p, 'this operator (no C kernel)');
  }
}
