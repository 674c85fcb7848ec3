/**
 * A small bounds-checked FlatBuffers reader (just what the TFLite schema needs).
 *
 * Every read checks its offset and length against the buffer before touching it, and every table
 * access checks the vtable size and that the field lies inside the table's declared inline size,
 * so a corrupt file always ends in a ModelFormatError naming the byte offset and what was being
 * read, never in a RangeError or an out-of-bounds read that silently yields `undefined`.
 *
 * Wire format reminders (FlatBuffers spec):
 * - root: u32 offset at byte 0 to the root table (a 4-byte file identifier may follow at 4..8);
 * - table at `pos`: i32 `soffset` at pos, vtable at `pos - soffset`;
 * - vtable: u16 vtable byte size, u16 table inline byte size, then one u16 per field id giving the
 *   field's offset inside the table (0 = absent, use the schema default);
 * - reference fields (tables, vectors, strings) hold a u32 offset relative to the field itself;
 * - vector/string: u32 element count, then the elements (strings are UTF-8 plus a NUL).
 */
import { ModelFormatError } from '../errors.js';

/** Deepest nesting of tables the reader follows; the TFLite schema needs far fewer. */
export const MAX_TABLE_DEPTH = 32;

const utf8 = new TextDecoder('utf-8', { fatal: false });

export class FlatBufferReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly source: string;

  constructor(bytes: Uint8Array, source: string) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.source = source;
  }

  fail(offset: number, what: string, why: string): never {
    throw new ModelFormatError(`${this.source}: ${why} at byte offset ${offset} while reading ${what}`, {
      file: this.source,
      offset,
      reading: what,
    });
  }

  check(offset: number, size: number, what: string): void {
    if (!Number.isInteger(offset) || offset < 0 || size < 0 || offset + size > this.bytes.length) {
      this.fail(offset, what, `${size}-byte read out of bounds (file is ${this.bytes.length} bytes)`);
    }
  }

  u8(o: number, what: string): number {
    this.check(o, 1, what);
    return this.bytes[o]!;
  }
  i8(o: number, what: string): number {
    this.check(o, 1, what);
    return this.view.getInt8(o);
  }
  u16(o: number, what: string): number {
    this.check(o, 2, what);
    return this.view.getUint16(o, true);
  }
  i32(o: number, what: string): number {
    this.check(o, 4, what);
    return this.view.getInt32(o, true);
  }
  u32(o: number, what: string): number {
    this.check(o, 4, what);
    return this.view.getUint32(o, true);
  }
  f32(o: number, what: string): number {
    this.check(o, 4, what);
    return this.view.getFloat32(o, true);
  }
  /** int64 as a JS number; values beyond 2^53 are rejected rather than silently rounded. */
  i64(o: number, what: string): number {
    this.check(o, 8, what);
    const v = this.view.getBigInt64(o, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      this.fail(o, what, `int64 value ${v} does not fit a safe integer`);
    }
    return Number(v);
  }
  u64(o: number, what: string): number {
    this.check(o, 8, what);
    const v = this.view.getBigUint64(o, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(o, what, `uint64 value ${v} does not fit a safe integer`);
    return Number(v);
  }

  /** Follows the u32 offset stored at `o` (relative to `o`). */
  deref(o: number, what: string): number {
    const rel = this.u32(o, what);
    const target = o + rel;
    if (rel === 0 || target >= this.bytes.length) this.fail(o, what, `offset ${rel} points outside the file`);
    return target;
  }

  root(what: string): FbTable {
    return this.table(this.deref(0, `${what} root offset`), what, 0);
  }

  table(pos: number, what: string, depth: number): FbTable {
    if (depth > MAX_TABLE_DEPTH) this.fail(pos, what, `table nesting deeper than ${MAX_TABLE_DEPTH}`);
    const soff = this.i32(pos, `${what} vtable offset`);
    const vt = pos - soff;
    this.check(vt, 4, `${what} vtable header`);
    if (vt % 2 !== 0) this.fail(vt, what, 'misaligned vtable');
    const vtSize = this.u16(vt, `${what} vtable size`);
    const tableSize = this.u16(vt + 2, `${what} table size`);
    if (vtSize < 4 || vtSize % 2 !== 0) this.fail(vt, what, `invalid vtable size ${vtSize}`);
    this.check(vt, vtSize, `${what} vtable`);
    if (tableSize < 4) this.fail(vt, what, `invalid table size ${tableSize}`);
    this.check(pos, tableSize, `${what} table body`);
    return new FbTable(this, pos, vt, vtSize, tableSize, what, depth);
  }
}

/** A vector located in the buffer: `pos` is the first element, `length` the element count. */
export interface FbVector {
  pos: number;
  length: number;
}

