/** `tinyser emulate`: run the emulated board (QEMU mps2-an386) and print its serial path until Ctrl-C. */
import { Option, type Command } from 'commander';
import { startEmulator } from '../../device-bridge/emulator/qemu.js';
import { buildFirmware } from '../../device-bridge/firmware/build.js';
import { action, printResult, type GlobalOptions } from '../output.js';

export function register(program: Command): void {
  program
    .command('emulate')
    .description('run the emulated board; talk to it through the printed serial path (Ctrl-C stops it)')
    .option('--firmware <app.elf>', 'application ELF linked at 0x10000 (default: build firmware-assets)')
    .option('--bootloader <bootloader.elf>', 'bootloader ELF at 0x0 (default: the built one)')
    .option('--flash-file <file>', 'file backing the emulated flash slots, kept across runs (power cycles)')
    .option('--no-icount', 'run at host speed instead of deterministic instruction counting')
    .addOption(new Option('--serial <kind>', "'pty': QEMU's own pty; 'socat': a socat pty in front of a QEMU socket (answers at once, no ~1 s first-read delay)").choices(['pty', 'socat']).default('pty'))
    .action(
      action(async (opts: { firmware?: string; bootloader?: string; flashFile?: string; icount: boolean; serial: 'pty' | 'socat' }, cmd: Command) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        const fw = !opts.firmware || !opts.bootloader ? buildFirmware() : undefined;
        const emu = await startEmulator({ app: opts.firmware ?? fw!.app, bootloader: opts.bootloader ?? fw!.bootloader, flashFile: opts.flashFile, icount: opts.icount, serial: opts.serial });
        // Nobody holds the pty yet, so the boot announce is lost; clients start with HELLO anyway.
        await emu.resume();
        printResult(g, { serialPath: emu.serialPath, pid: emu.pid, flashFile: opts.flashFile ?? null }, () => `emulated mps2-an386 running on ${emu.serialPath} (qemu pid ${emu.pid}); Ctrl-C stops it`);
        const stop = () => void emu.stop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        const code = await emu.exited;
        process.removeListener('SIGINT', stop);
        process.removeListener('SIGTERM', stop);
        if (!g.json) process.stderr.write(`emulator stopped (exit ${code ?? 'signal'})\n`);
        return 0;
      }),
    );
}
