import { TinyserError } from '../../common/errors.js';

/** The device did not answer, answered with NAK, or sent something the protocol forbids. */
export class ProtocolError extends TinyserError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('PROTOCOL', message, details, 1);
  }
}

/** Opening or talking to the port/emulator failed (missing device, permissions, toolchain). */
export class DeviceError extends TinyserError {
  constructor(message: string, details: Record<string, unknown> = {}, exitCode: 1 | 2 = 2) {
    super('DEVICE', message, details, exitCode);
  }
}
