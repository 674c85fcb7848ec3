/**
 * Host side of protocol v1 over any Transport: host commands are acknowledged and retransmitted
 * on timeout; ordered uploads (AUDIO samples, FLASH_DATA bytes) go in acknowledged windows with
 * go-back-N on NAK OFFSET_GAP or timeout; device stream frames (RESULT, FEATURES, LOG, INFO
 * announce) are sequence-checked so every gap is reported. Corrupted frames are dropped and
 * counted by the FrameDecoder, never parsed.
 */
import type { Transport } from '../transport/transport.js';
import { ProtocolError } from './errors.js';
import { encodeFrame, FrameDecoder, type DecoderStats, type Frame } from './frame.js';
import { decodeAck, Flag, isStreamFrame, msgTypeName, MsgType, nakCodeName, NakCode, type AckBody } from './messages.js';

export interface SessionOptions {
  /** Time to wait for an answer before retransmitting (generous: the host may be loaded). */
  ackTimeoutMs?: number;
  /** Retransmissions of one command before giving up. */
  retries?: number;
}

export interface StreamGap {
  expected: number;
  got: number;
  missing: number;
  type: string;
}

export interface SessionStats {
  decoder: DecoderStats;
  gaps: StreamGap[];
  resets: number;
  retransmits: number;
  timeouts: number;
  naks: number;
  framesSent: number;
  bytesSent: number;
  bytesReceived: number;
}

type Waiter = { seq: number; resolve: (f: Frame) => void; fail: (e: ProtocolError) => void };

export interface UploadChunk {
  /** Offset in the upload's own unit (samples for AUDIO, bytes for FLASH_DATA). */
  start: number;
  end: number;
  body: Uint8Array;
  flags?: number;
}

export class Session {
  private readonly decoder: FrameDecoder;
  private seq = 1;
  private waiters: Waiter[] = [];
  private streamListeners: ((f: Frame) => void)[] = [];
  private replyListeners: ((f: Frame) => void)[] = [];
  private expectedStreamSeq: number | undefined;
  private closed = false;
  private wakeUpload: (() => void) | undefined;
  readonly ackTimeoutMs: number;
  readonly retries: number;
  readonly stats: SessionStats;

  constructor(readonly transport: Transport, opts: SessionOptions = {}) {
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 1500;
    this.retries = opts.retries ?? 8;
    this.decoder = new FrameDecoder((f) => this.onFrame(f));
    this.stats = { decoder: this.decoder.stats, gaps: [], resets: 0, retransmits: 0, timeouts: 0, naks: 0, framesSent: 0, bytesSent: 0, bytesReceived: 0 };
    transport.onData((chunk) => {
      this.stats.bytesReceived += chunk.length;
      this.decoder.push(chunk);
    });
    transport.onClose(() => {
      this.closed = true;
      // A device that disconnects (unplugged, reset into a bootloader, power cut) fails every
      // pending request at once with a clear error instead of after its retransmit timeouts.
      for (const w of this.waiters.splice(0)) w.fail(new ProtocolError(`port ${this.transport.path} closed while waiting for the reply to seq ${w.seq}`, { seq: w.seq, disconnected: true }));
      this.wakeUpload?.();
    });
  }

  /** Device stream frames (RESULT, FEATURES, LOG, announce INFO), after gap accounting. */
  onStream(cb: (f: Frame) => void): void {
    this.streamListeners.push(cb);
  }
  offReply(cb: (f: Frame) => void): void {
    this.replyListeners = this.replyListeners.filter((l) => l !== cb);
  }
  offStream(cb: (f: Frame) => void): void {
    this.streamListeners = this.streamListeners.filter((l) => l !== cb);
  }
  /** Every reply frame (ACK, NAK, INFO, replayed RESULT ...), before it is matched to a request. */
  onReply(cb: (f: Frame) => void): void {
    this.replyListeners.push(cb);
  }

