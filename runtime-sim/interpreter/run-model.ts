/**
 * One-shot helper behind `tinyser run`: load a .tflite, feed raw input bytes, invoke once, return
 * the output with dequantized values and argmax, optionally writing every tensor to a directory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterpreter, type Arithmetic } from './interpreter.js';
import { dequantize, type TensorInfo } from './tensor.js';
import { loadTfliteModel } from './tflite/model.js';

export interface RunModelResult {
  model: string;
  input: TensorInfo;
  output: TensorInfo;
  /** Raw output values (integers for quantized tensors). */
  values: number[];
  dequantized: number[];
  argmax: number;
  /** Files written by `dumpDir` (one raw .bin per non-constant tensor plus manifest.json). */
  dumped: string[];
}

export interface RunModelOptions {
  dumpDir?: string;
  /** 'tflm' (default: the device's arithmetic) or 'tflite' (what the TFLite runtime computes). */
  arithmetic?: Arithmetic;
}

export function runModel(modelBytes: Uint8Array, modelName: string, inputBytes: Uint8Array, opts: RunModelOptions = {}): RunModelResult {
  const model = loadTfliteModel(modelBytes, modelName);
  const interp = createInterpreter(model, { arithmetic: opts.arithmetic });
  interp.setInput(0, inputBytes);
  const dump = interp.invoke({ dumpAll: opts.dumpDir !== undefined });
  const out = interp.output(0);
  const values = out.data instanceof BigInt64Array ? Array.from(out.data, Number) : Array.from(out.data as ArrayLike<number>);
  const dequantized = Array.from(dequantize(out));
  let argmax = 0;
  for (let i = 1; i < dequantized.length; i++) if (dequantized[i]! > dequantized[argmax]!) argmax = i;
  const dumped: string[] = [];
  if (opts.dumpDir !== undefined && dump) {
    mkdirSync(opts.dumpDir, { recursive: true });
    const manifest = [];
    for (const t of dump.values()) {
      const file = path.join(opts.dumpDir, `t${t.index}.bin`);
      writeFileSync(file, t.bytes);
      dumped.push(file);
      manifest.push({ index: t.index, name: t.name, type: t.type, shape: t.shape, scale: t.scale, zeroPoint: t.zeroPoint, producedBy: t.producedBy, file: `t${t.index}.bin` });
    }
    const mf = path.join(opts.dumpDir, 'manifest.json');
    writeFileSync(mf, JSON.stringify({ model: modelName, tensors: manifest }, null, 2) + '\n');
    dumped.push(mf);
  }
  return { model: modelName, input: interp.inputs[0]!, output: interp.outputs[0]!, values, dequantized, argmax, dumped };
}
