/**
 * An ONNX teacher run with onnxruntime-node (CPU). The teacher receives the SAME normalised
 * feature tensors as the student (so it must have been trained on tinyser features, e.g. a larger
 * tinyser model exported to ONNX, or its input adapted). Input layout is read from the model's
 * declared input shape: [N, T, F, 1] (NHWC), [N, 1, T, F] (NCHW) or [N, T, F].
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { TinyserError, errorMessage } from '../../common/errors.js';
import type { FeatureSet } from '../train/feature-set.js';
import type { Teacher, TeacherOutputKind } from './teacher.js';

const { onnx } = onnxProto as unknown as { onnx: typeof import('onnx-proto').onnx };

type Layout = 'nhwc' | 'nchw' | 'ntf';

function declaredInput(bytes: Uint8Array, file: string): { name: string; dims: Array<number | null> } {
  let model: import('onnx-proto').onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new TinyserError('MODEL_FORMAT', `${file}: not an ONNX model (${errorMessage(e)})`, { file });
  }
  const initializers = new Set((model.graph?.initializer ?? []).map((t) => t.name));
  const input = (model.graph?.input ?? []).find((i) => !initializers.has(i.name ?? ''));
  if (!input?.name) throw new TinyserError('MODEL_FORMAT', `${file}: the graph declares no input`, { file });
  const dims = (input.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue != null && Number(d.dimValue) > 0 ? Number(d.dimValue) : null));
  return { name: input.name, dims };
}

function chooseLayout(dims: Array<number | null>, frames: number, bands: number, file: string): Layout {
  const fits = (pattern: number[]) => pattern.length === dims.length && pattern.every((p, i) => dims[i] == null || dims[i] === p);
  if (fits([0, frames, bands, 1].map((v, i) => (i === 0 ? dims[0] ?? 0 : v)))) return 'nhwc';
  if (fits([0, 1, frames, bands].map((v, i) => (i === 0 ? dims[0] ?? 0 : v)))) return 'nchw';
  if (fits([0, frames, bands].map((v, i) => (i === 0 ? dims[0] ?? 0 : v)))) return 'ntf';
  throw new TinyserError(
    'MODEL_FORMAT',
    `${file}: teacher input shape [${dims.map((d) => d ?? '?').join(', ')}] does not take the student's features ` +
      `[N, ${frames}, ${bands}, 1] (NHWC), [N, 1, ${frames}, ${bands}] (NCHW) or [N, ${frames}, ${bands}]; ` +
      'train or export the teacher on the same frontend and clip length',
    { file, teacherInput: dims, features: [frames, bands] },
  );
}

/** Rows that are all >= 0 and sum to 1 are probabilities; anything else is logits. */
export function looksLikeProbabilities(values: Float32Array, classes: number): boolean {
  for (let r = 0; r < values.length / classes; r++) {
    let sum = 0;
    for (let k = 0; k < classes; k++) {
      const v = values[r * classes + k]!;
      if (v < 0) return false;
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-3) return false;
  }
  return true;
}

export async function loadOnnxTeacher(file: string, opts: { outputs?: TeacherOutputKind; batchSize?: number } = {}): Promise<Teacher> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (e) {
    throw new TinyserError('INPUT', `${file}: cannot read the teacher model (${errorMessage(e)})`, { file });
  }
  const input = declaredInput(bytes, file);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch (e) {
    throw new TinyserError('MODEL_FORMAT', `${file}: onnxruntime cannot load the teacher (${errorMessage(e)})`, { file });
  }
  const outputName = session.outputNames[0]!;
  const contentHash = createHash('sha256').update(bytes).digest('hex');
  const batchSize = opts.batchSize ?? 32;
  return {
    kind: 'onnx',
    path: file,
    contentHash,
    async logits(set: FeatureSet): Promise<Float32Array> {
      const layout = chooseLayout(input.dims, set.frames, set.bands, file);
      const n = set.labels.length;
      const per = set.frames * set.bands;
      const classes = set.classNames.length;
      const out = new Float32Array(n * classes);
      for (let start = 0; start < n; start += batchSize) {
        const count = Math.min(batchSize, n - start);
        const data = set.x.slice(start * per, (start + count) * per);
        const dims = layout === 'nhwc' ? [count, set.frames, set.bands, 1] : layout === 'nchw' ? [count, 1, set.frames, set.bands] : [count, set.frames, set.bands];
        const result = await session.run({ [input.name]: new ort.Tensor('float32', data, dims) });
        const y = result[outputName]!;
        if (y.dims.length !== 2 || Number(y.dims[1]) !== classes) {
          throw new TinyserError('MODEL_FORMAT', `${file}: teacher output '${outputName}' has shape [${y.dims.join(', ')}], expected [N, ${classes}]`, { file });
        }
        out.set(y.data as Float32Array, start * classes);
      }
      const kind = opts.outputs ?? 'auto';
      if (kind === 'probabilities' || (kind === 'auto' && looksLikeProbabilities(out, classes))) {
        // log-probabilities are logits up to a per-row constant, which softmax ignores
        for (let i = 0; i < out.length; i++) out[i] = Math.log(Math.max(out[i]!, 1e-8));
      }
      return out;
    },
    async dispose() {
      await session.release();
    },
  };
}
