/**
 * TF.js Layers models on disk without tfjs-node: an IOHandler that writes and reads the standard
 * `model.json` + `weights.bin` pair (format 'layers-model', one weights shard). The layout is
 * exactly what `tfjs.converters` and tf.loadLayersModel produce, so the compiler's TF.js importer
 * (and any TF.js tool) reads it unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TinyserError, errorMessage } from '../../common/errors.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

interface ModelJsonFile {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: unknown;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  userDefinedMetadata?: Record<string, unknown>;
}

function toUint8(data: ArrayBuffer | ArrayBuffer[] | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  if (Array.isArray(data)) return new Uint8Array(tf.io.concatenateArrayBuffers(data));
  return new Uint8Array(data);
}

/** An IOHandler that saves to `<dir>/model.json` and `<dir>/weights.bin`. */
export function fileSaveHandler(dir: string, metadata?: Record<string, unknown>): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      await mkdir(dir, { recursive: true });
      const weights = toUint8(artifacts.weightData as ArrayBuffer | ArrayBuffer[] | undefined);
      const json: ModelJsonFile = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tfl.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
        ...(metadata ? { userDefinedMetadata: metadata } : {}),
      };
      await writeFile(path.join(dir, WEIGHTS_BIN), weights);
      await writeFile(path.join(dir, MODEL_JSON), JSON.stringify(json));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs).length,
          weightDataBytes: weights.byteLength,
        },
      };
    },
  };
}

/** An IOHandler that loads `<dir>/model.json` and the weight shards it lists. */
export function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = path.join(dir, MODEL_JSON);
      let json: ModelJsonFile;
      try {
        json = JSON.parse(await readFile(jsonPath, 'utf8')) as ModelJsonFile;
      } catch (e) {
        throw new TinyserError('MODEL_FORMAT', `${jsonPath}: cannot read a TF.js model.json (${errorMessage(e)})`, { file: jsonPath });
      }
      if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
        throw new TinyserError('MODEL_FORMAT', `${jsonPath}: missing modelTopology or weightsManifest`, { file: jsonPath });
      }
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: ArrayBuffer[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) {
          const file = path.join(dir, p);
          try {
            const b = await readFile(file);
            buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
          } catch (e) {
            throw new TinyserError('MODEL_FORMAT', `${file}: weights shard listed in ${jsonPath} is unreadable (${errorMessage(e)})`, { file });
          }
        }
      }
      return {
        modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
        weightSpecs: specs,
        weightData: tf.io.concatenateArrayBuffers(buffers),
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
        userDefinedMetadata: json.userDefinedMetadata as Record<string, {}> | undefined,
      };
    },
  };
}

export async function saveLayersModelToDir(model: tfl.LayersModel, dir: string, metadata?: Record<string, unknown>): Promise<void> {
  await model.save(fileSaveHandler(dir, metadata));
}

export async function loadLayersModelFromDir(dir: string): Promise<tfl.LayersModel> {
  return tfl.loadLayersModel(fileLoadHandler(dir));
}