  private onFrame(f: Frame): void {
    if (isStreamFrame(f.flags)) {
      if (f.flags & Flag.ANNOUNCE) {
        if (this.expectedStreamSeq !== undefined) this.stats.resets++;
      } else if (this.expectedStreamSeq !== undefined && f.seq !== this.expectedStreamSeq) {
        const missing = (f.seq - this.expectedStreamSeq) & 0xffff;
        this.stats.gaps.push({ expected: this.expectedStreamSeq, got: f.seq, missing, type: msgTypeName(f.type) });
      }
      this.expectedStreamSeq = (f.seq + 1) & 0xffff;
      for (const l of this.streamListeners) l(f);
      return;
    }
    for (const l of this.replyListeners) l(f);
    const terminal = f.type !== MsgType.RESULT; // replayed RESULT frames precede the REPLAY's ACK
    if (!terminal) return;
    const i = this.waiters.findIndex((w) => w.seq === f.seq);
    if (i >= 0) {
      const [w] = this.waiters.splice(i, 1);
      w!.resolve(f);
    }
  }

  nextSeq(): number {
    const s = this.seq;
    this.seq = (this.seq + 1) & 0xffff || 1;
    return s;
  }

  async sendRaw(type: number, flags: number, seq: number, body: Uint8Array): Promise<void> {
    if (this.closed) throw new ProtocolError(`port ${this.transport.path} is closed`);
    const wire = encodeFrame(type, flags, seq, body);
    this.stats.framesSent++;
    this.stats.bytesSent += wire.length;
    await this.transport.write(wire);
  }

