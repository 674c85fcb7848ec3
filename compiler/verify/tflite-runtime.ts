/**
 * Harness for the REAL TFLite runtime shipped in @tensorflow/tfjs-tflite (TFLite compiled to WASM,
 * XNNPACK delegate included), used as the oracle for "a stock TFLite runtime accepts and runs
 * this file". It is browser-oriented, so we bypass its loader: we evaluate the Emscripten factory
 * of the non-threaded SIMD build ourselves and hand it the .wasm bytes read from node_modules.
 * The threaded builds need real Web Workers and are never chosen here.
 *
 * Note (DESIGN.md contract 3): XNNPACK may differ from TFLM reference kernels by 1 LSB on deeper
 * models, so agreement with it is checked within 1 LSB, not as equality.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ModelFormatError } from '../errors.js';
import { withBuiltinKernelsOnly } from './builtin-kernels-only.js';

export type TfliteRuntimeTensorData = Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array;

export interface TfliteRuntimeTensorInfo {
  name: string;
  dataType: string;
  shape: number[];
}

interface EmscriptenVector<T> {
  size(): number;
  get(i: number): T;
  delete(): void;
}

interface WebTensor {
  name: string;
  dataType: string;
  shape: string;
  data(): TfliteRuntimeTensorData;
}

interface WebProfileItem {
  nodeType: string;
  nodeName: string;
  nodeExecMs: number;
}

interface WebRunner {
  GetInputs(): EmscriptenVector<WebTensor>;
  GetOutputs(): EmscriptenVector<WebTensor>;
  Infer(): boolean;
  GetProfilingResults(): EmscriptenVector<WebProfileItem>;
  delete(): void;
}

interface StatusOr<T> {
  ok(): boolean;
  errorMessage(): string;
  value(): T;
}

interface TfliteWebModule {
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(p: number): void;
  TFLiteWebModelRunner: {
    CreateFromBufferAndOptions(
      ptr: number,
      len: number,
      opts: { numThreads: number; enableProfiling: boolean; maxProfilingBufferEntries: number },
    ): StatusOr<WebRunner>;
  };
}

type ModuleFactory = (opts: Record<string, unknown>) => Promise<TfliteWebModule>;

let modulePromise: Promise<TfliteWebModule> | undefined;

/**
 * Runs a call into the TFLite WebAssembly module. A trap inside it (seen: `memory access out of
 * bounds` when releasing the third-party keyword_scrambled_8bit model) is the runtime's own crash,
 * not ours: it becomes a typed error, and the module, whose memory may now be inconsistent, is
 * dropped so the next session instantiates a fresh one.
 */
function guardWasm<T>(what: string, call: () => T): T {
  try {
    return call();
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      modulePromise = undefined;
      throw new ModelFormatError(`the TFLite runtime crashed ${what}: ${e.message}`, {});
    }
    throw e;
  }
}

/** Loads (once per process) the non-threaded SIMD build of the TFLite WASM runtime. */
export function loadTfliteRuntime(): Promise<TfliteWebModule> {
  if (!modulePromise) modulePromise = instantiate();
  return modulePromise;
}

async function instantiate(): Promise<TfliteWebModule> {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('@tensorflow/tfjs-tflite/package.json'));
  const jsPath = join(pkgDir, 'wasm', 'tflite_web_api_cc_simd.js');
  const wasmBinary = readFileSync(join(pkgDir, 'wasm', 'tflite_web_api_cc_simd.wasm'));
  const src = readFileSync(jsPath, 'utf8');
  // Evaluate the Emscripten glue as a classic script would; it defines `tflite_web_api_ModuleFactory`.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function('require', '__filename', '__dirname', `${src}\nreturn tflite_web_api_ModuleFactory;`)(
    require,
    jsPath,
    dirname(jsPath),
  ) as ModuleFactory;
  return factory({
    wasmBinary,
    locateFile: (p: string) => join(pkgDir, 'wasm', p),
    print: () => undefined,
    printErr: (s: string) => { if (process.env.TINYSER_DEBUG) process.stderr.write(`tflite: ${s}\n`); },
  });
}

export interface TfliteRuntimeResult {
  inputs: TfliteRuntimeTensorInfo[];
  outputs: { info: TfliteRuntimeTensorInfo; data: TfliteRuntimeTensorData }[];
}

