/** A byte pipe to a device. The protocol layer knows nothing else about how bytes travel. */
export interface Transport {
  /** Resolves when the bytes were handed to the OS (chunked by the implementation). */
  write(data: Uint8Array): Promise<void>;
  /** Registers the single byte sink; bytes arriving before registration are buffered. */
  onData(cb: (chunk: Uint8Array) => void): void;
  /** Called once when the underlying port closes or fails. */
  onClose(cb: (err?: Error) => void): void;
  close(): Promise<void>;
  readonly path: string;
}
