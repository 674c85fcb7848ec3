/**
 * Spawns a helper process (QEMU, socat) that dies with us. The exit hook in qemu.ts kills live
 * children on a normal exit, but a parent killed with SIGKILL (a CI timeout, a test runner tearing
 * down a worker) runs no hook, and an orphaned QEMU keeps a core busy forever. On Linux,
 * util-linux's `setpriv --pdeathsig KILL` sets PR_SET_PDEATHSIG and then execs the program, so the
 * child's pid is the program's own and the kernel kills it when its parent goes. Without setpriv,
 * or when the program is not on PATH (so spawn's ENOENT still names it), it is spawned directly.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

function onPath(program: string): string | null {
  const candidates = isAbsolute(program) || program.includes('/') ? [program] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, program));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return null;
}

let setprivPath: string | null | undefined;

export function spawnTiedToParent(program: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  if (setprivPath === undefined) setprivPath = process.platform === 'linux' ? onPath('setpriv') : null;
  const resolved = onPath(program);
  if (setprivPath && resolved) return spawn(setprivPath, ['--pdeathsig', 'KILL', '--', resolved, ...args], options);
  return spawn(program, [...args], options);
}
