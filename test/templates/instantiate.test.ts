/**
 * Template instantiation from a compiled fixture: every placeholder filled, files present, the
 * resolver equals the model's operators, the arena equals the report (TFLM) or the generated C's
 * plan (Pico), and stale or inconsistent build folders are refused by name.
 */
import { Command } from 'commander';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verbs } from '../../cli/commands/index.js';
import { register as registerTemplate } from '../../cli/commands/template.js';
import { TinyserError } from '../../common/errors.js';
import {
  instantiateTemplate,
  modelDataBytes,
  parseResolverOperators,
  placeholdersIn,
  readTemplateManifest,
  resolverMethodToOperator,
  TEMPLATE_KINDS,
  TEMPLATE_LAYOUTS,
  float32Literal,
} from '../../device-bridge/templates/index.js';
import { frontendForModel } from '../../device-bridge/firmware/ser-build.js';
import { defaultFrontendConfig, frontendConfigHashU32 } from '../../runtime-sim/frontend/index.js';
import { loadTfliteModel } from '../../runtime-sim/interpreter/index.js';
import { repoRoot } from '../compiler/fixtures.js';
import { buildTemplateFixture, CLASSES, defineOf, filesUnder, readText, type TemplateFixture } from './fixture-build.js';

let fx: TemplateFixture;
let tflite: Uint8Array;
let modelOps: string[];
let report: { totals: { arenaBytes: number }; input: { scale: number; zeroPoint: number }; output: { scale: number; zeroPoint: number } };

beforeAll(async () => {
  fx = await buildTemplateFixture();
  tflite = new Uint8Array(readFileSync(path.join(fx.buildDir, 'model.tflite')));
  // The model's operators straight from the .tflite (independent of the compiler's own list).
  const sg = loadTfliteModel(tflite).subgraphs[0]!;
  modelOps = [...new Set(sg.operators.map((o) => o.opName))];
  report = JSON.parse(readText(fx.buildDir, 'report.json'));
}, 60_000);
afterAll(() => {
  if (fx) rmSync(fx.root, { recursive: true, force: true });
});

const isText = (f: string) => !/\.tflite$/.test(f);

