/**
 * `tinyser template <arduino|esp-idf|pico-sdk>`: fills a real-board template
 * (firmware-assets/templates/<kind>/) from a compiler build folder into an output folder that
 * builds with the vendor tools as is: compiler artifacts, the portable C sources, generated
 * frontend tables and headers, every placeholder filled (arena size, op count, class names,
 * input scale / zero point, model id, frontend config hash). No C file needs editing.
 *
 * The frontend's int8 output uses the model input's scale / zero point (DESIGN contract 5): the
 * config's `quantization` is replaced by the .tflite's, as for the emulated board
 * (device-bridge/firmware/ser-build.ts), and the window geometry is the same (serGeometry).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { TinyserError, UsageError } from '../../common/errors.js';
import { generateModelCFromTflite } from '../../compiler/writers/c/index.js';
import { emitFrontendTablesC } from '../../runtime-sim/frontend-c-export/index.js';
import { defaultFrontendConfig, featureDims, frontendConfigHashU32, parseFrontendConfig, type FrontendConfig } from '../../runtime-sim/frontend/index.js';
import { defaultHopFrames, frontendForModel, serPipelineConfigHeader } from '../firmware/ser-build.js';
import { firmwareAssetsDir } from '../paths.js';
import { serGeometry, type SerPipelineGeometry } from '../pipeline/ser-pipeline.js';
import { TEMPLATE_LAYOUTS, type TemplateKind, type TemplateLayout } from './layouts.js';
import { cStringLiteral, fillPlaceholders, float32Literal } from './placeholders.js';
import { readCompilerBuildDir, type CompilerBuildDir } from './read-build-dir.js';

export const TEMPLATE_MANIFEST = 'tinyser-template.json';

export interface InstantiateOptions {
  kind: TemplateKind;
  /** Compiler build folder (model.tflite, report.json, model_data.cc/.h, model_ops.h; frontend.json, classes.json optional). */
  modelDir: string;
  outDir: string;
  /** Class names (index = score index); default: classes.json / labels.txt in modelDir, else class0..N-1. */
  classes?: string[];
  /** Frontend config the model was trained with; default: modelDir/frontend.json, else the default config. */
  frontend?: FrontendConfig;
  /** Window hop in frames (default as the emulated board: min(frames one FEATURES frame holds, half the window)). */
  hopFrames?: number;
  /** Write into a non-empty folder that is not an earlier instantiation. */
  force?: boolean;
}

export interface TemplateManifest {
  kind: TemplateKind;
  modelName: string;
  modelDir: string;
  modelSha256: string;
  modelId: number;
  arenaBytes: number;
  /** Distinct builtin operators of the model; for TFLM templates also what model_ops.h registers. */
  operators: string[];
  classes: string[];
  frontendHash: number;
  geometry: SerPipelineGeometry;
  /** Every file written, relative to the output folder (POSIX separators). */
  files: string[];
  /** C / C++ sources the build compiles, relative to the output folder. */
  sources: string[];
  placeholders: Record<string, string>;
}

export interface InstantiateResult extends TemplateManifest {
  outDir: string;
  buildHint: string;
}

function templatesDir(): string {
  return join(firmwareAssetsDir(), 'templates');
}

/** Files of a folder, recursively, relative to it (sorted, POSIX separators). */
function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p, posix.join(prefix, name)));
    else out.push(posix.join(prefix, name));
  }
  return out;
}

