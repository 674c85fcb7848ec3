/**
 * Builds the emulated-board firmware with arm-none-eabi-gcc through firmware-assets/Makefile and
 * reports flash/RAM use from arm-none-eabi-size. The model part (--model) plugs in later through
 * the Makefile's PIPELINE_SRC.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TinyserError } from '../../common/errors.js';
import { BOARDS } from '../boards.js';
import { firmwareAssetsDir } from '../paths.js';

export interface SectionSizes {
  text: number;
  data: number;
  bss: number;
  /** text + data: bytes the image occupies in flash. */
  flashBytes: number;
  /** data + bss (static RAM, without stack). */
  ramBytes: number;
}

export interface FirmwareBuild {
  board: string;
  buildDir: string;
  app: string;
  appBin: string;
  bootloader: string;
  sizes: { app: SectionSizes; bootloader: SectionSizes };
  /** Hex of the compiled-in signing key, or null when images need no signature. */
  signingPubkey?: string | null;
}

export class ToolchainError extends TinyserError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('TOOLCHAIN', message, details, 2);
  }
}

export function elfSizes(elf: string, cross = 'arm-none-eabi-'): SectionSizes {
  const out = execFileSync(`${cross}size`, [elf], { encoding: 'utf8' });
  const line = out.trim().split('\n')[1];
  const [text, data, bss] = (line ?? '').trim().split(/\s+/).map(Number);
  if (text === undefined || data === undefined || bss === undefined || [text, data, bss].some(Number.isNaN)) throw new ToolchainError(`cannot parse ${cross}size output for ${elf}: ${out}`);
  return { text, data, bss, flashBytes: text + data, ramBytes: data + bss };
}

/**
 * `signingPubkey`: raw 32-byte ed25519 public key compiled into bootloader and app; the device then
 * accepts only images signed with the matching private key.
 */
export function buildFirmware(opts: { board?: string; buildDir?: string; model?: string; signingPubkey?: Uint8Array } = {}): FirmwareBuild {
  const board = opts.board ?? 'mps2-an386';
  if (!BOARDS[board]) throw new TinyserError('USAGE', `unknown board '${board}': supported boards are ${Object.keys(BOARDS).join(', ')}`);
  if (opts.model) throw new TinyserError('USAGE', `--model ${opts.model}: building a compiled model into the firmware is not wired yet (the compiler's generated C plugs in through PIPELINE_SRC)`);
  const which = spawnSync('arm-none-eabi-gcc', ['--version']);
  if (which.error) throw new ToolchainError('arm-none-eabi-gcc not found: install gcc-arm-none-eabi and libnewlib-arm-none-eabi (apt-get install --no-install-recommends ...)');
  const dir = firmwareAssetsDir();
  const buildDir = resolve(opts.buildDir ?? join(dir, 'build'));
  const key = opts.signingPubkey ? Buffer.from(opts.signingPubkey).toString('hex') : '';
  if (opts.signingPubkey && opts.signingPubkey.length !== 32) throw new TinyserError('USAGE', `signing public key must be 32 bytes, got ${opts.signingPubkey.length}`);
  const r = spawnSync('make', ['-C', dir, `BOARD=${board}`, `BUILD=${buildDir}`, `SIGNING_PUBKEY=${key}`, 'all'], { encoding: 'utf8' });
  if (r.status !== 0) throw new ToolchainError(`firmware build failed (make -C ${dir}):\n${(r.stderr || r.stdout).trim()}`, { status: r.status });
  const fw: FirmwareBuild = {
    board,
    buildDir,
    app: join(buildDir, 'app.elf'),
    appBin: join(buildDir, 'app.bin'),
    bootloader: join(buildDir, 'bootloader.elf'),
    sizes: { app: elfSizes(join(buildDir, 'app.elf')), bootloader: elfSizes(join(buildDir, 'bootloader.elf')) },
    signingPubkey: key || null,
  };
  for (const f of [fw.app, fw.appBin, fw.bootloader]) if (!existsSync(f)) throw new ToolchainError(`build finished but ${f} is missing`);
  return fw;
}

/** Builds the host program that runs the portable C sources (tests compare it with the TS twins). */
export function buildHostCheck(buildDir: string): string {
  const dir = firmwareAssetsDir();
  const r = spawnSync('make', ['-C', dir, `BUILD=${resolve(buildDir)}`, 'host-check'], { encoding: 'utf8' });
  if (r.status !== 0) throw new ToolchainError(`host build of the portable C failed:\n${(r.stderr || r.stdout).trim()}`);
  return join(resolve(buildDir), 'host_check');
}
