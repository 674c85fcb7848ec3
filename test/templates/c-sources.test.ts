/**
 * What can be checked of the templates' C here: every C source that needs no vendor SDK compiles
 * warning-free with host gcc (-std=c99 -Wall -Wextra -Werror); the vendor-facing files compile
 * against the clearly named stubs in vendor-stubs/ (syntax only); and the Pico template's exact
 * tinyser/ sources, linked with a host harness in place of main.c, answer HELLO with the right INFO
 * and stream RESULTs equal to the TS twin of the pipeline (device-bridge/pipeline/ser-pipeline.ts).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameDecoder, encodeFrame, type Frame } from '../../device-bridge/protocol/frame.js';
import { decodeAck, decodeFeatures, decodeInfo, decodeResults, encodeAudio, Flag, MsgType } from '../../device-bridge/protocol/messages.js';
import { loadSerSpec } from '../../device-bridge/firmware/ser-build.js';
import { serPipelineInt8 } from '../../device-bridge/pipeline/ser-pipeline.js';
import { readTemplateManifest, TEMPLATE_LAYOUTS } from '../../device-bridge/templates/index.js';
import { buildTemplateFixture, filesUnder, hasTool, HOST_BOARD_C, STUBS, type TemplateFixture } from './fixture-build.js';

const STRICT_C = ['-std=c99', '-Wall', '-Wextra', '-Werror'];
const STRICT_CXX = ['-x', 'c++', '-std=c++17', '-Wall', '-Wextra', '-Werror'];
const haveGcc = hasTool('gcc') && hasTool('g++');

let fx: TemplateFixture;
beforeAll(async () => {
  fx = await buildTemplateFixture();
}, 60_000);
afterAll(() => {
  if (fx) rmSync(fx.root, { recursive: true, force: true });
});

function compile(cc: string, args: string[], cwd: string): void {
  const r = spawnSync(cc, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cc} ${args.join(' ')} failed in ${cwd}:\n${r.stderr}`);
}

describe.skipIf(!haveGcc)('host compiler checks', () => {
  it('pico-sdk: all of tinyser/ compiles strict C99; main.c against the Pico SDK stubs', () => {
    const out = path.join(fx.root, 'pico-sdk');
    const inc = ['-Itinyser', '-Itinyser/kernels'];
    const sources = filesUnder(out).filter((f) => f.endsWith('.c'));
    expect(sources).toContain('main.c');
    expect(sources.length).toBeGreaterThan(30);
    compile('gcc', ['-fsyntax-only', ...STRICT_C, ...inc, ...sources.filter((f) => f !== 'main.c')], out);
    compile('gcc', ['-fsyntax-only', ...STRICT_C, ...inc, `-I${path.join(STUBS, 'pico')}`, 'main.c'], out);
  }, 60_000);

  it.each(['esp-idf', 'arduino'] as const)('%s: C sources compile strict C99; the TFLM C++ against the TFLM stubs', (kind) => {
    const layout = TEMPLATE_LAYOUTS[kind];
    const out = path.join(fx.root, kind);
    const inc = [`-I${layout.sourceRoot}`, `-I${layout.headerRoot}`];
    const files = readTemplateManifest(out).sources;
    const c = files.filter((f) => f.endsWith('.c'));
    const cxx = files.filter((f) => /\.(cc|cpp)$/.test(f) && f.startsWith(layout.sourceRoot));
    expect(c.length).toBeGreaterThan(10);
    expect(cxx.map((f) => path.posix.basename(f)).sort()).toEqual([`model_data${layout.cppExt}`, `tinyser_tflm_model${layout.cppExt}`]);
    compile('gcc', ['-fsyntax-only', ...STRICT_C, ...inc, ...c], out);
    compile('g++', ['-fsyntax-only', ...STRICT_CXX, ...inc, `-I${path.join(STUBS, 'tflm')}`, ...cxx], out);
    // the umbrella header is usable from C++ application code (sketch / app_main)
    compile('g++', ['-fsyntax-only', ...STRICT_CXX, ...inc, `-I${path.join(STUBS, 'tflm')}`, path.join(layout.headerRoot, 'tinyser.h')], out);
  }, 60_000);
});

describe.skipIf(!haveGcc)('application files against the vendor stubs (syntax only)', () => {
  it('esp-idf main/main.cc, microphone and protocol builds', () => {
    const out = path.join(fx.root, 'esp-idf');
    const args = ['-x', 'c++', '-std=gnu++20', '-fsyntax-only', '-Wall', '-Wextra', '-Werror', '-DESP_PLATFORM'];
    const inc = ['-Icomponents/tinyser/src', '-Icomponents/tinyser/include', `-I${path.join(STUBS, 'esp-idf')}`, `-I${path.join(STUBS, 'tflm')}`];
    compile('g++', [...args, ...inc, 'main/main.cc'], out);
    compile('g++', [...args, '-DCONFIG_TINYSER_PROTOCOL=1', ...inc, 'main/main.cc'], out);
  }, 60_000);

  it('arduino example sketch, microphone and protocol builds (Arduino.h prepended as the builder does)', () => {
    const out = path.join(fx.root, 'arduino');
    const ino = readFileSync(path.join(out, 'examples/tinyser_ser/tinyser_ser.ino'), 'utf8');
    for (const mode of ['0', '1']) {
      const sketch = path.join(fx.root, `sketch-${mode}.cpp`);
      const edited = ino.replace('#define TINYSER_USE_PROTOCOL 0', `#define TINYSER_USE_PROTOCOL ${mode}`);
      expect(edited).toContain(`#define TINYSER_USE_PROTOCOL ${mode}`);
      writeFileSync(sketch, edited);
      const inc = ['-Isrc', `-I${path.join(STUBS, 'arduino')}`, `-I${path.join(STUBS, 'tflm')}`];
      compile('g++', ['-x', 'c++', '-std=gnu++17', '-fsyntax-only', '-Wall', '-Wextra', '-Werror', '-include', path.join(STUBS, 'arduino/Arduino.h'), ...inc, sketch], out);
    }
  }, 60_000);
});

describe.skipIf(!hasTool('arm-none-eabi-gcc'))('cross-compiles for the boards\' CPUs', () => {
  it.each([
    ['pico-sdk', 'cortex-m0plus'],
    ['arduino', 'cortex-m4'], // the same C sources as esp-idf (no Xtensa / RISC-V toolchain here)
  ] as const)('%s C sources compile for %s with arm-none-eabi-gcc -Os, warning-free', (kind, cpu) => {
    const layout = TEMPLATE_LAYOUTS[kind];
    const out = path.join(fx.root, kind);
    const inc = [`-I${layout.sourceRoot}`, `-I${layout.headerRoot}`, ...(kind === 'pico-sdk' ? ['-Itinyser/kernels'] : [])];
    const c = readTemplateManifest(out).sources.filter((f) => f.endsWith('.c') && f.startsWith(layout.sourceRoot));
    // a real -Os compile (optimizer warnings included), one invocation; objects land in objDir
    const objDir = path.join(fx.root, `obj-${kind}`);
    mkdirSync(objDir, { recursive: true });
    const abs = (p: string) => path.join(out, p);
    const incAbs = inc.map((i) => `-I${abs(i.slice(2))}`);
    compile('arm-none-eabi-gcc', [`-mcpu=${cpu}`, '-mthumb', '-Os', ...STRICT_C, ...incAbs, '-c', ...c.map(abs)], objDir);
    expect(readdirSync(objDir).filter((f) => f.endsWith('.o')).length).toBe(c.length);
  }, 60_000);
});

describe.skipIf(!haveGcc)('pico-sdk sources run on the host', () => {
  it('HELLO -> INFO with the model facts; AUDIO -> RESULT equal to the TS pipeline twin', () => {
    const out = path.join(fx.root, 'pico-sdk');
    const exe = path.join(fx.root, 'pico-host');
    const sources = filesUnder(out).filter((f) => f.startsWith('tinyser/') && f.endsWith('.c'));
    compile('gcc', ['-O1', ...STRICT_C, '-Itinyser', '-Itinyser/kernels', ...sources, HOST_BOARD_C, '-o', exe], out);

    const manifest = readTemplateManifest(out);
    // 1.5 s of a seeded two-tone signal with noise: 148 frames = 5 windows of 49 frames, hop 24.
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    const pcm = Int16Array.from({ length: 24000 }, (_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 220 * i) / 16000) * (1 + Math.sin(i / 900)) / 2 + 2500 * Math.sin((2 * Math.PI * 1800 * i) / 16000) + 800 * rand()));
    const wire: Uint8Array[] = [encodeFrame(MsgType.HELLO, 0, 1, new Uint8Array(0))];
    let seq = 2;
    for (let off = 0; off < pcm.length; off += 500) {
      const chunk = pcm.subarray(off, Math.min(pcm.length, off + 500));
      wire.push(encodeFrame(MsgType.AUDIO, (off === 0 ? Flag.START : 0) | Flag.FEATURES, seq++, encodeAudio(off, chunk)));
    }
    wire.push(encodeFrame(MsgType.FLASH_BEGIN, 0, seq++, new Uint8Array(128)));
    const input = Buffer.concat(wire.map((w) => Buffer.from(w)));
    const run = spawnSync(exe, [], { input, maxBuffer: 1 << 24 });
    expect(run.status).toBe(0);

    const frames: Frame[] = [];
    const dec = new FrameDecoder((f) => frames.push(f));
    dec.push(new Uint8Array(run.stdout));
    expect(dec.stats.framesBad).toBe(0);

    const infos = frames.filter((f) => f.type === MsgType.INFO);
    expect(infos.map((f) => f.flags)).toEqual([Flag.ANNOUNCE, Flag.REPLY]);
    const info = decodeInfo(infos[1]!.body);
    expect(info.modelId).toBe(manifest.modelId);
    expect(info.frontendHash).toBe(manifest.frontendHash);
    expect(info.arenaBytes).toBe(manifest.arenaBytes);
    expect(info.numClasses).toBe(4);
    expect(info.windowSamples).toBe(manifest.geometry.windowSamples);
    expect(info.hopSamples).toBe(manifest.geometry.hopSamples);
    expect(info.board).toBe('pico-sdk');
    expect(info.capabilities).toEqual({ flash: false, features: true, replay: false, signatures: false });

    const acks = frames.filter((f) => f.type === MsgType.ACK).map((f) => decodeAck(f.body));
    expect(acks.length).toBe(Math.ceil(pcm.length / 500));
    expect(acks[acks.length - 1]!.value).toBe(pcm.length); // next expected offset
    const nak = frames.filter((f) => f.type === MsgType.NAK).map((f) => decodeAck(f.body));
    expect(nak).toHaveLength(1);
    expect(nak[0]!.code).toBe(13); // NO_FLASH

    const got = frames.filter((f) => f.type === MsgType.RESULT).flatMap((f) => decodeResults(f.body));
    const want = serPipelineInt8(loadSerSpec(out), pcm);
    expect(want.length).toBe(5);
    expect(got.map((r) => r.window)).toEqual(want.map((w) => w.window));
    expect(got.map((r) => Array.from(r.scores))).toEqual(want.map((w) => Array.from(w.scores)));
    expect(got.map((r) => r.top)).toEqual(want.map((w) => w.top));
    // FEATURES (requested on every chunk): the last SER_REPORT_FRAMES frames of each window, bit-exact
    const feats = frames.filter((f) => f.type === MsgType.FEATURES).map((f) => decodeFeatures(f.body));
    expect(feats.map((f) => f.window)).toEqual(want.map((w) => w.window));
    for (let i = 0; i < want.length; i++) expect(Array.from(feats[i]!.features)).toEqual(Array.from(want[i]!.features));
  }, 60_000);
});
