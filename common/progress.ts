/**
 * Progress bars for long jobs. Drawn on stderr only when it is a TTY and the caller did not ask for
 * JSON, so piped output and CI logs stay clean.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  tick(n?: number, payload?: Record<string, string | number>): void;
  stop(): void;
}

export interface ProgressOptions {
  label: string;
  total: number;
  enabled?: boolean;
}

export function startProgress({ label, total, enabled }: ProgressOptions): Progress {
  const on = (enabled ?? true) && process.stderr.isTTY === true && total > 1;
  if (!on) return { tick() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} {percentage}% eta {eta_formatted}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    tick(n = 1, payload) {
      bar.increment(n, payload);
    },
    stop() {
      bar.stop();
    },
  };
}
