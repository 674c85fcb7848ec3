import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioInputError, encodeWavInt16, listWavFiles, readWav, WavFormatError } from '../../runtime-sim/audio/index.ts';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let root = '';

async function inputErrorOf(p: Promise<unknown>): Promise<AudioInputError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(AudioInputError);
  const err = e as AudioInputError;
  expect(err.code).toBe('INPUT');
  expect(err.exitCode).toBe(2);
  expect(err.message).toBe(`${err.path}: ${err.problem}`);
  return err;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tinyser-audio-'));
  const wav = encodeWavInt16(Int16Array.from([1, -2, 3]), 16000);
  await mkdir(join(root, 'set', 'b'), { recursive: true });
  await mkdir(join(root, 'set', 'z.wav')); // a directory that looks like a WAV: walked, not read
  await writeFile(join(root, 'set', 'a.wav'), wav);
  await writeFile(join(root, 'set', 'b', 'c.WAV'), wav);
  await writeFile(join(root, 'set', 'notes.txt'), 'not audio');
  await writeFile(join(root, 'set', 'z.wav', 'd.wav'), wav);
  await symlink(join(root, 'set'), join(root, 'set', 'b', 'loop')); // symlink cycle back to the top
  await writeFile(join(root, 'single.wav'), wav);
  await writeFile(join(root, 'garbage.wav'), 'RIFF....WAVEjunk');
  await mkdir(join(root, 'dangling'));
  await symlink(join(root, 'nowhere.wav'), join(root, 'dangling', 'dead.wav'));
  await mkdir(join(root, 'locked'));
  await writeFile(join(root, 'locked', 'secret.wav'), wav);
  await chmod(join(root, 'locked', 'secret.wav'), 0o000);
});

afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('listWavFiles', () => {
  it('walks directories recursively, keeps .wav in any case, sorts, follows a symlink cycle only once', async () => {
    const files = await listWavFiles([join(root, 'set')]);
    expect(files).toEqual([join(root, 'set', 'a.wav'), join(root, 'set', 'b', 'c.WAV'), join(root, 'set', 'z.wav', 'd.wav')]);
  });

  it('mixes files and directories and removes duplicates', async () => {
    const files = await listWavFiles([join(root, 'single.wav'), join(root, 'set'), join(root, 'set', 'a.wav')]);
    expect(files).toEqual([join(root, 'set', 'a.wav'), join(root, 'set', 'b', 'c.WAV'), join(root, 'set', 'z.wav', 'd.wav'), join(root, 'single.wav')].sort());
  });

  it('a missing input is an error naming it', async () => {
    const missing = join(root, 'missing-dir');
    const err = await inputErrorOf(listWavFiles([join(root, 'set'), missing]));
    expect(err.path).toBe(missing);
    expect(err.problem).toMatch(/does not exist/);
  });

  it('an explicitly named non-.wav file is an error', async () => {
    const err = await inputErrorOf(listWavFiles([join(root, 'set', 'notes.txt')]));
    expect(err.problem).toBe('is not a .wav file');
  });

  it('a dangling symlink named .wav inside a directory is an error naming it', async () => {
    const err = await inputErrorOf(listWavFiles([join(root, 'dangling')]));
    expect(err.path).toBe(join(root, 'dangling', 'dead.wav'));
    expect(err.problem).toMatch(/dangling symlink/);
  });

  it.skipIf(isRoot)('an unreadable (chmod 000) .wav is an error naming it (skipped as root: root reads anything)', async () => {
    const err = await inputErrorOf(listWavFiles([join(root, 'locked')]));
    expect(err.path).toBe(join(root, 'locked', 'secret.wav'));
    expect(err.problem).toBe('permission denied');
  });
});

describe('readWav', () => {
  it('reads a file into a clip with its path', async () => {
    const clip = await readWav(join(root, 'single.wav'));
    expect(clip.path).toBe(join(root, 'single.wav'));
    expect(Array.from(clip.samplesInt16)).toEqual([1, -2, 3]);
  });

  it('missing file, dangling symlink and directory are AudioInputError', async () => {
    expect((await inputErrorOf(readWav(join(root, 'none.wav')))).problem).toMatch(/file not found/);
    expect((await inputErrorOf(readWav(join(root, 'dangling', 'dead.wav')))).problem).toMatch(/dangling symlink/);
    expect((await inputErrorOf(readWav(join(root, 'set', 'z.wav')))).problem).toMatch(/is a directory/);
  });

  it('bad content is a WavFormatError naming the file', async () => {
    const e = await readWav(join(root, 'garbage.wav')).then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(WavFormatError);
    expect((e as WavFormatError).file).toBe(join(root, 'garbage.wav'));
  });
});
