/**
 * Emulator helper processes die with their parent, even when the parent is SIGKILLed (no exit
 * hook runs): a real parent process spawns a real child through spawnTiedToParent, is killed, and
 * the child must be gone.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const module = path.join(repoRoot, 'device-bridge/emulator/spawn-tied.ts');
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(process.platform !== 'linux' || !existsSync('/usr/bin/setpriv'))('spawnTiedToParent', () => {
  it('the child is the program itself and is killed when its parent is SIGKILLed', async () => {
    const script = `import { spawnTiedToParent } from ${JSON.stringify(module)};
      const c = spawnTiedToParent('sleep', ['60'], { stdio: 'ignore' });
      setTimeout(() => console.log(c.pid), 200);
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve, reject) => {
      let out = '';
      parent.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /(\d+)\s/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      parent.on('exit', (code) => reject(new Error(`parent exited early (${code})`)));
    });
    // setpriv exec'd the program: the pid is sleep's own (what kill()/pid users rely on)
    expect(readFileSync(`/proc/${pid}/comm`, 'utf8').trim()).toBe('sleep');
    expect(alive(pid)).toBe(true);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
  });
});
