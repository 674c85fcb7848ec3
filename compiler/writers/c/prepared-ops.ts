/**
 * Runs the interpreter's own Prepare code (runtime-sim/interpreter/kernels/*) on a loaded .tflite,
 * so the generated C gets exactly the multipliers, shifts, paddings and activation bounds the TS
 * interpreter uses: there is one implementation of TFLM's Prepare, not two.
 */
import { UnsupportedOpError } from '../../../runtime-sim/interpreter/errors.js';
import { OpContext } from '../../../runtime-sim/interpreter/kernel.js';
import { kernelFor } from '../../../runtime-sim/interpreter/kernels/index.js';
import { createRuntimeTensor, type RuntimeTensor } from '../../../runtime-sim/interpreter/tensor.js';
import type { TfliteModel, TfliteOperator } from '../../../runtime-sim/interpreter/tflite/model.js';

export interface PreparedOp {
  op: TfliteOperator;
  ctx: OpContext;
  /** The kernel's private op data (structure owned by runtime-sim/interpreter/kernels/<op>.ts). */
  data: unknown;
}

export interface PreparedModel {
  model: TfliteModel;
  subgraph: number;
  tensors: RuntimeTensor[];
  ops: PreparedOp[];
  inputs: number[];
  outputs: number[];
}

export function prepareModelOps(model: TfliteModel, subgraph = 0): PreparedModel {
  const sg = model.subgraphs[subgraph];
  if (!sg) throw new UnsupportedOpError(`${model.name}: no subgraph ${subgraph}`, { op: '-', version: 0, operatorIndex: -1, subgraph });
  const tensors = sg.tensors.map((t) => createRuntimeTensor(t, model.name));
  const ops = sg.operators.map((op): PreparedOp => {
    const kernel = kernelFor(op);
    if (!kernel) {
      throw new UnsupportedOpError(`${model.name}: operator ${op.index} is ${op.opName} v${op.version}, which the interpreter (and so the C writer) does not implement`,
        { op: op.opName, version: op.version, operatorIndex: op.index, subgraph });
    }
    const ctx = new OpContext(model, subgraph, op, tensors);
    return { op, ctx, data: kernel.prepare(ctx) };
  });
  return { model, subgraph, tensors, ops, inputs: [...sg.inputs], outputs: [...sg.outputs] };
}
