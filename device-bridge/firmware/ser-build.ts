/**
 * Builds the firmware with the speech-emotion pipeline (src/app/pipeline_ser.c) for a compiled
 * model: generates the model C (compiler/writers/c) and the frontend tables
 * (runtime-sim/frontend-c-export) into <buildDir>/ser-generated/, writes ser_pipeline_config.h, and
 * runs firmware-assets/Makefile with PIPELINE_SRC pointing at them. No C file is edited by hand.
 *
 * The frontend's int8 output must use the model input's scale / zero point (DESIGN contract 2 and 5),
 * so the frontend config's `quantization` is replaced by the .tflite input tensor's. The build also
 * leaves <buildDir>/ser-spec.json + model.tflite: everything the HIL twin needs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TinyserError } from '../../common/errors.js';
import { generateModelCFromTflite, writeModelC } from '../../compiler/writers/c/index.js';
import { writeFrontendTablesC } from '../../runtime-sim/frontend-c-export/index.js';
import { defaultFrontendConfig, frontendConfigHashU32, parseFrontendConfig, type FrontendConfig } from '../../runtime-sim/frontend/index.js';
import { createInterpreter, loadTfliteModel } from '../../runtime-sim/interpreter/index.js';
import { BOARDS } from '../boards.js';
import { firmwareAssetsDir } from '../paths.js';
import { serGeometry, type SerPipelineGeometry, type SerPipelineSpec } from '../pipeline/ser-pipeline.js';
import { elfSizes, ToolchainError, type FirmwareBuild } from './build.js';

export interface SerBuildOptions {
  /** Compiler output folder: model.tflite (+ frontend.json, optional). Or pass tflite/frontend directly. */
  modelDir?: string;
  tflite?: Uint8Array;
  /** Frontend config the model was trained with (normalization); default: modelDir/frontend.json or the default config. */
  frontend?: FrontendConfig;
  /** Window hop in frames (default: min(frames a FEATURES frame holds, half the window)). */
  hopFrames?: number;
  board?: string;
  buildDir?: string;
  /** Raw 32-byte ed25519 public key: the device then accepts only images signed with it. */
  signingPubkey?: Uint8Array;
}

export interface SerFirmwareBuild extends FirmwareBuild {
  generatedDir: string;
  spec: SerPipelineSpec;
  geometry: SerPipelineGeometry;
  /** What the device reports in INFO. */
  modelId: number;
  frontendHash: number;
  arenaBytes: number;
  /** The spec file HIL reads back (loadSerSpec). */
  specFile: string;
}

/** The frontend config with the model input tensor's int8 scale / zero point. */
export function frontendForModel(frontend: FrontendConfig, tflite: Uint8Array, name = 'model.tflite'): FrontendConfig {
  const interp = createInterpreter(loadTfliteModel(tflite, name));
  const input = interp.inputs[0];
  if (!input || input.type !== 'int8') throw new TinyserError('MODEL_FORMAT', `${name}: input 0 is not int8; compile the model to int8 first`, { model: name });
  return parseFrontendConfig({ ...frontend, quantization: { scale: input.scale, zeroPoint: input.zeroPoint } }, `${name} frontend`);
}

/** Default hop: as many frames as one FEATURES frame reports, at most half the window. */
export function defaultHopFrames(windowFrames: number, reportFrames: number): number {
  return Math.max(1, Math.min(reportFrames, Math.floor(windowFrames / 2)));
}

function readModelDir(dir: string): { tflite: Uint8Array; frontend?: FrontendConfig } {
  const m = join(dir, 'model.tflite');
  if (!existsSync(m)) throw new TinyserError('INPUT', `${dir}: no model.tflite (run 'tinyser compile ... --out ${dir}' first)`, { dir });
  const f = join(dir, 'frontend.json');
  const frontend = existsSync(f) ? parseFrontendConfig(JSON.parse(readFileSync(f, 'utf8')), f) : undefined;
  return { tflite: new Uint8Array(readFileSync(m)), frontend };
}

/** Reads back the HIL spec a SER firmware build left in its build folder. */
export function loadSerSpec(buildDirOrFile: string): SerPipelineSpec {
  const file = buildDirOrFile.endsWith('.json') ? buildDirOrFile : join(buildDirOrFile, 'ser-spec.json');
  if (!existsSync(file)) throw new TinyserError('INPUT', `${file} not found: build the firmware with --model first (it writes ser-spec.json)`, { file });
  const j = JSON.parse(readFileSync(file, 'utf8')) as { frontend: unknown; hopFrames: number; tflite: string; modelName?: string };
  const tfl = resolve(file, '..', j.tflite);
  return { frontend: parseFrontendConfig(j.frontend, file), hopFrames: j.hopFrames, tflite: new Uint8Array(readFileSync(tfl)), modelName: j.modelName };
}

