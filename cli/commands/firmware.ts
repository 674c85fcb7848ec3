/** `tinyser firmware build|image`: build the board firmware, wrap an app binary into a flashable image. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import Table from 'cli-table3';
import { UsageError } from '../../common/errors.js';
import { BOARDS } from '../../device-bridge/boards.js';
import { buildFirmware } from '../../device-bridge/firmware/build.js';
import { buildSerFirmware } from '../../device-bridge/firmware/ser-build.js';
import { buildImage, ed25519PublicKeyRaw, loadSigningKey, parseImage } from '../../device-bridge/image/image.js';
import { action, printResult, type GlobalOptions } from '../output.js';

function readPem(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read key ${file}: ${(e as Error).message}`);
  }
}

export function register(program: Command): void {
  const fw = program.command('firmware').description('build firmware for a board and make flashable images');
  fw.command('build')
    .description('build bootloader + application with arm-none-eabi-gcc and print flash/RAM use')
    .option('--board <board>', `target board (${Object.keys(BOARDS).join(', ')})`, 'mps2-an386')
    .option('--model <dir>', 'compiler output (model.tflite [+ frontend.json]): build the SER pipeline (generated model C + C frontend)')
    .option('--build-dir <dir>', 'output directory (default firmware-assets/build)')
    .option('--signing-key <pem>', 'ed25519 key (public or private PEM): the device then accepts only images signed with it')
    .action(
      action(async (opts: { board: string; model?: string; buildDir?: string; signingKey?: string }, cmd: Command) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        const signingPubkey = opts.signingKey ? ed25519PublicKeyRaw(readPem(opts.signingKey)) : undefined;
        const ser = opts.model ? buildSerFirmware({ modelDir: opts.model, board: opts.board, buildDir: opts.buildDir, signingPubkey }) : undefined;
        const r = ser ?? buildFirmware({ board: opts.board, buildDir: opts.buildDir, signingPubkey });
        const { spec: _spec, ...serJson } = ser ?? { spec: undefined };
        printResult(g, ser ? serJson : r, () => {
          const t = new Table({ head: ['image', 'flash bytes (text+data)', 'static RAM (data+bss)', 'file'] });
          t.push(['bootloader', r.sizes.bootloader.flashBytes, r.sizes.bootloader.ramBytes, r.bootloader]);
          t.push(['app', r.sizes.app.flashBytes, r.sizes.app.ramBytes, r.app]);
          const model = ser ? `\nSER pipeline: model ${ser.modelId.toString(16).padStart(8, '0')}, window ${ser.geometry.windowFrames} frames / hop ${ser.geometry.hopFrames} (${ser.geometry.windowSamples}/${ser.geometry.hopSamples} samples), ${ser.geometry.numClasses} classes, arena ${ser.arenaBytes} B; HIL spec ${ser.specFile}` : '';
          return `${r.board}${r.signingPubkey ? ` (images must be signed: ed25519 key ${r.signingPubkey})` : ''}\n${t.toString()}${model}`;
        });
      }),
    );
  fw.command('image')
    .description('wrap an application binary (app.bin) into a flash image: header + SHA-256 + payload')
    .requiredOption('--image-version <n>', 'image version (u32), reported by the device in INFO')
    .requiredOption('-o, --out <file>', 'output image file')
    .option('--bin <app.bin>', 'application binary (default: the built firmware-assets app.bin)')
    .option('--board <board>', 'target board', 'mps2-an386')
    .option('--sign <private.pem>', 'sign the image with this ed25519 private key (openssl genpkey -algorithm ed25519)')
    .action(
      action(async (opts: { imageVersion: string; out: string; bin?: string; board: string; sign?: string }, cmd: Command) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        const board = BOARDS[opts.board];
        if (!board) throw new UsageError(`unknown board '${opts.board}': supported boards are ${Object.keys(BOARDS).join(', ')}`);
        const v = Number(opts.imageVersion);
        if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new UsageError(`--image-version must be an integer 0..4294967295, got '${opts.imageVersion}'`);
        const bin = opts.bin ?? buildFirmware({ board: opts.board }).appBin;
        const payload = new Uint8Array(readFileSync(bin));
        if (payload.length > board.maxPayloadBytes) throw new UsageError(`${bin} is ${payload.length} bytes; a ${board.name} slot holds ${board.maxPayloadBytes}`);
        const signingKey = opts.sign ? loadSigningKey(readPem(opts.sign), opts.sign) : undefined;
        const img = buildImage(payload, { boardId: board.id, imageVersion: v, loadAddr: board.execAddr, signingKey });
        writeFileSync(opts.out, img);
        const { header } = parseImage(img, opts.out);
        const out = { file: opts.out, board: board.name, imageVersion: v, payloadBytes: payload.length, sha256: Buffer.from(header.sha256).toString('hex'), signed: signingKey !== undefined };
        printResult(g, out, () => `wrote ${opts.out}: ${board.name} image v${v}, ${payload.length} payload bytes, sha256 ${out.sha256}${out.signed ? ', ed25519-signed' : ''}`);
      }),
    );
}
