/**
 * Reads a compiler build folder (`tinyser compile --out build/`) for template instantiation and
 * cross-checks its files against each other, so a template is never filled from a stale mix:
 * model_data.cc must hold exactly model.tflite's bytes, model_ops.h must register exactly the
 * operators the .tflite uses, model_data.h's arena must be report.json's, and the report's input
 * quantization must be the .tflite's.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TinyserError } from '../../common/errors.js';
import { loadTfliteModel } from '../../runtime-sim/interpreter/index.js';

export interface CompilerBuildDir {
  dir: string;
  tflite: Uint8Array;
  /** First 32 bits of the .tflite's SHA-256 (what the generated C and INFO call model id). */
  modelId: number;
  modelSha256: string;
  /** Distinct builtin operators of the .tflite, in first-use order (TFLite op code order). */
  operators: string[];
  /** report.json fields the templates use. */
  report: BuildReport;
  /** Text of the TFLM artifacts (absent when the folder has none: only the Pico template works then). */
  tflm?: { modelDataCc: string; modelDataH: string; modelOpsH: string };
  /** Operators registered by model_ops.h, in file order (e.g. CONV_2D from `AddConv2D()`). */
  resolverOperators?: string[];
  /** Frontend config JSON beside the model (frontend.json), unparsed. */
  frontendJson?: unknown;
  /** Class names from classes.json / labels.txt beside the model, if present. */
  classes?: { names: string[]; source: string };
}

export interface BuildReport {
  model: string;
  operators: string[];
  input: { shape: number[]; scale: number; zeroPoint: number };
  output: { shape: number[]; scale: number; zeroPoint: number };
  totals: { arenaBytes: number };
}

/** MicroMutableOpResolver method -> builtin name (the inverse of compiler/writers/tflm's table). */
export function resolverMethodToOperator(method: string): string {
  // AddConv2D -> CONV_2D, AddDepthwiseConv2D -> DEPTHWISE_CONV_2D, AddRelu6 -> RELU6, AddMaxPool2D -> MAX_POOL_2D
  const body = method.replace(/^Add/, '');
  return body
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/([A-Za-z])(\d)D$/, '$1_$2D')
    .toUpperCase();
}

/** The Add*() calls of a model_ops.h, as builtin operator names. */
export function parseResolverOperators(modelOpsH: string): string[] {
  return [...modelOpsH.matchAll(/resolver\.(Add\w+)\(\)/g)].map((m) => resolverMethodToOperator(m[1]!));
}

function fail(dir: string, file: string, message: string): never {
  throw new TinyserError('INPUT', `${join(dir, file)}: ${message}`, { dir, file });
}

function readText(dir: string, file: string): string | undefined {
  const p = join(dir, file);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}

/** Bytes of the C array in model_data.cc (the compiler writes `0x..,` lists). */
export function modelDataBytes(modelDataCc: string): Uint8Array {
  const open = modelDataCc.indexOf('{');
  const close = modelDataCc.indexOf('};', open);
  const hex = modelDataCc.slice(open + 1, close).match(/0x[0-9a-fA-F]{2}/g) ?? [];
  return Uint8Array.from(hex, (h) => parseInt(h, 16));
}

function readClasses(dir: string): { names: string[]; source: string } | undefined {
  const json = readText(dir, 'classes.json');
  if (json !== undefined) {
    const v = JSON.parse(json) as unknown;
    const names = Array.isArray(v) ? v : (v as { classes?: unknown }).classes;
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) fail(dir, 'classes.json', 'expected a JSON array of class names (or {"classes": [...]})');
    return { names: names as string[], source: join(dir, 'classes.json') };
  }
  const txt = readText(dir, 'labels.txt');
  if (txt !== undefined) return { names: txt.split(/\r?\n/).map((s) => s.trim()).filter((s) => s.length > 0), source: join(dir, 'labels.txt') };
  return undefined;
}