/** A loaded model that can be invoked many times (used by tests and the bench). */
export interface TfliteRuntimeSession {
  inputs: TfliteRuntimeTensorInfo[];
  outputs: TfliteRuntimeTensorInfo[];
  run(inputs: ArrayLike<number>[]): TfliteRuntimeTensorData[];
  /**
   * Node types the runtime executed in the runs so far, in order ('CONV_2D', ...;
   * 'TfLiteXNNPackDelegate' for a delegated partition). Empty unless opened with `profile: true`.
   */
  executedNodeTypes(): string[];
  dispose(): void;
}

function vecToArray<T>(v: EmscriptenVector<T>): T[] {
  try {
    const out: T[] = [];
    for (let i = 0; i < v.size(); i++) out.push(v.get(i));
    return out;
  } finally {
    v.delete();
  }
}

function infoOf(t: WebTensor): TfliteRuntimeTensorInfo {
  return { name: t.name, dataType: t.dataType, shape: t.shape.split(',').filter((s) => s !== '').map(Number) };
}

/**
 * Which kernels the runtime uses: 'xnnpack' runs the file as given (XNNPACK takes every node it
 * supports, as in any stock TFLite); 'builtin' runs a copy that keeps XNNPACK away
 * (builtin-kernels-only.ts), so TFLite's own builtin kernels run every node.
 */
export type TfliteKernels = 'xnnpack' | 'builtin';

export interface TfliteRuntimeOptions {
  kernels?: TfliteKernels;
  /** Record which kernels run (TFLite's profiler), for executedNodeTypes(). */
  profile?: boolean;
}

export async function openTfliteRuntime(model: Uint8Array, options: TfliteRuntimeOptions = {}): Promise<TfliteRuntimeSession> {
  const m = await loadTfliteRuntime();
  const bytes = options.kernels === 'builtin' ? withBuiltinKernelsOnly(model) : model;
  const ptr = m._malloc(bytes.length);
  m.HEAPU8.set(bytes, ptr);
  const status = guardWasm('loading the model', () =>
    m.TFLiteWebModelRunner.CreateFromBufferAndOptions(ptr, bytes.length, {
      numThreads: 1,
      enableProfiling: options.profile === true,
      maxProfilingBufferEntries: 1024,
    }),
  );
  if (!status.ok()) {
    m._free(ptr);
    throw new ModelFormatError(`the TFLite runtime rejected the model: ${status.errorMessage()}`, {});
  }
  const runner = status.value();
  const inTensors = vecToArray(runner.GetInputs());
  const outTensors = vecToArray(runner.GetOutputs());
  return {
    inputs: inTensors.map(infoOf),
    outputs: outTensors.map(infoOf),
    run(inputs) {
      if (inputs.length !== inTensors.length)
        throw new ModelFormatError(`model has ${inTensors.length} inputs, ${inputs.length} given`, {});
      inTensors.forEach((t, i) => {
        const buf = t.data();
        if (buf.length !== inputs[i].length)
          throw new ModelFormatError(`input ${i} (${t.name}) holds ${buf.length} values, ${inputs[i].length} given`, {});
        buf.set(inputs[i]);
      });
      if (!guardWasm('running the model', () => runner.Infer())) throw new ModelFormatError('the TFLite runtime failed to invoke the model', {});
      return outTensors.map((t) => t.data().slice());
    },
    executedNodeTypes() {
      return vecToArray(runner.GetProfilingResults()).map((p) => p.nodeType);
    },
    dispose() {
      // keyword_scrambled_8bit (third party) runs fine but traps in TFLite's own teardown
      guardWasm('releasing the model', () => {
        runner.delete();
        m._free(ptr);
      });
    },
  };
}

/** One-shot: load, run once with the given inputs (row-major, the tensor's own dtype), dispose. */
export async function runTfliteRuntime(bytes: Uint8Array, inputs: ArrayLike<number>[], options: TfliteRuntimeOptions = {}): Promise<TfliteRuntimeResult> {
  const s = await openTfliteRuntime(bytes, options);
  try {
    const data = s.run(inputs);
    return { inputs: s.inputs, outputs: s.outputs.map((info, i) => ({ info, data: data[i] })) };
  } finally {
    s.dispose();
  }
}
