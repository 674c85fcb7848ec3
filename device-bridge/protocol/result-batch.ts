/**
 * RESULT batching, the TS twin of firmware-assets/src/protocol/result_batch.c (policy in
 * PROTOCOL.md "RESULT batching"): records are held in one RESULT body and sent when the next would
 * not fit, when the oldest has waited holdTicks (unless the stream is bulk), or on flush().
 * The host does not batch anything itself; the twin pins the device's policy down in the C-vs-TS
 * test and lets the bench state what a given batch size costs on the wire.
 */
import { encodeFrame, MAX_BODY } from './frame.js';
import { encodeResults, MsgType, RESULT_RECORD_FIXED_BYTES, type ResultRecord } from './messages.js';

export const RESULT_HEADER_BYTES = 2;
export const RESULT_MAX_RECORDS = 255;

export function resultRecordBytes(numClasses: number): number {
  return RESULT_RECORD_FIXED_BYTES + numClasses;
}

/** Records that fit one RESULT frame. */
export function resultRecordsPerFrame(numClasses: number): number {
  return Math.min(RESULT_MAX_RECORDS, Math.floor((MAX_BODY - RESULT_HEADER_BYTES) / resultRecordBytes(numClasses)));
}

export class ResultBatcher {
  private held: ResultRecord[] = [];
  private oldestTicks = 0;
  /** Set per AUDIO chunk from Flag.BULK: no time bound. */
  bulk = false;

  constructor(
    readonly numClasses: number,
    readonly holdTicks: number,
    private readonly send: (body: Uint8Array) => void,
  ) {}

  get heldCount(): number {
    return this.held.length;
  }

  private full(): boolean {
    const bytes = RESULT_HEADER_BYTES + (this.held.length + 1) * resultRecordBytes(this.numClasses);
    return bytes > MAX_BODY || this.held.length === RESULT_MAX_RECORDS;
  }

  add(r: ResultRecord, nowTicks: number): void {
    if (this.full()) this.flush();
    if (this.held.length === 0) this.oldestTicks = nowTicks >>> 0;
    this.held.push(r);
    if (this.full()) this.flush();
  }

  poll(nowTicks: number): void {
    // u32 difference, as the C does: correct across one wrap of the tick counter.
    if (this.held.length > 0 && !this.bulk && ((nowTicks - this.oldestTicks) >>> 0) >= this.holdTicks) this.flush();
  }

  flush(): void {
    if (this.held.length === 0) return;
    const body = encodeResults(this.held, this.numClasses);
    this.held = [];
    this.send(body);
  }
}

/**
 * Wire cost of RESULT frames. Payload = the records (13 + nClasses bytes each: what the host
 * keeps); overhead = everything else on the wire: the 2-byte batch header, the 7-byte frame header,
 * CRC-32, COBS code bytes and the 0x00 delimiter.
 */
export interface ResultWireCost {
  frames: number;
  records: number;
  payloadBytes: number;
  wireBytes: number;
  /** wireBytes / payloadBytes (the bench goal is <= 1.03). */
  wirePerPayload: number;
  /** (wireBytes - payloadBytes) / records. */
  overheadPerRecord: number;
}

export class ResultWireMeter {
  private frames = 0;
  private records = 0;
  private payload = 0;
  private wire = 0;

  /** Counts one RESULT frame as it travelled (its re-encoding has exactly the received length). */
  addFrame(type: number, flags: number, seq: number, body: Uint8Array): void {
    if (type !== MsgType.RESULT || body.length < RESULT_HEADER_BYTES) return;
    this.frames++;
    this.records += body[0]!;
    this.payload += body.length - RESULT_HEADER_BYTES;
    this.wire += encodeFrame(type, flags, seq, body).length;
  }

  get cost(): ResultWireCost {
    return {
      frames: this.frames,
      records: this.records,
      payloadBytes: this.payload,
      wireBytes: this.wire,
      wirePerPayload: this.payload ? this.wire / this.payload : 0,
      overheadPerRecord: this.records ? (this.wire - this.payload) / this.records : 0,
    };
  }
}