describe.each(TEMPLATE_KINDS)('template %s', (kind) => {
  const out = () => path.join(fx.root, kind);
  const layout = TEMPLATE_LAYOUTS[kind];
  const info = () => readText(out(), layout.sourceRoot, 'tinyser_model_info.h');

  it('fills every placeholder and writes every listed file', () => {
    const files = filesUnder(out());
    const manifest = readTemplateManifest(out());
    expect([...files].sort()).toEqual([...manifest.files].sort());
    for (const f of files.filter(isText)) {
      const text = readText(out(), f);
      expect(text, f).not.toMatch(/\{\{[A-Z0-9_]+\}\}/);
    }
    for (const s of manifest.sources) expect(existsSync(path.join(out(), s)), s).toBe(true);
    // every placeholder a template file uses has a value in the manifest
    const templateRoot = path.join(repoRoot, 'firmware-assets/templates');
    for (const f of [...filesUnder(path.join(templateRoot, kind)).map((f) => path.join(kind, f)), ...filesUnder(path.join(templateRoot, 'common')).map((f) => path.join('common', f))]) {
      for (const p of placeholdersIn(readText(templateRoot, f))) expect(manifest.placeholders[p], `${f}: ${p}`).toBeDefined();
    }
  });

  it('model info header: model id, quantization, classes, frontend hash, geometry', () => {
    const h = info();
    const sha = createHash('sha256').update(tflite).digest('hex');
    expect(defineOf(h, 'TINYSER_INFO_MODEL_ID')).toBe(`0x${sha.slice(0, 8)}u`);
    const sg = loadTfliteModel(tflite).subgraphs[0]!;
    const inQ = sg.tensors[sg.inputs[0]!]!.quantization!;
    const outQ = sg.tensors[sg.outputs[0]!]!.quantization!;
    // the C float literal reads back to the .tflite's float32 scale exactly
    expect(Math.fround(Number(defineOf(h, 'TINYSER_INFO_INPUT_SCALE')!.replace(/f$/, '')))).toBe(inQ.scale[0]);
    expect(defineOf(h, 'TINYSER_INFO_INPUT_ZERO_POINT')).toBe(`(${inQ.zeroPoint[0]})`);
    expect(Math.fround(Number(defineOf(h, 'TINYSER_INFO_OUTPUT_SCALE')!.replace(/f$/, '')))).toBe(outQ.scale[0]);
    expect(defineOf(h, 'TINYSER_INFO_OUTPUT_ZERO_POINT')).toBe(`(${outQ.zeroPoint[0]})`);
    expect(defineOf(h, 'TINYSER_INFO_NUM_CLASSES')).toBe('4u');
    expect(defineOf(h, 'TINYSER_INFO_CLASS_NAMES')).toBe('{ "neutral", "happy \\"joy\\"", "sad", "angry" }');
    expect(defineOf(h, 'TINYSER_INFO_OP_COUNT')).toBe(String(modelOps.length));
    const frontend = frontendForModel(defaultFrontendConfig(), tflite);
    expect(defineOf(h, 'TINYSER_INFO_FRONTEND_HASH')).toBe(`0x${frontendConfigHashU32(frontend).toString(16).padStart(8, '0')}u`);
    // the generated frontend tables quantize with the model input's scale / zero point
    const cfg = readText(out(), layout.sourceRoot, 'ser_pipeline_config.h');
    expect(defineOf(cfg, 'SER_FRONTEND_HASH_U32')).toBe(defineOf(h, 'TINYSER_INFO_FRONTEND_HASH'));
    expect(defineOf(cfg, 'SER_WINDOW_FRAMES')).toBe('49u');
    expect(defineOf(cfg, 'SER_NUM_CLASSES')).toBe('4u');
    expect(readTemplateManifest(out()).classes).toEqual(CLASSES);
  });

  it('CMake source lists name exactly the C/C++ files written', () => {
    if (!layout.cmakeFile) return;
    const cmake = readText(out(), layout.cmakeFile);
    const dir = path.posix.dirname(layout.cmakeFile);
    const listed = [...cmake.matchAll(/^\s+"([^"]+\.(?:c|cc|cpp))"$/gm)].map((m) => path.posix.join(dir, m[1]!)).sort();
    const present = filesUnder(out()).filter((f) => f.startsWith(layout.sourceRoot + '/') && /\.(c|cc|cpp)$/.test(f)).sort();
    expect(listed.length).toBeGreaterThan(10);
    expect(listed).toEqual(present);
  });
});

describe.each(['arduino', 'esp-idf'] as const)('TFLM template %s', (kind) => {
  const src = () => path.join(fx.root, kind, TEMPLATE_LAYOUTS[kind].sourceRoot);

  it("resolver registers exactly the model's operators; arena is the report's", () => {
    const ops = readText(src(), 'model_ops.h');
    expect([...parseResolverOperators(ops)].sort()).toEqual([...modelOps].sort());
    expect(ops).toMatch(new RegExp(`constexpr int kModelOpCount = ${modelOps.length};`));
    expect(Number(/kTensorArenaSize = (\d+);/.exec(readText(src(), 'model_data.h'))![1])).toBe(report.totals.arenaBytes);
    expect(defineOf(readText(src(), 'tinyser_model_info.h'), 'TINYSER_INFO_ARENA_BYTES')).toBe(`${report.totals.arenaBytes}u`);
    const cc = readText(src(), `model_data${TEMPLATE_LAYOUTS[kind].cppExt}`);
    expect(Buffer.from(modelDataBytes(cc)).equals(Buffer.from(tflite))).toBe(true);
  });
});

