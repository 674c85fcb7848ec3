/**
 * `tinyser demo` as a library: the whole product path on one machine, with the emulated board as
 * the device.
 *
 *   demo dataset (eSpeak NG emotional speech, speakers held out)
 *   -> short student training (tfjs WASM, DS-CNN on 1 s log-mel windows, normalization in the frontend)
 *   -> compile (int8, calibration = the training features)
 *   -> firmware with the generated model C + the C frontend (pipeline_ser.c), flash image
 *   -> QEMU mps2-an386 over a pty, factory firmware, flash through the bootloader (A/B, confirm)
 *   -> HIL on held-out clips: device vs runtime-sim bit for bit, latency per stage
 *   -> summary (UA/WA float vs int8 vs device) + static HTML report
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TinyserError } from '../common/errors.js';
import { compileGraph, loadModelFile, writeCompileOutputs } from '../compiler/index.js';
import { BOARDS } from '../device-bridge/boards.js';
import { startEmulator, type Emulator } from '../device-bridge/emulator/qemu.js';
import { buildFirmware, ToolchainError } from '../device-bridge/firmware/build.js';
import { buildSerFirmware, type SerFirmwareBuild } from '../device-bridge/firmware/ser-build.js';
import { flashImage, type FlashReport } from '../device-bridge/flash.js';
import { runSerHil, serHilJunit, type SerHilReport } from '../device-bridge/hil/ser-hil.js';
import { buildImage } from '../device-bridge/image/image.js';
import { Flag, MsgType } from '../device-bridge/protocol/messages.js';
import { Session } from '../device-bridge/protocol/session.js';
import { openSerial } from '../device-bridge/transport/serial.js';
import { evaluatePredictions, type ClassificationMetrics } from '../models/metrics/index.js';
import { fixClipLength } from '../models/train/features.js';
import { prepareTrainingData } from '../models/train/prepare-data.js';
import { writeRunFolder } from '../models/train/run-training.js';
import { DEFAULT_TRAIN_OPTIONS, trainClassifier, type EpochLog, type TrainOptions } from '../models/train/trainer.js';
import { initWasmTraining } from '../models/train/wasm-backend.js';
import { computeFeaturesInt8 } from '../runtime-sim/frontend/index.js';
import { createInterpreter, loadTfliteModel } from '../runtime-sim/interpreter/index.js';
import { demoReportHtml } from './demo-report.js';

export const DEMO_APT_PACKAGES = ['qemu-system-arm', 'gcc-arm-none-eabi', 'libnewlib-arm-none-eabi'] as const;
export const DEMO_APT_COMMAND = `apt-get install --no-install-recommends ${DEMO_APT_PACKAGES.join(' ')}`;

export type DemoStage = 'tools' | 'data' | 'train' | 'compile' | 'firmware' | 'emulator' | 'flash' | 'hil' | 'report';
export const DEMO_STAGES: readonly DemoStage[] = ['tools', 'data', 'train', 'compile', 'firmware', 'emulator', 'flash', 'hil', 'report'];

export interface DemoOptions {
  out: string;
  seed?: number;
  /** Demo clips per class (4 classes, 10 synthetic speakers; 20 % of speakers held out). */
  demoCount?: number;
  epochs?: number;
  arch?: string;
  /** Model window (and training clip) length in seconds. */
  windowSeconds?: number;
  /** Held-out clips streamed through the board (default: all of them). */
  hilClips?: number;
  /** Install missing apt packages when running as root (default true). */
  installTools?: boolean;
  onStage?: (stage: DemoStage, message: string) => void;
  onEpoch?: (log: EpochLog) => void;
}

export interface DemoAccuracy {
  /** Float model (tfjs) on the 1-window centre crops of the held-out clips. */
  float: ClassificationMetrics;
  /** int8 model in runtime-sim on the same crops, features from the fixed-point frontend. */
  int8: ClassificationMetrics;
  /** The board: clip decision = mean of the dequantized window scores over the streamed clip. */
  device: ClassificationMetrics;
}

