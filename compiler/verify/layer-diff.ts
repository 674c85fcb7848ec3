/**
 * Layer-by-layer values of one run of a .tflite in the real TFLite runtime (tfjs-tflite, XNNPACK
 * as shipped), in the interpreter's RunDump form, so `diffRuns` can compare the simulator with
 * TFLite tensor by tensor. Works for any file the interpreter can load (ours or third party):
 * every tensor an operator writes is made a model output (with-outputs.ts).
 */
import { UsageError } from '../../common/errors.js';
import type { Arithmetic, RunDump, TensorDump } from '../../runtime-sim/interpreter/interpreter.js';
import type { TensorInfo } from '../../runtime-sim/interpreter/tensor.js';
import { createInterpreter, loadTfliteModel } from '../../runtime-sim/interpreter/index.js';
import { openTfliteRuntime } from './tflite-runtime.js';
import { withOutputs } from './with-outputs.js';

/** The interpreter's dump of every non-constant tensor after one run on raw input bytes. */
export function interpreterLayerDump(tflite: Uint8Array, name: string, inputs: Uint8Array[], arithmetic: Arithmetic = 'tflm'): RunDump {
  const it = createInterpreter(loadTfliteModel(tflite, name), { arithmetic });
  inputs.forEach((x, i) => it.setInput(i, x));
  return it.invoke({ dumpAll: true })!;
}

function elementView(bytes: Uint8Array, type: string): ArrayLike<number> {
  const b = bytes.slice().buffer;
  switch (type) {
    case 'int8': return new Int8Array(b);
    case 'int16': return new Int16Array(b);
    case 'int32': return new Int32Array(b);
    case 'float32': return new Float32Array(b);
    default: return new Uint8Array(b);
  }
}

/**
 * Runs `tflite` once in the TFLite runtime with every operator output exposed and returns the
 * values in RunDump form (tensor metadata from the interpreter's model reader).
 */
export async function tfliteRuntimeLayerDump(tflite: Uint8Array, name: string, inputs: Uint8Array[]): Promise<RunDump> {
  const it = createInterpreter(loadTfliteModel(tflite, name));
  const inputTypes = it.inputs.map((t) => t.type);
  inputs.forEach((x, i) => it.setInput(i, x));
  const reference = it.invoke({ dumpAll: true })!;
  const produced = [...reference.values()].filter((t) => t.producedBy !== null);
  const s = await openTfliteRuntime(withOutputs(tflite, produced.map((t) => t.index)));
  try {
    const outs = s.run(inputs.map((x, i) => elementView(x, inputTypes[i] ?? 'int8')));
    const dump: RunDump = new Map();
    for (const t of reference.values()) if (t.producedBy === null) dump.set(t.index, t); // inputs: as given
    produced.forEach((t, k) => {
      const data = outs[k]!;
      const bytes = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
      const values = Float64Array.from(data as ArrayLike<number>, (v) => (t.type === 'float32' ? v : (v - t.zeroPoint) * t.scale));
      const d: TensorDump = { ...t, bytes, values };
      dump.set(t.index, d);
    });
    return dump;
  } finally {
    s.dispose();
  }
}

/**
 * Input bytes for another model of the same network (e.g. the float32 twin of an int8 model, or
 * the other way round): the values of `bytes` in `from`'s encoding, re-encoded for `to`
 * (dequantized with from's scale / zero point, quantized with to's, rounding half away from zero).
 */
export function convertInputBytes(bytes: Uint8Array, from: TensorInfo, to: TensorInfo): Uint8Array {
  if (from.type === to.type && from.scale === to.scale && from.zeroPoint === to.zeroPoint) return bytes;
  const src = elementView(bytes, from.type);
  const real = Float64Array.from(src, (v) => (from.type === 'float32' ? v : (v - from.zeroPoint) * from.scale));
  switch (to.type) {
    case 'float32': return new Uint8Array(Float32Array.from(real).buffer);
    case 'int8': return new Uint8Array(Int8Array.from(real, (v) => Math.max(-128, Math.min(127, Math.round(v / to.scale) + to.zeroPoint))).buffer);
    default: throw new UsageError(`cannot feed a ${from.type} input to a model whose input is ${to.type}`);
  }
}

/** Input tensor 0's description of a model. */
export function inputInfoOf(tflite: Uint8Array, name: string): TensorInfo {
  const info = createInterpreter(loadTfliteModel(tflite, name)).inputs[0];
  if (!info) throw new UsageError(`${name} has no input tensor`);
  return info;
}