export class FbTable {
  constructor(
    readonly r: FlatBufferReader,
    readonly pos: number,
    readonly vt: number,
    readonly vtSize: number,
    readonly tableSize: number,
    readonly what: string,
    readonly depth: number,
  ) {}

  /** Absolute offset of field `id` with inline size `size`, or 0 when absent. */
  field(id: number, size: number, name: string): number {
    const slot = 4 + 2 * id;
    if (slot + 2 > this.vtSize) return 0;
    const rel = this.r.u16(this.vt + slot, `${this.what}.${name} vtable slot`);
    if (rel === 0) return 0;
    if (rel + size > this.tableSize) {
      this.r.fail(this.pos + rel, `${this.what}.${name}`, `field of ${size} bytes outside its table (size ${this.tableSize})`);
    }
    return this.pos + rel;
  }

  u8(id: number, name: string, def = 0): number {
    const o = this.field(id, 1, name);
    return o ? this.r.u8(o, `${this.what}.${name}`) : def;
  }
  i8(id: number, name: string, def = 0): number {
    const o = this.field(id, 1, name);
    return o ? this.r.i8(o, `${this.what}.${name}`) : def;
  }
  bool(id: number, name: string, def = false): boolean {
    const o = this.field(id, 1, name);
    return o ? this.r.u8(o, `${this.what}.${name}`) !== 0 : def;
  }
  i32(id: number, name: string, def = 0): number {
    const o = this.field(id, 4, name);
    return o ? this.r.i32(o, `${this.what}.${name}`) : def;
  }
  u32(id: number, name: string, def = 0): number {
    const o = this.field(id, 4, name);
    return o ? this.r.u32(o, `${this.what}.${name}`) : def;
  }
  f32(id: number, name: string, def = 0): number {
    const o = this.field(id, 4, name);
    return o ? this.r.f32(o, `${this.what}.${name}`) : def;
  }
  u64(id: number, name: string, def = 0): number {
    const o = this.field(id, 8, name);
    return o ? this.r.u64(o, `${this.what}.${name}`) : def;
  }

  table(id: number, name: string): FbTable | null {
    const o = this.field(id, 4, name);
    if (!o) return null;
    return this.r.table(this.r.deref(o, `${this.what}.${name}`), `${this.what}.${name}`, this.depth + 1);
  }

  vector(id: number, elemSize: number, name: string): FbVector | null {
    const o = this.field(id, 4, name);
    if (!o) return null;
    const what = `${this.what}.${name}`;
    const at = this.r.deref(o, what);
    const length = this.r.u32(at, `${what} length`);
    const bytes = length * elemSize;
    if (bytes > this.r.bytes.length) this.r.fail(at, what, `vector length ${length} larger than the file`);
    this.r.check(at + 4, bytes, `${what} (${length} elements)`);
    return { pos: at + 4, length };
  }

  string(id: number, name: string): string | null {
    const v = this.vector(id, 1, name);
    if (!v) return null;
    return utf8.decode(this.r.bytes.subarray(v.pos, v.pos + v.length));
  }

  int32Vector(id: number, name: string): number[] | null {
    const v = this.vector(id, 4, name);
    if (!v) return null;
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.r.view.getInt32(v.pos + 4 * i, true);
    return out;
  }

  float32Vector(id: number, name: string): Float32Array | null {
    const v = this.vector(id, 4, name);
    if (!v) return null;
    const out = new Float32Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.r.view.getFloat32(v.pos + 4 * i, true);
    return out;
  }

  int64Vector(id: number, name: string): number[] | null {
    const v = this.vector(id, 8, name);
    if (!v) return null;
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.r.i64(v.pos + 8 * i, `${this.what}.${name}[${i}]`);
    return out;
  }

  boolVector(id: number, name: string): boolean[] | null {
    const v = this.vector(id, 1, name);
    if (!v) return null;
    const out = new Array<boolean>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.r.bytes[v.pos + i] !== 0;
    return out;
  }

  /** A view (no copy) of a ubyte vector. */
  bytesVector(id: number, name: string): Uint8Array | null {
    const v = this.vector(id, 1, name);
    if (!v) return null;
    return this.r.bytes.subarray(v.pos, v.pos + v.length);
  }

  tableVector(id: number, name: string): FbTable[] {
    const v = this.vector(id, 4, name);
    if (!v) return [];
    const out: FbTable[] = [];
    for (let i = 0; i < v.length; i++) {
      const slot = v.pos + 4 * i;
      const what = `${this.what}.${name}[${i}]`;
      out.push(this.r.table(this.r.deref(slot, what), what, this.depth + 1));
    }
    return out;
  }
}