export interface DemoReport {
  out: string;
  classes: string[];
  trainSpeakers: string[];
  heldOutSpeakers: string[];
  trainClips: number;
  heldOutClips: number;
  arch: string;
  params: number;
  macs: number;
  epochs: number;
  accuracy: DemoAccuracy;
  model: { tfliteBytes: number; arenaBytes: number; inputScale: number; inputZeroPoint: number; modelId: string };
  firmware: { appFlashBytes: number; appRamBytes: number; windowSamples: number; hopSamples: number; windowFrames: number; hopFrames: number };
  flash: Pick<FlashReport, 'slot' | 'imageVersion' | 'payloadBytes' | 'seconds' | 'confirmed'>;
  hil: Omit<SerHilReport, 'clips'> & { clips: { name: string; windows: number; matched: number; bitExact: boolean }[] };
  seconds: Record<DemoStage, number>;
  files: { report: string; junit: string; summary: string; run: string; build: string; firmware: string };
}

export interface ToolCheck {
  missing: string[];
  aptCommand: string;
}

const hasCommand = (cmd: string) => !spawnSync(cmd, ['--version']).error;

/** Which of the emulator / cross-compiler are absent, and the Debian packages that provide them. */
export function checkDemoTools(): ToolCheck {
  const missing: string[] = [];
  if (!hasCommand('qemu-system-arm')) missing.push('qemu-system-arm');
  if (!hasCommand('arm-none-eabi-gcc')) missing.push('gcc-arm-none-eabi', 'libnewlib-arm-none-eabi');
  return { missing, aptCommand: DEMO_APT_COMMAND };
}

