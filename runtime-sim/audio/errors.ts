/**
 * Typed errors of the audio input layer. Both map to exit code 2 (bad input), and both name the file
 * at fault so a user with 560 files knows which one to look at.
 */
import { TinyserError } from '../../common/errors.ts';

/** A WAV file (or in-memory buffer) is malformed or uses an encoding tinyser does not read. */
export class WavFormatError extends TinyserError {
  readonly file: string;
  readonly problem: string;

  constructor(file: string, problem: string, details: Record<string, unknown> = {}) {
    super('WAV_FORMAT', `${file}: ${problem}`, { file, problem, ...details }, 2);
    this.file = file;
    this.problem = problem;
  }
}

/** An input path is missing, unreadable or not a .wav file (listing and reading, before any parsing). */
export class AudioInputError extends TinyserError {
  readonly path: string;
  readonly problem: string;

  constructor(path: string, problem: string, details: Record<string, unknown> = {}) {
    super('INPUT', `${path}: ${problem}`, { path, problem, ...details }, 2);
    this.path = path;
    this.problem = problem;
  }
}
