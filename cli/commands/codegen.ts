/**
 * `tinyser codegen model.tflite --out dir [--prefix p] [--copy-kernels] [--verify [n]]`: generated C
 * (model.h / model.c calling firmware-assets/src/kernels/) for any int8 .tflite. --verify builds it
 * with gcc and compares every op output with the TS interpreter on n seeded inputs (exit 1 when a
 * byte differs). Thin over compiler/writers/c.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { TinyserError, UsageError, errorMessage } from '../../common/errors.js';
import { generateModelC, seededInputs, verifyGeneratedC, writeModelC, type GeneratedCVerification } from '../../compiler/writers/c/index.js';
import { loadTfliteModel } from '../../runtime-sim/interpreter/index.js';
import { action, printResult, type GlobalOptions } from '../output.js';

interface CodegenOptions extends GlobalOptions {
  out: string;
  prefix?: string;
  copyKernels?: boolean;
  verify?: string | boolean;
}

export function register(program: Command): void {
  program
    .command('codegen')
    .description('write generated C (model.h/model.c + firmware kernels) for an int8 .tflite; --verify checks it against the interpreter')
    .argument('<model>', '.tflite file')
    .option('--out <dir>', 'output directory', 'build/codegen')
    .option('--prefix <name>', 'symbol prefix of the generated API', 'tinyser_model')
    .option('--copy-kernels', 'also copy firmware-assets/src/kernels/*.{c,h} into the output directory')
    .option('--verify [n]', 'build with gcc and compare every tensor with the interpreter on n seeded inputs (default 4)')
    .action(
      action(async (modelPath: string, _o: CodegenOptions, cmd: Command) => {
        const opts = cmd.optsWithGlobals<CodegenOptions>();
        let bytes: Uint8Array;
        try {
          bytes = new Uint8Array(readFileSync(modelPath));
        } catch (e) {
          throw new TinyserError('INPUT', `cannot read model ${modelPath}: ${errorMessage(e)}`, { file: modelPath });
        }
        const model = loadTfliteModel(bytes, path.basename(modelPath));
        const gen = generateModelC(model, { prefix: opts.prefix });
        const files = writeModelC(opts.out, gen, { copyKernels: opts.copyKernels });
        let verification: GeneratedCVerification | null = null;
        if (opts.verify !== undefined && opts.verify !== false) {
          const n = opts.verify === true ? 4 : Number(opts.verify);
          if (!Number.isInteger(n) || n < 1) throw new UsageError(`codegen: --verify expects a positive count, got ${String(opts.verify)}`);
          const sg = model.subgraphs[0]!;
          const inT = sg.tensors[sg.inputs[0]!]!;
          verification = verifyGeneratedC(model, gen, seededInputs(gen.inputs[0]!.bytes, inT.quantization?.zeroPoint[0] ?? 0, n));
        }
        const result = {
          model: model.name, sha256: gen.modelSha256, out: opts.out, files, arenaBytes: gen.arenaBytes, constBytes: gen.constBytes,
          ops: gen.ops.length, macs: gen.totalMacs, verification,
        };
        printResult(opts, result, () => [
          `model    ${model.name} (sha256 ${gen.modelSha256.slice(0, 16)})`,
          `wrote    ${files.length} files to ${opts.out}`,
          `arena    ${gen.arenaBytes} bytes, weights ${gen.constBytes} bytes, ${gen.ops.length} ops, ${gen.totalMacs} MACs`,
          ...(verification ? [`verify   ${verification.bitExact ? 'bit-exact' : 'MISMATCH'}: ${verification.tensorsCompared} tensors on ${verification.inputs} inputs` +
            (verification.mismatches.length ? `; first: input ${verification.mismatches[0]!.input} tensor ${verification.mismatches[0]!.tensor} (${verification.mismatches[0]!.name})` : '')] : []),
        ].join('\n'));
        if (verification && !verification.bitExact) {
          process.stderr.write(`tinyser: generated C differs from the interpreter on ${verification.mismatches.length} tensor(s)\n`);
          return 1; // a failed check
        }
        return 0;
      }),
    );
}
