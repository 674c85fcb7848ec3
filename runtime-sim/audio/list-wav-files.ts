/**
 * Expand command-line inputs (files and directories) into a sorted list of .wav files. Directories are
 * walked recursively, following symlinks but never visiting the same real directory twice (a symlink
 * loop would otherwise recurse forever). Problems are errors, never silent skips: a dataset that is
 * quietly missing files gives wrong accuracy figures.
 */
import { access, constants, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../../common/errors.ts';
import { AudioInputError } from './errors.ts';

function isWavName(name: string): boolean {
  return name.toLowerCase().endsWith('.wav');
}

function describe(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'does not exist (or is a dangling symlink)';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return `cannot access: ${errorMessage(e)}`;
}

async function statOrThrow(path: string): Promise<Awaited<ReturnType<typeof stat>>> {
  try {
    return await stat(path);
  } catch (e) {
    throw new AudioInputError(path, describe(e), { errno: (e as NodeJS.ErrnoException).code });
  }
}

async function checkReadable(path: string): Promise<void> {
  try {
    await access(path, constants.R_OK);
  } catch (e) {
    throw new AudioInputError(path, describe(e), { errno: (e as NodeJS.ErrnoException).code });
  }
}

async function walk(dir: string, visited: Set<string>, out: Set<string>): Promise<void> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch (e) {
    throw new AudioInputError(dir, describe(e));
  }
  if (visited.has(real)) return;
  visited.add(real);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    throw new AudioInputError(dir, `cannot list directory: ${describe(e)}`, { errno: (e as NodeJS.ErrnoException).code });
  }
  for (const name of names) {
    const child = join(dir, name);
    const st = await statOrThrow(child);
    if (st.isDirectory()) {
      await walk(child, visited, out);
    } else if (isWavName(name)) {
      if (!st.isFile()) throw new AudioInputError(child, 'is not a regular file');
      await checkReadable(child);
      out.add(child);
    }
  }
}

/**
 * Files and directories (recursive) -> sorted, de-duplicated .wav paths. An explicitly named file must
 * end in .wav; a missing, unreadable or non-regular .wav path throws AudioInputError naming it.
 */
export async function listWavFiles(inputs: string[]): Promise<string[]> {
  const out = new Set<string>();
  const visited = new Set<string>();
  for (const input of inputs) {
    const st = await statOrThrow(input);
    if (st.isDirectory()) {
      await walk(input, visited, out);
    } else if (!isWavName(input)) {
      throw new AudioInputError(input, 'is not a .wav file');
    } else if (!st.isFile()) {
      throw new AudioInputError(input, 'is not a regular file');
    } else {
      await checkReadable(input);
      out.add(input);
    }
  }
  return [...out].sort();
}
