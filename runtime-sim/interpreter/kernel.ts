/**
 * The shape every kernel file exports: `prepare` runs once per operator when the interpreter is
 * created (shape checks, TFLM Prepare()-style precomputation of multipliers and shifts) and returns
 * the op's private data; `eval` runs on every invoke().
 */
import { ModelFormatError, UnsupportedOpError } from './errors.js';
import type { TfliteModel, TfliteOperator } from './tflite/model.js';
import type { RuntimeTensor } from './tensor.js';

export class OpContext {
  constructor(
    readonly model: TfliteModel,
    readonly subgraph: number,
    readonly op: TfliteOperator,
    private readonly tensors: RuntimeTensor[],
  ) {}

  private where(): string {
    return `${this.model.name}: operator ${this.op.index} (${this.op.opName} v${this.op.version}) of subgraph ${this.subgraph}`;
  }

  get inputCount(): number {
    return this.op.inputs.length;
  }

  /** Required input `i`. */
  input(i: number): RuntimeTensor {
    const t = this.optionalInput(i);
    if (!t) this.invalid(`input ${i} is missing`);
    return t;
  }

  /** Optional input `i` (null when omitted with -1 or absent). */
  optionalInput(i: number): RuntimeTensor | null {
    const idx = this.op.inputs[i];
    if (idx === undefined || idx < 0) return null;
    return this.tensors[idx] ?? null;
  }

  output(i: number): RuntimeTensor {
    const idx = this.op.outputs[i];
    const t = idx === undefined ? undefined : this.tensors[idx];
    if (!t) this.invalid(`output ${i} is missing`);
    return t;
  }

  intermediate(i: number): RuntimeTensor | null {
    const idx = this.op.intermediates[i];
    if (idx === undefined || idx < 0) return null;
    return this.tensors[idx] ?? null;
  }

  /** The op (or this type combination / option) is not implemented. */
  unsupported(why: string): never {
    throw new UnsupportedOpError(`${this.where()}: unsupported: ${why}`, {
      op: this.op.opName,
      version: this.op.version,
      operatorIndex: this.op.index,
      subgraph: this.subgraph,
    });
  }

  /** The model is inconsistent for this op (shapes, quantization, options). */
  invalid(why: string): never {
    throw new ModelFormatError(`${this.where()}: ${why}`, { operatorIndex: this.op.index, subgraph: this.subgraph, op: this.op.opName });
  }

  check(cond: boolean, why: string): asserts cond {
    if (!cond) this.invalid(why);
  }
}

export interface Kernel<D = unknown> {
  prepare(ctx: OpContext): D;
  eval(ctx: OpContext, data: D): void;
}

/** Helper so each kernel file can declare its data type and still be stored in one registry. */
export function defineKernel<D>(k: Kernel<D>): Kernel<unknown> {
  return k as Kernel<unknown>;
}
