/**
 * TS twin of firmware-assets/src/app/pipeline_ser.c, bit-exact: runtime-sim's streaming fixed-point
 * frontend (the specification the C frontend twins) feeding runtime-sim's TFLM-exact int8
 * interpreter (the specification the generated model C twins) on sliding windows of frames.
 *
 * Window k = frames [k*hopFrames, k*hopFrames + windowFrames); the model input is those int8 rows
 * in time order ([1, T, F, 1] NHWC = the T x F matrix). The features a result carries are the last
 * `reportFrames` rows of its window (a FEATURES frame holds at most 1018 bytes; see pipeline_ser.c).
 */
import { createFixedFrontend, featureDims, type FrontendConfig } from '../../runtime-sim/frontend/index.js';
import { createInterpreter, loadTfliteModel, type Interpreter } from '../../runtime-sim/interpreter/index.js';
import { TinyserError } from '../../common/errors.js';

/** Bytes of int8 features one FEATURES frame can carry (MAX_BODY 1024 minus window u32 + n u16). */
export const FEATURES_FRAME_MAX_INT8 = 1018;

export interface SerPipelineSpec {
  /** Frontend config with the model input's int8 scale / zero point (what the C tables were made from). */
  frontend: FrontendConfig;
  /** The compiled int8 model (.tflite bytes). */
  tflite: Uint8Array;
  /** Window hop in frontend frames. */
  hopFrames: number;
  /** Name for error messages. */
  modelName?: string;
}

export interface SerPipelineGeometry {
  dims: number;
  windowFrames: number;
  hopFrames: number;
  reportFrames: number;
  numClasses: number;
  windowSamples: number;
  hopSamples: number;
}

export interface SerWindowInt8 {
  window: number;
  /** The reported features: the last `reportFrames` frames of the window (int8, row-major). */
  features: Int8Array;
  scores: Int8Array;
  top: number;
}

/** Window geometry implied by the model input shape and the frontend config. */
export function serGeometry(spec: SerPipelineSpec): SerPipelineGeometry {
  const model = loadTfliteModel(spec.tflite, spec.modelName ?? 'model.tflite');
  const interp = createInterpreter(model);
  return geometryOf(spec, interp);
}

function geometryOf(spec: SerPipelineSpec, interp: Interpreter): SerPipelineGeometry {
  const name = spec.modelName ?? 'model.tflite';
  const dims = featureDims(spec.frontend);
  const input = interp.inputs[0];
  const output = interp.outputs[0];
  if (!input || !output || input.type !== 'int8' || output.type !== 'int8') {
    throw new TinyserError('MODEL_FORMAT', `${name}: the SER pipeline needs an int8 input and an int8 output`, { model: name });
  }
  if (input.byteLength % dims !== 0) {
    throw new TinyserError('MODEL_FORMAT', `${name}: input [${input.shape.join(',')}] (${input.byteLength} values) is not a whole number of ${dims}-value frontend frames`, { model: name });
  }
  const windowFrames = input.byteLength / dims;
  if (!Number.isInteger(spec.hopFrames) || spec.hopFrames < 1) throw new TinyserError('USAGE', `hop must be a positive number of frames, got ${spec.hopFrames}`, {}, 2);
  const reportFrames = Math.min(windowFrames, Math.floor(FEATURES_FRAME_MAX_INT8 / dims));
  return {
    dims,
    windowFrames,
    hopFrames: spec.hopFrames,
    reportFrames,
    numClasses: output.byteLength,
    windowSamples: (windowFrames - 1) * spec.frontend.hopSamples + spec.frontend.windowSamples,
    hopSamples: spec.hopFrames * spec.frontend.hopSamples,
  };
}

/** Every complete window of a stream starting at absolute sample 0, as the device computes it. */
export function serPipelineInt8(spec: SerPipelineSpec, pcm: Int16Array): SerWindowInt8[] {
  const model = loadTfliteModel(spec.tflite, spec.modelName ?? 'model.tflite');
  const interp = createInterpreter(model);
  const g = geometryOf(spec, interp);
  const frames = createFixedFrontend(spec.frontend).pushSamples(pcm);
  const out: SerWindowInt8[] = [];
  const input = new Int8Array(g.windowFrames * g.dims);
  for (let w = 0; w * g.hopFrames + g.windowFrames <= frames.length; w++) {
    for (let j = 0; j < g.windowFrames; j++) input.set(frames[w * g.hopFrames + j]!, j * g.dims);
    interp.setInput(0, input);
    interp.invoke();
    const scores = Int8Array.from(interp.output(0).data as Int8Array);
    let top = 0;
    for (let c = 1; c < scores.length; c++) if (scores[c]! > scores[top]!) top = c;
    out.push({ window: w, features: input.slice((g.windowFrames - g.reportFrames) * g.dims), scores, top });
  }
  return out;
}
