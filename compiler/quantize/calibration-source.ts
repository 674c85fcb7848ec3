/**
 * Where calibration inputs come from (`tinyser compile --calib <dir|file>`):
 *  - a tensor file: `.npy` (float32/float64, little-endian, C order), raw float32 (`.f32`, `.bin`),
 *    or `.json` (an array of arrays); the file holds one or more examples back to back;
 *  - a directory of such files, or of `.wav` files. WAVs go through the frontend, which the
 *    caller registers with `registerWavFeatureExtractor` (runtime-sim/frontend provides the
 *    float features the model was trained on); without one, a WAV directory is a usage error.
 * Values are in the IR input layout (NHWC row-major); for a [1,T,F,1] features input that is the
 * plain [T,F] matrix, identical to the ONNX [1,1,T,F] layout.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { UsageError } from '../../common/errors.js';
import { ModelFormatError } from '../errors.js';
import type { CalibrationSet } from './calibrate.js';

export type WavFeatureExtractor = (wavPath: string) => Promise<ArrayLike<number>>;

let wavExtractor: WavFeatureExtractor | undefined;

/** Hook for the frontend: turns one WAV into the model's float input features. */
export function registerWavFeatureExtractor(fn: WavFeatureExtractor | undefined): void {
  wavExtractor = fn;
}

export function parseNpy(bytes: Uint8Array, file: string): Float64Array {
  const magic = String.fromCharCode(...bytes.subarray(0, 6));
  if (magic !== '\x93NUMPY') throw new ModelFormatError(`${file}: not a .npy file`, { file });
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = major >= 2 ? dv.getUint32(8, true) : dv.getUint16(8, true);
  const hstart = major >= 2 ? 12 : 10;
  const header = new TextDecoder().decode(bytes.subarray(hstart, hstart + hlen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  if (/'fortran_order':\s*True/.test(header)) throw new ModelFormatError(`${file}: Fortran-order .npy is not supported`, { file });
  const off = hstart + hlen;
  const body = new DataView(bytes.buffer, bytes.byteOffset + off, bytes.byteLength - off);
  if (descr === '<f4') return Float64Array.from({ length: Math.floor(body.byteLength / 4) }, (_, i) => body.getFloat32(4 * i, true));
  if (descr === '<f8') return Float64Array.from({ length: Math.floor(body.byteLength / 8) }, (_, i) => body.getFloat64(8 * i, true));
  throw new ModelFormatError(`${file}: .npy dtype ${descr} is not supported (float32 or float64)`, { file });
}

function splitExamples(values: ArrayLike<number>, perExample: number, file: string): number[][][] {
  if (values.length === 0 || values.length % perExample !== 0)
    throw new ModelFormatError(`${file}: holds ${values.length} values, not a multiple of the model input size ${perExample}`, { file });
  const out: number[][][] = [];
  for (let i = 0; i < values.length; i += perExample) out.push([Array.from({ length: perExample }, (_, k) => values[i + k])]);
  return out;
}

async function loadOne(file: string, perExample: number): Promise<number[][][]> {
  const ext = extname(file).toLowerCase();
  if (ext === '.wav') {
    if (!wavExtractor)
      throw new UsageError(`${file}: WAV calibration needs the frontend; no feature extractor is registered (pass a tensor file instead)`, { file });
    return splitExamples(await wavExtractor(file), perExample, file);
  }
  const bytes = new Uint8Array(readFileSync(file));
  if (ext === '.npy') return splitExamples(parseNpy(bytes, file), perExample, file);
  if (ext === '.json') {
    let v: unknown;
    try {
      v = JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new ModelFormatError(`${file}: invalid JSON (${(e as Error).message})`, { file });
    }
    const flat = (Array.isArray(v) ? v.flat(Infinity) : []) as unknown[];
    if (!flat.every((x) => typeof x === 'number')) throw new ModelFormatError(`${file}: JSON must be an array of numbers or arrays of numbers`, { file });
    return splitExamples(flat as number[], perExample, file);
  }
  if (ext === '.f32' || ext === '.bin' || ext === '.raw') {
    if (bytes.length % 4 !== 0) throw new ModelFormatError(`${file}: raw float32 file size ${bytes.length} is not a multiple of 4`, { file });
    return splitExamples(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)), perExample, file);
  }
  throw new UsageError(`${file}: unknown calibration file type '${ext}' (.npy, .f32, .bin, .json, .wav)`, { file });
}

export async function loadCalibration(path: string, perExample: number, maxExamples = 500): Promise<CalibrationSet> {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`calibration path ${path} does not exist`, { path });
  }
  const files = st.isDirectory()
    ? readdirSync(path)
        .filter((f) => ['.npy', '.f32', '.bin', '.raw', '.json', '.wav'].includes(extname(f).toLowerCase()))
        .sort()
        .map((f) => join(path, f))
    : [path];
  if (files.length === 0) throw new UsageError(`calibration directory ${path} has no .npy/.f32/.bin/.json/.wav files`, { path });
  const out: CalibrationSet = [];
  for (const f of files) {
    for (const ex of await loadOne(f, perExample)) {
      if (out.length >= maxExamples) return out;
      out.push(ex);
    }
  }
  return out;
}
