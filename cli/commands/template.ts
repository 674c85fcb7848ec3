/**
 * `tinyser template <arduino|esp-idf|pico-sdk> --model build/ --out dir`: a real-board project
 * (Arduino library with TFLM, ESP-IDF component + example, Pico SDK project with the generated C)
 * filled from a compiler build folder. Thin over device-bridge/templates.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.js';
import { instantiateTemplate, isTemplateKind, TEMPLATE_KINDS } from '../../device-bridge/templates/index.js';
import { parseFrontendConfig } from '../../runtime-sim/frontend/index.js';
import { action, printResult, type GlobalOptions } from '../output.js';

interface TemplateCliOptions extends GlobalOptions {
  model: string;
  out: string;
  classes?: string;
  frontend?: string;
  hopFrames?: string;
  force?: boolean;
}

export function register(program: Command): void {
  program
    .command('template')
    .description('write a real-board project (arduino | esp-idf | pico-sdk) filled from a compiler build folder')
    .argument('<kind>', `template: ${TEMPLATE_KINDS.join(' | ')}`)
    .requiredOption('--model <dir>', 'compiler build folder (tinyser compile --out): model.tflite, report.json, model_data.*, model_ops.h')
    .requiredOption('--out <dir>', 'output folder (empty, or an earlier template output)')
    .option('--classes <names>', 'comma-separated class names (default: classes.json / labels.txt in --model, else class0..N-1)')
    .option('--frontend <config.json>', 'frontend config the model was trained with (default: --model/frontend.json, else the default)')
    .option('--hop-frames <n>', 'window hop in frontend frames (default: as the emulated board)')
    .option('--force', 'write into a non-empty folder that is not an earlier template output')
    .action(
      action(async (kind: string, _o: unknown, cmd: Command) => {
        const opts = cmd.optsWithGlobals<TemplateCliOptions>();
        if (!isTemplateKind(kind)) throw new UsageError(`unknown template '${kind}': choose ${TEMPLATE_KINDS.join(', ')}`);
        let hopFrames: number | undefined;
        if (opts.hopFrames !== undefined) {
          hopFrames = Number(opts.hopFrames);
          if (!Number.isInteger(hopFrames) || hopFrames < 1) throw new UsageError(`--hop-frames must be a positive integer (got '${opts.hopFrames}')`);
        }
        let frontend;
        if (opts.frontend) {
          let raw: unknown;
          try {
            raw = JSON.parse(readFileSync(opts.frontend, 'utf8'));
          } catch (e) {
            throw new UsageError(`--frontend ${opts.frontend}: ${(e as Error).message}`);
          }
          frontend = parseFrontendConfig(raw, opts.frontend);
        }
        const classes = opts.classes?.split(',').map((s) => s.trim());
        const r = instantiateTemplate({ kind, modelDir: opts.model, outDir: opts.out, classes, frontend, hopFrames, force: opts.force });
        printResult(opts, r, () =>
          [
            `wrote ${r.kind} template for ${r.modelName} to ${r.outDir} (${r.files.length} files, ${r.sources.length} sources)`,
            `  model id     0x${r.modelId.toString(16).padStart(8, '0')}  operators ${r.operators.length} (${r.operators.join(', ')})`,
            `  arena        ${r.arenaBytes} B`,
            `  classes      ${r.classes.join(', ')}`,
            `  frontend     hash 0x${r.frontendHash.toString(16).padStart(8, '0')}, window ${r.geometry.windowFrames} frames, hop ${r.geometry.hopFrames} frames`,
            `  next         ${r.buildHint} (see README.md there)`,
          ].join('\n'),
        );
      }),
    );
}