function cCommentSafe(s: string): string {
  return s.replace(/\*\//g, '*_/');
}

function resolveClasses(build: CompilerBuildDir, opts: InstantiateOptions, numClasses: number): { names: string[]; source: string } {
  const given = opts.classes ? { names: opts.classes, source: '--classes' } : build.classes;
  const c = given ?? { names: Array.from({ length: numClasses }, (_, i) => `class${i}`), source: 'defaults (no classes.json / labels.txt in the build folder)' };
  if (c.names.length !== numClasses)
    throw new UsageError(`${c.source}: ${c.names.length} class names but the model has ${numClasses} outputs`, { classes: c.names, numClasses });
  if (c.names.some((n) => n.length === 0)) throw new UsageError(`${c.source}: empty class name`);
  return c;
}

function prepareOutDir(outDir: string, force: boolean): void {
  if (!existsSync(outDir)) {
    mkdirSync(outDir, { recursive: true });
    return;
  }
  const manifest = join(outDir, TEMPLATE_MANIFEST);
  if (existsSync(manifest)) {
    // Re-instantiation: remove what the previous run wrote (a changed model may have other files).
    const prev = JSON.parse(readFileSync(manifest, 'utf8')) as { files?: string[] };
    for (const f of prev.files ?? []) rmSync(join(outDir, f), { force: true });
    return;
  }
  if (readdirSync(outDir).length > 0 && !force)
    throw new UsageError(`${outDir} is not empty and holds no ${TEMPLATE_MANIFEST}: choose an empty folder (or --force to write into it)`, { outDir });
}

export function instantiateTemplate(opts: InstantiateOptions): InstantiateResult {
  const layout: TemplateLayout | undefined = TEMPLATE_LAYOUTS[opts.kind];
  if (!layout) throw new UsageError(`unknown template '${String(opts.kind)}': choose arduino, esp-idf or pico-sdk`);
  const build = readCompilerBuildDir(opts.modelDir);
  if (layout.backend === 'tflm' && !build.tflm)
    throw new TinyserError('INPUT', `${opts.modelDir}: the ${opts.kind} template needs model_data.cc, model_data.h and model_ops.h (written by tinyser compile)`, { dir: opts.modelDir });

  const modelName = (build.report.model || basename(resolve(opts.modelDir))).replace(/[^A-Za-z0-9_.-]/g, '_');
  const tflitePath = join(opts.modelDir, 'model.tflite');
  const trained = opts.frontend ?? (build.frontendJson !== undefined ? parseFrontendConfig(build.frontendJson, join(opts.modelDir, 'frontend.json')) : defaultFrontendConfig());
  const frontend = frontendForModel(trained, build.tflite, tflitePath);
  if (frontend.deltas.order !== 0)
    throw new TinyserError('CONFIG', `${tflitePath}: the frontend config uses deltas; the streaming device frontend has no look-ahead (use deltas.order 0)`);
  const probe = serGeometry({ frontend, tflite: build.tflite, hopFrames: 1, modelName: tflitePath });
  const hopFrames = opts.hopFrames ?? defaultHopFrames(probe.windowFrames, probe.reportFrames);
  const geometry = serGeometry({ frontend, tflite: build.tflite, hopFrames, modelName: tflitePath });
  if (hopFrames > geometry.windowFrames) throw new UsageError(`hop ${hopFrames} frames exceeds the ${geometry.windowFrames}-frame window`);
  if (geometry.windowSamples > 0xffff || geometry.hopSamples > 0xffff)
    throw new UsageError(`window ${geometry.windowSamples} / hop ${geometry.hopSamples} samples do not fit the protocol's u16 INFO fields`);
  const classes = resolveClasses(build, opts, geometry.numClasses);
  const frontendHash = frontendConfigHashU32(frontend);

  const generatedC = layout.backend === 'generated-c' ? generateModelCFromTflite(build.tflite, tflitePath) : undefined;
  const arenaBytes = generatedC ? generatedC.arenaBytes : build.report.totals.arenaBytes;
  const arenaSource = generatedC
    ? 'offline plan of the generated C (activations only, no interpreter overhead)'
    : `report.json totals.arenaBytes (planned activations + TFLM persistent estimate), = kTensorArenaSize of model_data.h`;

  const outDir = resolve(opts.outDir);
  prepareOutDir(outDir, opts.force ?? false);
  const files = new Map<string, string | Uint8Array>();
  const put = (rel: string, content: string | Uint8Array): void => {
    files.set(posix.normalize(rel), content);
  };
  const src = (rel: string) => posix.join(layout.sourceRoot, rel);
  const fw = firmwareAssetsDir();
  const copyFrom = (absDir: string, destDir: string, filter: (f: string) => boolean) => {
    for (const f of readdirSync(absDir).sort()) if (filter(f) && statSync(join(absDir, f)).isFile()) put(posix.join(destDir, f), readFileSync(join(absDir, f)));
  };
  const isC = (f: string) => /\.(c|h)$/.test(f);

  // Portable firmware sources, unchanged (their relative includes keep app/ and protocol/ siblings).
  put(src('app/pipeline_ser.c'), readFileSync(join(fw, 'src/app/pipeline_ser.c')));
  put(src('app/app_pipeline.h'), readFileSync(join(fw, 'src/app/app_pipeline.h')));
  // The protocol shell the emulated firmware runs too (templates add only their board facts).
  put(src('app/device_shell.c'), readFileSync(join(fw, 'src/app/device_shell.c')));
  put(src('app/device_shell.h'), readFileSync(join(fw, 'src/app/device_shell.h')));
  copyFrom(join(fw, 'src/protocol'), src('protocol'), isC);
  copyFrom(join(fw, 'src/frontend'), layout.sourceRoot, isC);
  if (layout.backend === 'generated-c') copyFrom(join(fw, 'src/kernels'), src('kernels'), isC);

  // Template text (placeholders filled below): common files, then the board's own tree.
  const common = join(templatesDir(), 'common');
  const texts = new Map<string, string>();
  for (const f of ['tinyser_shell.c', 'tinyser_shell.h', 'tinyser_board.h', 'tinyser_model_info.h']) texts.set(src(f), readFileSync(join(common, f), 'utf8'));
  texts.set(posix.join(layout.headerRoot, 'tinyser.h'), readFileSync(join(common, 'tinyser.h'), 'utf8'));
  const boardDir = join(templatesDir(), opts.kind);
  for (const f of listFiles(boardDir)) texts.set(f, readFileSync(join(boardDir, f), 'utf8'));

  // Generated: frontend tables for the model's quantization, window geometry, model backend.
  const tables = emitFrontendTablesC(frontend);
  put(src('tsr_frontend_tables.h'), tables.header);
  put(src('tsr_frontend_tables.c'), tables.source);
  put(src('ser_pipeline_config.h'), serPipelineConfigHeader(geometry, frontendHash, `tinyser template for ${cCommentSafe(modelName)}`));
  if (generatedC) {
    for (const [name, text] of Object.entries(generatedC.files)) put(src(name), text);
  } else {
    const tflm = build.tflm!;
    put(src(`model_data${layout.cppExt}`), tflm.modelDataCc);
    put(src('model_data.h'), tflm.modelDataH);
    put(src('model_ops.h'), tflm.modelOpsH);
    texts.set(src('model.h'), readFileSync(join(common, 'tflm/model.h'), 'utf8'));
    texts.set(src(`tinyser_tflm_model${layout.cppExt}`), readFileSync(join(common, 'tflm/tinyser_tflm_model.cc'), 'utf8'));
  }
  // The host-side spec (`loadSerSpec(outDir)`): tinyser hil can drive the board with the TS twin.
  put('model.tflite', build.tflite);
  put('ser-spec.json', JSON.stringify({ frontend, hopFrames, tflite: 'model.tflite', modelName }, null, 2) + '\n');

  const sources = [...files.keys(), ...texts.keys()].filter((f) => /\.(c|cc|cpp)$/.test(f) && !f.startsWith('examples/')).sort();
  const cmakeDir = layout.cmakeFile ? posix.dirname(layout.cmakeFile) : '.';
  const cmakeSources = sources
    .filter((f) => f.startsWith(layout.sourceRoot + '/'))
    .map((f) => `    "${posix.relative(cmakeDir, f)}"`)
    .join('\n');

  const inShape = build.report.input.shape;
  const values: Record<string, string> = {
    TINYSER_MODEL_NAME: modelName,
    TINYSER_MODEL_DIR: cCommentSafe(opts.modelDir),
    TINYSER_MODEL_ID_HEX: build.modelId.toString(16).padStart(8, '0'),
    TINYSER_ARENA_BYTES: String(arenaBytes),
    TINYSER_ARENA_SOURCE: arenaSource,
    TINYSER_OP_COUNT: String(build.operators.length),
    TINYSER_OPS_LIST: build.operators.join(', '),
    TINYSER_INPUT_SHAPE: inShape.join(','),
    TINYSER_INPUT_BYTES: String(inShape.reduce((a, b) => a * b, 1)),
    TINYSER_WINDOW_FRAMES: String(geometry.windowFrames),
    TINYSER_HOP_FRAMES: String(geometry.hopFrames),
    TINYSER_FEATURE_DIMS: String(featureDims(frontend)),
    TINYSER_INPUT_SCALE: float32Literal(build.report.input.scale),
    TINYSER_INPUT_ZERO_POINT: String(build.report.input.zeroPoint),
    TINYSER_OUTPUT_SCALE: float32Literal(build.report.output.scale),
    TINYSER_OUTPUT_ZERO_POINT: String(build.report.output.zeroPoint),
    TINYSER_NUM_CLASSES: String(geometry.numClasses),
    TINYSER_CLASS_NAMES_C: classes.names.map(cStringLiteral).join(', '),
    TINYSER_CLASSES_SOURCE: cCommentSafe(classes.source),
    TINYSER_FRONTEND_HASH_HEX: frontendHash.toString(16).padStart(8, '0'),
    TINYSER_FRONTEND_KIND: frontend.kind,
    TINYSER_SAMPLE_RATE: String(frontend.sampleRate),
    TINYSER_WINDOW_SAMPLES: String(geometry.windowSamples),
    TINYSER_HOP_SAMPLES: String(geometry.hopSamples),
    TINYSER_CMAKE_SOURCES: cmakeSources,
  };
  for (const [rel, text] of texts) put(rel, fillPlaceholders(text, values, join(outDir, rel)));

  const manifest: TemplateManifest = {
    kind: opts.kind,
    modelName,
    modelDir: opts.modelDir,
    modelSha256: build.modelSha256,
    modelId: build.modelId,
    arenaBytes,
    operators: build.operators,
    classes: classes.names,
    frontendHash,
    geometry,
    files: [...files.keys(), TEMPLATE_MANIFEST].sort(),
    sources,
    placeholders: values,
  };
  for (const [rel, content] of files) {
    const p = join(outDir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  writeFileSync(join(outDir, TEMPLATE_MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return { ...manifest, outDir, buildHint: layout.buildHint };
}

/** Reads back the manifest an instantiation left in its output folder. */
export function readTemplateManifest(outDir: string): TemplateManifest {
  const p = join(outDir, TEMPLATE_MANIFEST);
  if (!existsSync(p)) throw new TinyserError('INPUT', `${p} not found: not a tinyser template output`, { outDir });
  return JSON.parse(readFileSync(p, 'utf8')) as TemplateManifest;
}

