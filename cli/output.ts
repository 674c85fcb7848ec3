/** Shared CLI output helpers: every verb prints either human text or one JSON document. */
import { TinyserError, errorMessage } from '../common/errors.js';

export interface GlobalOptions {
  json?: boolean;
}

export function printResult(opts: GlobalOptions, json: unknown, human: () => string): void {
  if (opts.json) process.stdout.write(JSON.stringify(json, null, 2) + '\n');
  else process.stdout.write(human() + '\n');
}

/** Wraps a verb's action: typed errors become exit 2 (input) or 1 (check), never a stack trace. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void> | number | void) {
  return async (...args: A): Promise<void> => {
    const cmd = args[args.length - 1] as { optsWithGlobals?: () => GlobalOptions } | undefined;
    const opts: GlobalOptions = cmd?.optsWithGlobals?.() ?? {};
    try {
      const code = await fn(...args);
      process.exitCode = typeof code === 'number' ? code : 0;
    } catch (e) {
      if (e instanceof TinyserError) {
        if (opts.json) process.stdout.write(JSON.stringify(e.toJSON(), null, 2) + '\n');
        process.stderr.write(`tinyser: ${e.message}\n`);
        process.exitCode = e.exitCode;
      } else {
        process.stderr.write(`tinyser: internal error: ${errorMessage(e)}\n`);
        if (e instanceof Error && e.stack && process.env.TINYSER_DEBUG) process.stderr.write(e.stack + '\n');
        process.exitCode = 2;
      }
    }
  };
}