export function buildSerFirmware(opts: SerBuildOptions): SerFirmwareBuild {
  const board = opts.board ?? 'mps2-an386';
  if (!BOARDS[board]) throw new TinyserError('USAGE', `unknown board '${board}': supported boards are ${Object.keys(BOARDS).join(', ')}`);
  const fromDir = opts.modelDir ? readModelDir(opts.modelDir) : undefined;
  const tflite = opts.tflite ?? fromDir?.tflite;
  if (!tflite) throw new TinyserError('USAGE', 'buildSerFirmware: give modelDir or tflite');
  const modelName = opts.modelDir ? join(opts.modelDir, 'model.tflite') : 'model.tflite';
  const frontend = frontendForModel(opts.frontend ?? fromDir?.frontend ?? defaultFrontendConfig(), tflite, modelName);
  if (frontend.deltas.order !== 0) throw new TinyserError('CONFIG', `${modelName}: the frontend config uses deltas; the streaming device frontend has no look-ahead (use deltas.order 0)`);
  const probe = serGeometry({ frontend, tflite, hopFrames: 1, modelName });
  const hopFrames = opts.hopFrames ?? defaultHopFrames(probe.windowFrames, probe.reportFrames);
  const spec: SerPipelineSpec = { frontend, tflite, hopFrames, modelName };
  const geometry = serGeometry(spec);
  if (hopFrames > geometry.windowFrames) throw new TinyserError('USAGE', `hop ${hopFrames} frames exceeds the ${geometry.windowFrames}-frame window`);

  const which = spawnSync('arm-none-eabi-gcc', ['--version']);
  if (which.error) throw new ToolchainError('arm-none-eabi-gcc not found: apt-get install --no-install-recommends gcc-arm-none-eabi libnewlib-arm-none-eabi');
  const fw = firmwareAssetsDir();
  const buildDir = resolve(opts.buildDir ?? join(fw, 'build', 'ser'));
  const gen = join(buildDir, 'ser-generated');
  mkdirSync(gen, { recursive: true });
  const model = generateModelCFromTflite(tflite, modelName);
  writeModelC(gen, model);
  writeFrontendTablesC(frontend, gen);
  writeFileSync(
    join(gen, 'ser_pipeline_config.h'),
    `/* Generated by device-bridge/firmware/ser-build.ts for ${modelName}. Do not edit. */
#ifndef SER_PIPELINE_CONFIG_H
#define SER_PIPELINE_CONFIG_H
#define SER_WINDOW_FRAMES ${geometry.windowFrames}u /* model input rows */
#define SER_HOP_FRAMES ${geometry.hopFrames}u /* window hop */
#define SER_NUM_CLASSES ${geometry.numClasses}u
#define SER_REPORT_FRAMES ${geometry.reportFrames}u /* last rows of each window sent as FEATURES */
#define SER_FRONTEND_HASH_U32 0x${frontendConfigHashU32(frontend).toString(16).padStart(8, '0')}u /* frontendConfigHashU32 */
#endif
`,
  );
  writeFileSync(join(buildDir, 'model.tflite'), tflite);
  const specFile = join(buildDir, 'ser-spec.json');
  writeFileSync(specFile, JSON.stringify({ frontend, hopFrames, tflite: 'model.tflite', modelName }, null, 2) + '\n');

  const kernels = join(fw, 'src/kernels');
  const frontendDir = join(fw, 'src/frontend');
  const sources = [
    'src/app/pipeline_ser.c',
    join(gen, 'model.c'),
    join(gen, 'tsr_frontend_tables.c'),
    ...readdirSync(frontendDir).filter((f) => f.endsWith('.c')).sort().map((f) => join(frontendDir, f)),
    ...readdirSync(kernels).filter((f) => f.endsWith('.c')).sort().map((f) => join(kernels, f)),
  ];
  // Include paths through CPATH (gcc treats it as -I) so the Makefile's CFLAGS stay as they are;
  // gen comes first: its tsr_frontend_tables.h replaces the default one in src/frontend/generated.
  const env = { ...process.env, CPATH: [gen, frontendDir, kernels].join(':') };
  if (opts.signingPubkey && opts.signingPubkey.length !== 32) throw new TinyserError('USAGE', `signing public key must be 32 bytes, got ${opts.signingPubkey.length}`);
  const key = opts.signingPubkey ? Buffer.from(opts.signingPubkey).toString('hex') : '';
  const r = spawnSync('make', ['-C', fw, `BOARD=${board}`, `BUILD=${buildDir}`, `SIGNING_PUBKEY=${key}`, `PIPELINE_SRC=${sources.join(' ')}`, 'all'], { encoding: 'utf8', env });
  if (r.status !== 0) throw new ToolchainError(`SER firmware build failed (make -C ${fw}):\n${(r.stderr || r.stdout).trim().slice(-4000)}`, { status: r.status });
  const out: SerFirmwareBuild = {
    board,
    buildDir,
    app: join(buildDir, 'app.elf'),
    appBin: join(buildDir, 'app.bin'),
    bootloader: join(buildDir, 'bootloader.elf'),
    sizes: { app: elfSizes(join(buildDir, 'app.elf')), bootloader: elfSizes(join(buildDir, 'bootloader.elf')) },
    generatedDir: gen,
    spec,
    geometry,
    modelId: parseInt(model.modelSha256.slice(0, 8), 16) >>> 0,
    frontendHash: frontendConfigHashU32(frontend),
    arenaBytes: model.arenaBytes,
    specFile,
    signingPubkey: key || null,
  };
  for (const f of [out.app, out.appBin, out.bootloader]) if (!existsSync(f)) throw new ToolchainError(`build finished but ${f} is missing`);
  return out;
}
