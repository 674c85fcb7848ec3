/**
 * Typed errors shared by every layer. Each names what is at fault (file, node, frame, byte offset)
 * and carries the CLI exit code it maps to: 2 for usage/input problems, 1 for a failed check.
 */
export type ErrorCode =
  | 'USAGE'
  | 'INPUT'
  | 'WAV_FORMAT'
  | 'CONFIG'
  | 'MODEL_FORMAT'
  | 'UNSUPPORTED_OP'
  | 'CHECK_FAILED'
  | 'DEVICE'
  | 'PROTOCOL'
  | 'TOOLCHAIN';

export class TinyserError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: 1 | 2;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, exitCode: 1 | 2 = 2) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.details = details;
  }

  toJSON(): Record<string, unknown> {
    return { error: this.name, code: this.code, message: this.message, ...this.details };
  }
}

/** A check (SNR threshold, latency budget, bit-exactness) did not hold: exit code 1. */
export class CheckFailedError extends TinyserError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CHECK_FAILED', message, details, 1);
  }
}

export class UsageError extends TinyserError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('USAGE', message, details, 2);
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