describe('per-template specifics', () => {
  it('esp-idf: Kconfig arena default = report; manifest depends on esp-tflite-micro', () => {
    const out = path.join(fx.root, 'esp-idf');
    expect(readText(out, 'components/tinyser/Kconfig')).toMatch(new RegExp(`default ${report.totals.arenaBytes}\\n`));
    expect(readText(out, 'components/tinyser/idf_component.yml')).toMatch(/^\s+espressif\/esp-tflite-micro: "/m);
  });

  it('pico-sdk: arena = generated C plan; no pico_sdk_import.cmake shipped, README says where to get it', () => {
    const out = path.join(fx.root, 'pico-sdk');
    const modelH = readText(out, 'tinyser/model.h');
    expect(defineOf(readText(out, 'tinyser/tinyser_model_info.h'), 'TINYSER_INFO_ARENA_BYTES')).toBe(defineOf(modelH, 'TINYSER_MODEL_ARENA_BYTES'));
    expect(readTemplateManifest(out).arenaBytes).toBe(Number(defineOf(modelH, 'TINYSER_MODEL_ARENA_BYTES')!.replace(/u$/, '')));
    expect(existsSync(path.join(out, 'pico_sdk_import.cmake'))).toBe(false);
    expect(readText(out, 'CMakeLists.txt')).toMatch(/include\(pico_sdk_import\.cmake\)/);
    expect(readText(out, 'README.md')).toMatch(/\$PICO_SDK_PATH\/external\/pico_sdk_import\.cmake/);
    expect(filesUnder(out).some((f) => f.startsWith('tinyser/kernels/') && f.endsWith('conv2d.c'))).toBe(true);
  });

  it('arduino: library layout with the example sketch', () => {
    const out = path.join(fx.root, 'arduino');
    expect(readText(out, 'library.properties')).toMatch(/^includes=tinyser\.h$/m);
    expect(existsSync(path.join(out, 'examples/tinyser_ser/tinyser_ser.ino'))).toBe(true);
    expect(existsSync(path.join(out, 'src/tinyser.h'))).toBe(true);
    expect(filesUnder(out).filter((f) => f.endsWith('.cc'))).toEqual([]); // the Arduino builder compiles .cpp
  });
});

describe('helpers', () => {
  it('resolver method names map back to builtin operators', () => {
    const pairs: [string, string][] = [
      ['AddConv2D', 'CONV_2D'],
      ['AddDepthwiseConv2D', 'DEPTHWISE_CONV_2D'],
      ['AddAveragePool2D', 'AVERAGE_POOL_2D'],
      ['AddMaxPool2D', 'MAX_POOL_2D'],
      ['AddFullyConnected', 'FULLY_CONNECTED'],
      ['AddRelu6', 'RELU6'],
      ['AddLeakyRelu', 'LEAKY_RELU'],
      ['AddAdd', 'ADD'],
      ['AddMean', 'MEAN'],
    ];
    for (const [m, op] of pairs) expect(resolverMethodToOperator(m)).toBe(op);
  });

  it('float32 literals read back to the same float32', () => {
    for (const v of [0.0625, 1 / 3, 0.00390625, 0.123456789, 3e-7, 1]) {
      const s = float32Literal(v);
      expect(Math.fround(Number(s))).toBe(Math.fround(v));
      expect(s).toMatch(/[.e]/); // a valid C float literal once 'f' is appended
    }
  });
});

describe('refusals', () => {
  const copyBuild = (name: string): string => {
    const dir = path.join(fx.root, name);
    cpSync(fx.buildDir, dir, { recursive: true });
    return dir;
  };
  const code = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (e) {
      return e instanceof TinyserError ? `${e.code}:${e.exitCode}:${e.message}` : `other:${String(e)}`;
    }
    return undefined;
  };

  it('a stale model_ops.h is named', () => {
    const dir = copyBuild('stale-ops');
    const p = path.join(dir, 'model_ops.h');
    // ds_cnn's global average pool compiles to AVERAGE_POOL_2D (compiler/passes/lower-mean-to-average-pool.ts)
    writeFileSync(p, readFileSync(p, 'utf8').replace(/\s+TF_LITE_ENSURE_STATUS\(resolver\.AddAveragePool2D\(\)\);/, ''));
    expect(code(() => instantiateTemplate({ kind: 'arduino', modelDir: dir, outDir: path.join(fx.root, 'o1') }))).toMatch(/^INPUT:2:.*model_ops\.h: registers/);
  });

  it('a model_data.cc that is not model.tflite is named', () => {
    const dir = copyBuild('stale-data');
    const p = path.join(dir, 'model_data.cc');
    const text = readFileSync(p, 'utf8');
    const at = text.indexOf('0x', text.indexOf('{'));
    const first = parseInt(text.slice(at + 2, at + 4), 16);
    const edited = text.slice(0, at + 2) + ((first + 1) & 0xff).toString(16).padStart(2, '0') + text.slice(at + 4);
    writeFileSync(p, edited);
    expect(modelDataBytes(edited)[0]).not.toBe(tflite[0]);
    expect(code(() => instantiateTemplate({ kind: 'esp-idf', modelDir: dir, outDir: path.join(fx.root, 'o2') }))).toMatch(/^INPUT:2:.*model_data\.cc: its array/);
  });

  it('wrong class count, unknown kind, missing build folder and a foreign non-empty output are usage/input errors', () => {
    expect(code(() => instantiateTemplate({ kind: 'pico-sdk', modelDir: fx.buildDir, outDir: path.join(fx.root, 'o3'), classes: ['a', 'b'] }))).toMatch(/^USAGE:2:.*2 class names but the model has 4/);
    expect(code(() => instantiateTemplate({ kind: 'zephyr' as 'arduino', modelDir: fx.buildDir, outDir: path.join(fx.root, 'o4') }))).toMatch(/^USAGE:2:/);
    expect(code(() => instantiateTemplate({ kind: 'pico-sdk', modelDir: path.join(fx.root, 'nope'), outDir: path.join(fx.root, 'o5') }))).toMatch(/^INPUT:2:.*nope/);
    const foreign = path.join(fx.root, 'foreign');
    mkdirSync(foreign);
    writeFileSync(path.join(foreign, 'notes.txt'), 'mine');
    expect(code(() => instantiateTemplate({ kind: 'pico-sdk', modelDir: fx.buildDir, outDir: foreign }))).toMatch(/^USAGE:2:.*not empty/);
    expect(readFileSync(path.join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('re-instantiating into an earlier output replaces it (class names from labels.txt)', () => {
    const dir = copyBuild('with-labels');
    writeFileSync(path.join(dir, 'labels.txt'), 'calm\nhappy\nsad\nangry\n');
    const out = path.join(fx.root, 'again');
    instantiateTemplate({ kind: 'pico-sdk', modelDir: fx.buildDir, outDir: out });
    expect(readTemplateManifest(out).classes).toEqual(['class0', 'class1', 'class2', 'class3']);
    const r = instantiateTemplate({ kind: 'pico-sdk', modelDir: dir, outDir: out });
    expect(r.classes).toEqual(['calm', 'happy', 'sad', 'angry']);
    expect(defineOf(readText(out, 'tinyser/tinyser_model_info.h'), 'TINYSER_INFO_CLASS_NAMES')).toBe('{ "calm", "happy", "sad", "angry" }');
  });
});

describe('CLI', () => {
  // In-process through commander (the same register() cli/main.ts uses): fast, and exercises the verb.
  async function runCli(args: string[]): Promise<{ code: number; stdout: string }> {
    const program = new Command().exitOverride().option('--json');
    registerTemplate(program);
    let stdout = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const before = process.exitCode;
    process.exitCode = 0;
    try {
      await program.parseAsync(args, { from: 'user' });
      return { code: Number(process.exitCode ?? 0), stdout };
    } finally {
      spy.mockRestore();
      err.mockRestore();
      process.exitCode = before;
    }
  }

  it('tinyser template esp-idf --json writes the project; an unknown kind exits 2', async () => {
    const out = path.join(fx.root, 'cli-esp');
    const r = await runCli(['template', 'esp-idf', '--model', fx.buildDir, '--out', out, '--classes', 'a,b,c,d', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { kind: string; classes: string[]; arenaBytes: number; operators: string[] };
    expect(j.kind).toBe('esp-idf');
    expect(j.classes).toEqual(['a', 'b', 'c', 'd']);
    expect(j.arenaBytes).toBe(report.totals.arenaBytes);
    expect([...j.operators].sort()).toEqual([...modelOps].sort());
    expect(existsSync(path.join(out, 'components/tinyser/src/model_ops.h'))).toBe(true);
    const bad = await runCli(['template', 'zephyr', '--model', fx.buildDir, '--out', path.join(fx.root, 'cli-bad'), '--json']);
    expect(bad.code).toBe(2);
    expect((JSON.parse(bad.stdout) as { code: string }).code).toBe('USAGE');
    const hop = await runCli(['template', 'pico-sdk', '--model', fx.buildDir, '--out', path.join(fx.root, 'cli-hop'), '--hop-frames', '0', '--json']);
    expect(hop.code).toBe(2);
  });

  it('the verb is registered in cli/commands/index.ts', () => {
    expect(verbs).toContain(registerTemplate);
  });
});
