/**
 * RAVDESS after deployment: a trained run folder (model.json + frontend.json from `tinyser train`) is
 * compiled to int8 (calibrated on training-split features) and evaluated on the validation speakers
 * three ways: float64 IR on float features, int8 interpreter on the fixed-point frontend's int8 features
 * (the device path), and the UA gap between them (goal: within 1 point).
 * Calibration uses the whole training split (448 clips), as `tinyser compile --calib` does with up to
 * 500 inputs: with a 64-clip subset the activation ranges miss the training features' extremes, and
 * the 3 DS-CNN S seeds lost 2.4 / 2.3 / -0.8 points (mean 1.3, top-1 agreement 330/336) against
 * 0.0 / -0.8 / 0.0 (mean -0.3, agreement 332/336) with the whole split; percentile and MSE ranges on
 * 64 clips agreed less (320 and 326/336). TINYSER_RAVDESS_CALIB=64 reproduces the old setting.
 * Opt-in: TINYSER_RAVDESS_RUNS=dir1,dir2,... (a run takes about a minute).
 */
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { compileGraph, loadModelFile } from '../compiler/index.js';
import { evaluateGraphFloat64 } from '../compiler/ir/evaluate-float64.js';
import { frontendForModel } from '../device-bridge/firmware/ser-build.js';
import { loadSerDataset, splitBySpeakers } from '../models/datasets/index.js';
import { evaluatePredictions } from '../models/metrics/index.js';
import { fixClipLength } from '../models/train/features.js';
import { readWav } from '../runtime-sim/audio/index.js';
import { computeFeaturesFloat64, computeFeaturesInt8, parseFrontendConfig } from '../runtime-sim/frontend/index.js';
import { createInterpreter, loadTfliteModel } from '../runtime-sim/interpreter/index.js';

const DATA = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../shared/datasets/ravdess-4class-16k');
const VAL = ['17', '18', '19', '20'];
const CLIP_SAMPLES = 48000;

const argmax = (v: ArrayLike<number>): number => {
  let k = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[k]!) k = i;
  return k;
};

export default async function run(): Promise<void> {
  const runs = (process.env.TINYSER_RAVDESS_RUNS ?? '').split(',').filter(Boolean);
  if (runs.length === 0 || !existsSync(DATA)) {
    console.log('skipped: set TINYSER_RAVDESS_RUNS=<run dir>[,...] (folders from `tinyser train`) and provide ../shared/datasets');
    return;
  }
  const ds = await loadSerDataset(DATA, { corpus: 'ravdess' });
  const speakers = [...new Set(ds.items.map((i) => i.speaker))];
  const isVal = (s: string): boolean => VAL.some((v) => s.endsWith(`:${v}`));
  const split = splitBySpeakers(ds.items, { train: speakers.filter((s) => !isVal(s)), val: speakers.filter(isVal) });
  const calibCount = Number(process.env.TINYSER_RAVDESS_CALIB ?? split.train.length);
  if (!(calibCount >= 1)) throw new Error(`TINYSER_RAVDESS_CALIB must be a positive count, got ${process.env.TINYSER_RAVDESS_CALIB}`);
  const pcm = new Map<string, Int16Array>();
  for (const it of [...split.train, ...split.val]) pcm.set(it.path, fixClipLength((await readWav(it.path)).samplesInt16, CLIP_SAMPLES));
  for (const dir of runs) {
    const frontend = parseFrontendConfig(JSON.parse(readFileSync(path.join(dir, 'frontend.json'), 'utf8')), `${dir}/frontend.json`);
    const graph = loadModelFile(path.join(dir, 'model.json'));
    const step = Math.max(1, Math.floor(split.train.length / calibCount));
    const calibration = split.train.filter((_, i) => i % step === 0).map((it) => [computeFeaturesFloat64(pcm.get(it.path)!, frontend).data]);
    const compiled = await compileGraph(graph, { calibration, verify: false, name: path.basename(dir) });
    const deviceFrontend = frontendForModel(frontend, compiled.tflite);
    const interp = createInterpreter(loadTfliteModel(compiled.tflite, 'model.tflite'));
    const yTrue = split.val.map((it) => it.classIndex);
    const floatPred: number[] = [], int8Pred: number[] = [];
    for (const it of split.val) {
      const x = pcm.get(it.path)!;
      floatPred.push(argmax(evaluateGraphFloat64(graph, [computeFeaturesFloat64(x, frontend).data]).outputs[0]!.data));
      interp.setInput(0, computeFeaturesInt8(x, deviceFrontend).data);
      interp.invoke();
      int8Pred.push(argmax(interp.output(0).data as Int8Array));
    }
    const f = evaluatePredictions(yTrue, floatPred, ds.classes);
    const q = evaluatePredictions(yTrue, int8Pred, ds.classes);
    const agree = floatPred.filter((p, i) => p === int8Pred[i]).length / floatPred.length;
    console.log(
      `${path.basename(dir)}: val UA float ${f.ua.toFixed(3)} -> int8 device path ${q.ua.toFixed(3)} (gap ${((f.ua - q.ua) * 100).toFixed(1)} points); ` +
        `WA ${f.wa.toFixed(3)} -> ${q.wa.toFixed(3)}; top-1 agreement ${(agree * 100).toFixed(1)}%; ` +
        `.tflite ${compiled.tflite.length} B, int8 weights ${compiled.report.totals.weightBytes} B, ` +
        `arena ${compiled.report.totals.arenaBytes} B (activations ${compiled.plan.arenaBytes} B); calibration ${calibration.length} clips`,
    );
  }
}