  private waitFor(seq: number, timeoutMs: number): Promise<Frame | undefined> {
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        seq,
        resolve: (f) => {
          clearTimeout(t);
          resolve(f);
        },
        fail: (e) => {
          clearTimeout(t);
          reject(e);
        },
      };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /**
   * Sends one command and returns the device's reply frame (INFO, STATS, ACK or NAK),
   * retransmitting with the same seq on timeout. Throws ProtocolError when retries run out.
   */
  async request(type: number, body: Uint8Array = new Uint8Array(0), flags = 0, opts: { timeoutMs?: number; retries?: number } = {}): Promise<Frame> {
    const seq = this.nextSeq();
    const retries = opts.retries ?? this.retries;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) this.stats.retransmits++;
      const reply = this.waitFor(seq, opts.timeoutMs ?? this.ackTimeoutMs);
      reply.catch(() => undefined); // observed below; a send failure must not leave it unhandled
      await this.sendRaw(type, flags, seq, body);
      const f = await reply;
      if (f) {
        if (f.type === MsgType.NAK) this.stats.naks++;
        return f;
      }
      this.stats.timeouts++;
    }
    throw new ProtocolError(`no answer to ${msgTypeName(type)} (seq ${seq}) after ${retries + 1} attempts on ${this.transport.path}`, { type: msgTypeName(type), seq });
  }

  /** request() that expects ACK and throws a ProtocolError naming the NAK code otherwise. */
  async command(type: number, body?: Uint8Array, flags = 0, opts: { timeoutMs?: number; retries?: number } = {}): Promise<AckBody> {
    const f = await this.request(type, body, flags, opts);
    if (f.type !== MsgType.ACK && f.type !== MsgType.NAK) throw new ProtocolError(`expected ACK to ${msgTypeName(type)}, got ${msgTypeName(f.type)}`);
    const a = decodeAck(f.body);
    if (f.type === MsgType.NAK) throw new ProtocolError(`device refused ${msgTypeName(type)}: ${nakCodeName(a.code)} (value ${a.value})`, { nak: nakCodeName(a.code), value: a.value });
    return a;
  }

  /**
   * Uploads ordered chunks with at most `window` unacknowledged frames in flight. The device
   * acknowledges each chunk with its next expected offset; NAK OFFSET_GAP or silence rewinds to
   * the device's offset (go-back-N). Returns when the device's offset reaches the last chunk's end.
   */
  async upload(type: number, chunks: UploadChunk[], opts: { window?: number; onProgress?: (deviceOffset: number) => void; startOffset?: number; abortIf?: () => boolean } = {}): Promise<void> {
    if (chunks.length === 0) return;
    const window = opts.window ?? 4;
    const total = chunks[chunks.length - 1]!.end;
    let deviceOffset = opts.startOffset ?? chunks[0]!.start;
    let next = 0; // index of the next chunk to send
    let epoch = 0;
    const sentEpoch = new Map<number, number>();
    let inflight: { seq: number; end: number }[] = [];
    let wake: (() => void) | undefined;
    let lastProgress = Date.now();
    let stalls = 0;
    let fatal: ProtocolError | undefined;

    const indexOf = (offset: number) => {
      const i = chunks.findIndex((c) => c.end > offset);
      return i < 0 ? chunks.length : i;
    };
    const listener = (f: Frame) => {
      if (f.type !== MsgType.ACK && f.type !== MsgType.NAK) return;
      const e = sentEpoch.get(f.seq);
      if (e === undefined) return;
      const a = decodeAck(f.body);
      if (a.forType !== type) return;
      if (f.type === MsgType.ACK) {
        if (a.value > deviceOffset) {
          deviceOffset = a.value;
          lastProgress = Date.now();
          stalls = 0;
          opts.onProgress?.(deviceOffset);
        }
      } else {
        this.stats.naks++;
        if (a.code !== NakCode.OFFSET_GAP) {
          fatal = new ProtocolError(`device refused ${msgTypeName(type)} at offset ${deviceOffset}: ${nakCodeName(a.code)} (value ${a.value})`, { nak: nakCodeName(a.code) });
        } else if (a.value < deviceOffset) {
          fatal = new ProtocolError(`device went back from offset ${deviceOffset} to ${a.value} during ${msgTypeName(type)} upload (did it reset?)`, { offset: deviceOffset, deviceOffset: a.value });
        } else if (e === epoch) {
          // First NAK of this epoch: go back to what the device has. Later NAKs for frames sent
          // before this rewind describe the same loss and are ignored.
          deviceOffset = Math.max(deviceOffset, a.value);
          epoch++;
          next = indexOf(deviceOffset);
          inflight = [];
          this.stats.retransmits++;
        }
      }
      inflight = inflight.filter((x) => x.end > deviceOffset);
      wake?.();
    };
    this.replyListeners.push(listener);
    try {
      while (deviceOffset < total) {
        if (fatal) throw fatal;
        if (opts.abortIf?.()) throw new ProtocolError(`${msgTypeName(type)} upload aborted at offset ${deviceOffset}`, { offset: deviceOffset, aborted: true });
        if (this.closed) throw new ProtocolError(`port ${this.transport.path} closed during ${msgTypeName(type)} upload at offset ${deviceOffset}`);
        if (next < chunks.length && inflight.length < window) {
          const c = chunks[next++]!;
          if (c.end <= deviceOffset) continue;
          const seq = this.nextSeq();
          sentEpoch.set(seq, epoch);
          inflight.push({ seq, end: c.end });
          await this.sendRaw(type, c.flags ?? 0, seq, c.body);
          continue;
        }
        const progressed = await new Promise<boolean>((resolve) => {
          const t = setTimeout(() => resolve(false), this.ackTimeoutMs);
          wake = () => {
            clearTimeout(t);
            resolve(true);
          };
          this.wakeUpload = wake;
        });
        wake = undefined;
        this.wakeUpload = undefined;
        if (!progressed && Date.now() - lastProgress >= this.ackTimeoutMs) {
          // Silence: the tail frame or its ACK was lost. Resend from the device's offset.
          this.stats.timeouts++;
          if (++stalls > this.retries) throw new ProtocolError(`${msgTypeName(type)} upload stalled at offset ${deviceOffset} of ${total} on ${this.transport.path}`, { offset: deviceOffset });
          epoch++;
          next = indexOf(deviceOffset);
          inflight = [];
          lastProgress = Date.now();
          this.stats.retransmits++;
        }
      }
    } finally {
      this.replyListeners = this.replyListeners.filter((l) => l !== listener);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.transport.close();
  }
}