function ensureTools(install: boolean, say: (m: string) => void): void {
  const t = checkDemoTools();
  if (t.missing.length === 0) return say('qemu-system-arm and arm-none-eabi-gcc present');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!install || !isRoot) {
    throw new ToolchainError(`the demo needs ${t.missing.join(', ')}: install them with\n  ${isRoot ? '' : 'sudo '}${t.aptCommand}`, { missing: t.missing, command: t.aptCommand });
  }
  say(`installing ${t.missing.join(', ')}: ${t.aptCommand}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...DEMO_APT_PACKAGES], { stdio: 'inherit', env });
  if (r.status !== 0 || checkDemoTools().missing.length) throw new ToolchainError(`'${t.aptCommand}' failed (exit ${r.status}); install the packages and run the demo again`, { command: t.aptCommand });
}

function argmax(v: ArrayLike<number>): number {
  let k = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[k]!) k = i;
  return k;
}

async function bootBoard(app: string, bootloader: string, flashFile: string): Promise<{ emu: Emulator; session: Session }> {
  const emu = await startEmulator({ app, bootloader, flashFile });
  const port = await openSerial(emu.serialPath);
  const session = new Session(port, { ackTimeoutMs: 3000 });
  await new Promise<void>((res, rej) => {
    const t = setTimeout(() => rej(new TinyserError('DEVICE', `no boot announce from the emulated board on ${emu.serialPath} within 30 s`)), 30_000);
    const on = (f: { type: number; flags: number }) => {
      if (f.type === MsgType.INFO && f.flags & Flag.ANNOUNCE) {
        clearTimeout(t);
        session.offStream(on);
        res();
      }
    };
    session.onStream(on);
    void emu.resume();
  });
  return { emu, session };
}

export async function runDemo(opts: DemoOptions): Promise<DemoReport> {
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });
  const seconds = Object.fromEntries(DEMO_STAGES.map((s) => [s, 0])) as Record<DemoStage, number>;
  let stageStart = Date.now();
  let current: DemoStage = 'tools';
  const begin = (s: DemoStage, m: string) => {
    seconds[current] += (Date.now() - stageStart) / 1000;
    current = s;
    stageStart = Date.now();
    opts.onStage?.(s, m);
  };
  const say = (m: string) => opts.onStage?.(current, m);
  const seed = opts.seed ?? 0;
  const windowSeconds = opts.windowSeconds ?? 1;

  begin('tools', 'checking qemu-system-arm and arm-none-eabi-gcc');
  ensureTools(opts.installTools ?? true, say);

  begin('data', `demo dataset: ${opts.demoCount ?? 40} clips per class, features of ${windowSeconds} s windows`);
  const data = await prepareTrainingData({ data: 'demo', demoCount: opts.demoCount ?? 40, seed, clipSeconds: windowSeconds, cacheDir: join(out, 'feature-cache') });
  say(`${data.trainItems.length} training clips (speakers ${data.trainSpeakers.join(', ')}), ${data.valItems.length} held-out clips (speakers ${data.valSpeakers.join(', ')})`);

  begin('train', `${opts.arch ?? 'ds-cnn-s'}, up to ${opts.epochs ?? 12} epochs on the WASM backend`);
  await initWasmTraining();
  const trainOptions: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, arch: opts.arch ?? 'ds-cnn-s', epochs: opts.epochs ?? 12, patience: 6, seed };
  const runDir = join(out, 'run');
  const trained = await trainClassifier({ train: data.train, val: data.val }, trainOptions, { runDir, onEpoch: opts.onEpoch });
  const run = await writeRunFolder(runDir, trained, data, trainOptions);
  trained.model.dispose();
  say(`best epoch ${run.bestEpoch}: float UA ${(run.val.ua * 100).toFixed(1)} %, WA ${(run.val.wa * 100).toFixed(1)} % on held-out speakers`);

  begin('compile', 'int8, calibration from the training features');
  const graph = loadModelFile(run.files.modelJson);
  const per = data.train.frames * data.train.bands;
  const nTrain = data.train.labels.length;
  const calibration: Float64Array[][] = [];
  for (let i = 0; i < nTrain && calibration.length < 64; i += Math.max(1, Math.floor(nTrain / 64))) calibration.push([Float64Array.from(data.train.x.subarray(i * per, (i + 1) * per))]);
  const nVal = data.val.labels.length;
  const evaluation = Array.from({ length: nVal }, (_, i) => [Float64Array.from(data.val.x.subarray(i * per, (i + 1) * per))]);
  const compiled = await compileGraph(graph, { calibration, evaluation, verify: false, name: 'demo-ser' });
  const buildDir = join(out, 'build');
  writeCompileOutputs(compiled, buildDir);
  writeFileSync(join(buildDir, 'frontend.json'), JSON.stringify(data.frontend, null, 2) + '\n');
  say(`${compiled.tflite.length} byte .tflite, ops ${[...new Set(compiled.operators)].join(', ')}`);

  begin('firmware', 'generated model C + C frontend + pipeline_ser.c with arm-none-eabi-gcc');
  const fwDir = join(out, 'firmware');
  const ser: SerFirmwareBuild = buildSerFirmware({ modelDir: buildDir, buildDir: join(fwDir, 'ser') });
  const factory = buildFirmware({ buildDir: join(fwDir, 'factory') });
  const board = BOARDS['mps2-an386']!;
  const image = buildImage(new Uint8Array(readFileSync(ser.appBin)), { boardId: board.id, imageVersion: 2, loadAddr: board.execAddr });
  const imageFile = join(fwDir, 'ser-v2.img');
  writeFileSync(imageFile, image);
  say(`app ${ser.sizes.app.flashBytes} B flash, ${ser.sizes.app.ramBytes} B static RAM (arena ${ser.arenaBytes} B); window ${ser.geometry.windowFrames} frames, hop ${ser.geometry.hopFrames} frames; image ${imageFile}`);

  begin('emulator', 'qemu-system-arm -M mps2-an386 (-icount shift=0) with the factory firmware');
  const flashFile = join(fwDir, 'psram-slots.bin');
  let board1: { emu: Emulator; session: Session } | undefined;
  let flash: FlashReport;
  let hil: SerHilReport;
  const valClips = opts.hilClips ? data.valItems.slice(0, opts.hilClips) : data.valItems;
  try {
    board1 = await bootBoard(factory.app, factory.bootloader, flashFile);
    say(`board up on ${board1.emu.serialPath}`);

    begin('flash', `FLASH_BEGIN/DATA/END of ${image.length} bytes, BOOT, CONFIRM`);
    flash = await flashImage(board1.session, image, {}, imageFile);
    say(`slot ${flash.slot}, image v${flash.imageVersion}, ${flash.payloadBytes} B in ${flash.seconds.toFixed(1)} s, confirmed ${flash.confirmed}; device reports model ${flash.after.modelId.toString(16)}`);
    if (flash.after.modelId !== ser.modelId) throw new TinyserError('DEVICE', `after flashing, the device reports model 0x${flash.after.modelId.toString(16)}, expected 0x${ser.modelId.toString(16)}`);

    begin('hil', `${valClips.length} held-out clips streamed through the board, compared with runtime-sim`);
    const clips = valClips.map((it) => ({ name: it.id, pcm: fixClipLength(it.samplesInt16!, Math.max(it.samplesInt16!.length, ser.geometry.windowSamples)) }));
    hil = await runSerHil(board1.session, ser.spec, clips, { onClip: (d, n, c) => say(`${d}/${n} ${c.name}: ${c.windows} windows, ${c.bitExact ? 'bit-exact' : `${c.windows - c.matched} MISMATCH`}`) });
  } finally {
    await board1?.emu.stop();
    await board1?.session.close().catch(() => undefined);
  }

  begin('report', 'accuracy float vs int8 vs device, HTML report');
  const interp = createInterpreter(loadTfliteModel(compiled.tflite, 'model.tflite'));
  const outInfo = interp.outputs[0]!;
  const deq = (s: ArrayLike<number>) => Array.from(s, (v) => (v - outInfo.zeroPoint) * outInfo.scale);
  const yTrue = valClips.map((it) => it.classIndex);
  // Float: the best model's validation run = the same held-out clips, centre-cropped to one window.
  const floatMetrics = run.val;
  const int8Pred = valClips.map((it) => {
    const crop = fixClipLength(it.samplesInt16!, Math.round(windowSeconds * 16000));
    const f = computeFeaturesInt8(crop, ser.spec.frontend);
    interp.setInput(0, f.data.subarray(0, ser.geometry.windowFrames * ser.geometry.dims));
    interp.invoke();
    return argmax(interp.output(0).data as Int8Array);
  });
  const devicePred = hil.clips.map((c) => {
    const mean = new Array<number>(data.classes.length).fill(0);
    for (const s of c.deviceScores) deq(s).forEach((v, k) => (mean[k]! += v));
    return argmax(mean);
  });
  const accuracy: DemoAccuracy = {
    float: floatMetrics,
    int8: evaluatePredictions(yTrue, int8Pred, data.classes),
    device: evaluatePredictions(yTrue, devicePred, data.classes),
  };
  const files = {
    report: join(out, 'report.html'),
    junit: join(out, 'hil-junit.xml'),
    summary: join(out, 'summary.json'),
    run: runDir,
    build: buildDir,
    firmware: fwDir,
  };
  seconds[current] += (Date.now() - stageStart) / 1000;
  const report: DemoReport = {
    out,
    classes: data.classes,
    trainSpeakers: data.trainSpeakers,
    heldOutSpeakers: data.valSpeakers,
    trainClips: data.trainItems.length,
    heldOutClips: valClips.length,
    arch: run.arch,
    params: run.counts.trainableParams,
    macs: run.counts.macs,
    epochs: run.epochsCompleted,
    accuracy,
    model: {
      tfliteBytes: compiled.tflite.length,
      arenaBytes: ser.arenaBytes,
      inputScale: ser.spec.frontend.quantization.scale,
      inputZeroPoint: ser.spec.frontend.quantization.zeroPoint,
      modelId: ser.modelId.toString(16).padStart(8, '0'),
    },
    firmware: {
      appFlashBytes: ser.sizes.app.flashBytes,
      appRamBytes: ser.sizes.app.ramBytes,
      windowSamples: ser.geometry.windowSamples,
      hopSamples: ser.geometry.hopSamples,
      windowFrames: ser.geometry.windowFrames,
      hopFrames: ser.geometry.hopFrames,
    },
    flash: { slot: flash.slot, imageVersion: flash.imageVersion, payloadBytes: flash.payloadBytes, seconds: flash.seconds, confirmed: flash.confirmed },
    hil: { ...hil, clips: hil.clips.map((c) => ({ name: c.name, windows: c.windows, matched: c.matched, bitExact: c.bitExact })) },
    seconds,
    files,
  };
  writeFileSync(files.junit, serHilJunit(hil, 'tinyser-demo-hil'));
  writeFileSync(files.report, demoReportHtml(report, hil));
  writeFileSync(files.summary, JSON.stringify(report, null, 2) + '\n');
  return report;
}
