/**
 * Compiler-specific typed errors. Each names the file / node / byte offset at fault.
 */
import { TinyserError } from '../common/errors.js';

/** The model file is not a well-formed ONNX / TF.js / TFLite model (corrupt protobuf, bad JSON, ...). */
export class ModelFormatError extends TinyserError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('MODEL_FORMAT', message, details, 2);
  }
}

/** An op the compiler does not handle. Lists the supported ops so the user can rewrite the model. */
export class UnsupportedOpError extends TinyserError {
  constructor(
    readonly opType: string,
    readonly nodeName: string,
    readonly opset: number | undefined,
    readonly supported: readonly string[],
    why?: string,
  ) {
    super(
      'UNSUPPORTED_OP',
      `unsupported op ${opType} at node '${nodeName}'${opset !== undefined ? ` (opset ${opset})` : ''}` +
        `${why ? `: ${why}` : ''}. Supported ops: ${supported.join(', ')}`,
      { opType, node: nodeName, opset, supported: [...supported] },
      2,
    );
  }
}
