/**
 * A model's files under models/<id>/: TF.js layers format (model.json + weights.bin, loadable with
 * tf.loadLayersModel), pipeline.json (how rows become inputs, and what the outputs mean) and, for the typed-array
 * families, estimator.json. Names are checked so a manifest cannot point outside the model folder.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { XinzhiError } from '../../../shared/model/errors.js';
import { loadCompressedModel, type CompressedWeightsEntry } from '../../core/ml/compress.js';

export interface ModelFile {
  name: string;
  sha256: string;
  bytes: number;
}

export interface LayersModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: string | null;
  modelTopology: object;
  trainingConfig?: tf.io.TrainingConfig;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

export function readModelFile(dir: string, name: string): Buffer {
  if (name !== basename(name) || name === '..' || name === '.') throw new XinzhiError('E_INVALID_INPUT', `Model file "${name}" is outside the model folder`);
  try {
    return readFileSync(join(dir, name));
  } catch (err) {
    throw new XinzhiError('E_INVALID_INPUT', `Cannot read ${name} of the model: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function readJson<T>(dir: string, name: string): T {
  try {
    return JSON.parse(readModelFile(dir, name).toString('utf8')) as T;
  } catch (err) {
    if (err instanceof XinzhiError) throw err;
    throw new XinzhiError('E_INVALID_INPUT', `${name} of the model is not valid JSON`);
  }
}

export function writeModelFile(dir: string, name: string, data: string | Uint8Array): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), data);
}

/** Writes model.json (layers format; `weightSpecs` may carry a quantization entry) and weights.bin. */
export function writeLayersModel(dir: string, modelTopology: object, weightSpecs: tf.io.WeightsManifestEntry[], weightData: Uint8Array, trainingConfig?: tf.io.TrainingConfig): void {
  const json: LayersModelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: 'Xinzhi Workbench',
    modelTopology,
    ...(trainingConfig ? { trainingConfig } : {}),
    weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }],
  };
  writeModelFile(dir, 'model.json', JSON.stringify(json));
  writeModelFile(dir, 'weights.bin', weightData);
}

/** Saves a TF.js model into `dir` as model.json + weights.bin. */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      writeLayersModel(dir, artifacts.modelTopology as object, artifacts.weightSpecs ?? [], new Uint8Array(weightData), artifacts.trainingConfig);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weightData.byteLength } };
    }),
  );
}

/** model.json and its weight files as in-memory artifacts (what tf.io.fromMemory / a load handler returns). */
export function readLayersArtifacts(dir: string): { json: LayersModelJson; weightData: ArrayBuffer } {
  const json = readJson<LayersModelJson>(dir, 'model.json');
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) throw new XinzhiError('E_INVALID_INPUT', 'model.json is not a TF.js layers model');
  const parts = json.weightsManifest.flatMap((group) => group.paths.map((p) => readModelFile(dir, p)));
  const all = Buffer.concat(parts);
  return { json, weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer };
}

/**
 * Loads the TF.js model of `dir` with tf.loadLayersModel; a model whose manifest holds per-channel int8 weights
 * (which the stock decoder refuses) is decoded by core/ml/compress first.
 */
export async function loadLayersModel(dir: string): Promise<tf.LayersModel> {
  const { json, weightData } = readLayersArtifacts(dir);
  if (json.weightsManifest.some((g) => g.weights.some((w) => (w as CompressedWeightsEntry).channelQuantization))) {
    return loadCompressedModel(json as unknown as tf.io.ModelJSON, weightData);
  }
  return tf.loadLayersModel({
    load: async () => ({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData,
      ...(json.trainingConfig ? { trainingConfig: json.trainingConfig } : {}),
    }),
  });
}

export function describeFiles(dir: string, names: string[]): ModelFile[] {
  return names.map((name) => {
    const bytes = readModelFile(dir, name);
    return { name, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
  });
}

/** The artifacts a save would write (topology, weight specs and data), in memory. */
export async function modelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new XinzhiError('E_INTERNAL', 'The model could not be serialised');
  return saved;
}