export function readCompilerBuildDir(dir: string): CompilerBuildDir {
  if (!existsSync(dir)) throw new TinyserError('INPUT', `${dir}: no such folder (run 'tinyser compile <model> --calib ... --out ${dir}' first)`, { dir });
  const tflitePath = join(dir, 'model.tflite');
  if (!existsSync(tflitePath)) fail(dir, 'model.tflite', `missing (run 'tinyser compile <model> --calib ... --out ${dir}' first)`);
  const tflite = new Uint8Array(readFileSync(tflitePath));
  const model = loadTfliteModel(tflite, tflitePath);
  const sg = model.subgraphs[0];
  if (!sg) fail(dir, 'model.tflite', 'no subgraph');
  const operators: string[] = [];
  for (const op of sg.operators) if (!operators.includes(op.opName)) operators.push(op.opName);

  const reportText = readText(dir, 'report.json');
  if (reportText === undefined) fail(dir, 'report.json', 'missing: the compile report gives the arena size and quantization');
  const report = JSON.parse(reportText) as BuildReport;
  if (!report.totals || typeof report.totals.arenaBytes !== 'number' || !report.input || !report.output)
    fail(dir, 'report.json', 'not a tinyser compile report (no totals.arenaBytes / input / output)');

  const inT = sg.tensors[sg.inputs[0]!];
  const outT = sg.tensors[sg.outputs[0]!];
  if (!inT?.quantization || !outT?.quantization || inT.type !== 'int8' || outT.type !== 'int8')
    fail(dir, 'model.tflite', 'input 0 and output 0 must be int8 (compile the model to int8 first)');
  // The report stores the float32 scale read back as a double: compare in float32.
  if (Math.fround(report.input.scale) !== Math.fround(inT.quantization.scale[0]!) || report.input.zeroPoint !== inT.quantization.zeroPoint[0])
    fail(dir, 'report.json', `input quantization (${report.input.scale}, ${report.input.zeroPoint}) differs from model.tflite's (${inT.quantization.scale[0]}, ${inT.quantization.zeroPoint[0]}): stale build folder, re-run tinyser compile`);
  if (report.operators && [...report.operators].sort().join() !== [...operators].sort().join())
    fail(dir, 'report.json', `operators [${report.operators.join(', ')}] differ from model.tflite's [${operators.join(', ')}]: stale build folder`);

  const sha = createHash('sha256').update(tflite).digest('hex');
  const out: CompilerBuildDir = {
    dir,
    tflite,
    modelId: parseInt(sha.slice(0, 8), 16) >>> 0,
    modelSha256: sha,
    operators,
    report: {
      ...report,
      input: { ...report.input, shape: [...inT.shape], scale: inT.quantization.scale[0]!, zeroPoint: inT.quantization.zeroPoint[0]! },
      output: { ...report.output, shape: [...outT.shape], scale: outT.quantization.scale[0]!, zeroPoint: outT.quantization.zeroPoint[0]! },
    },
    classes: readClasses(dir),
  };
  const frontendText = readText(dir, 'frontend.json');
  if (frontendText !== undefined) out.frontendJson = JSON.parse(frontendText) as unknown;

  const modelDataCc = readText(dir, 'model_data.cc');
  const modelDataH = readText(dir, 'model_data.h');
  const modelOpsH = readText(dir, 'model_ops.h');
  if (modelDataCc !== undefined && modelDataH !== undefined && modelOpsH !== undefined) {
    const bytes = modelDataBytes(modelDataCc);
    if (bytes.length !== tflite.length || !bytes.every((b, i) => b === tflite[i]))
      fail(dir, 'model_data.cc', `its array (${bytes.length} bytes) is not model.tflite (${tflite.length} bytes): stale build folder`);
    const arena = /kTensorArenaSize\s*=\s*(\d+)/.exec(modelDataH);
    if (!arena || Number(arena[1]) !== report.totals.arenaBytes)
      fail(dir, 'model_data.h', `kTensorArenaSize ${arena ? arena[1] : '(missing)'} differs from report.json totals.arenaBytes ${report.totals.arenaBytes}`);
    const resolverOperators = parseResolverOperators(modelOpsH);
    if ([...resolverOperators].sort().join() !== [...operators].sort().join())
      fail(dir, 'model_ops.h', `registers [${resolverOperators.join(', ')}] but model.tflite uses [${operators.join(', ')}]`);
    out.tflm = { modelDataCc, modelDataH, modelOpsH };
    out.resolverOperators = resolverOperators;
  }
  return out;
}
