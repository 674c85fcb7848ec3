/** Shared by the TF.js import tests: in-memory save of a Layers model, and seeded float inputs. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TfjsArtifacts } from '../../compiler/import/tfjs/import-tfjs.js';

/** What `model.save()` hands a save handler: the same artifacts the training side writes to disk. */
export async function artifactsOf(model: tfl.LayersModel): Promise<TfjsArtifacts> {
  let saved: TfjsArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = { modelTopology: a.modelTopology, weightSpecs: a.weightSpecs as TfjsArtifacts['weightSpecs'], weightData: a.weightData as ArrayBuffer };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved!;
}

/** n inputs of `size` values uniform in [-2, 2), from a 32-bit LCG: the same numbers on every run. */
export function seededInputs(n: number, size: number, seed: number): Float32Array[] {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  return Array.from({ length: n }, () => Float32Array.from({ length: size }, () => rnd() * 4 - 2));
}
