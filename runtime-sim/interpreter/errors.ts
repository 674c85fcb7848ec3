/**
 * Typed errors of the int8 interpreter. Both map to exit code 2 (the input model is at fault, not a
 * check): a corrupt or unsupported .tflite is an input problem.
 */
import { TinyserError } from '../../common/errors.js';

/** The .tflite bytes are malformed: names the byte offset and what the reader was reading there. */
export class ModelFormatError extends TinyserError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('MODEL_FORMAT', message, details, 2);
  }
}

/** The model uses an operator (or an operator/type combination) this interpreter does not implement. */
export class UnsupportedOpError extends TinyserError {
  constructor(
    message: string,
    details: { op: string; version: number; operatorIndex: number; subgraph: number } & Record<string, unknown>,
  ) {
    super('UNSUPPORTED_OP', message, details, 2);
  }
}
