/**
 * A small FlatBuffer serializer (our own; flatc is not usable here). It lays a buffer out
 * front-to-back: root offset, file identifier, then each table as [vtable][table][children],
 * so every uoffset points forward as the format requires. Alignment follows the FlatBuffers
 * rules the TFLite verifier checks: tables at 4 (8 with 64-bit fields), scalar fields at their
 * size, vector elements at their size, and `force_align` vectors (TFLite Buffer.data: 16) so that
 * the first element is aligned.
 */
export type FbScalarKind = 'bool' | 'u8' | 'i8' | 'i16' | 'u16' | 'i32' | 'u32' | 'f32' | 'i64';

export type FbField =
  | { kind: FbScalarKind; value: number | bigint }
  | { kind: 'table'; table: FbTable }
  | { kind: 'string'; value: string }
  | { kind: 'tables'; items: FbTable[] }
  | { kind: 'vector'; elem: 'u8' | 'i8' | 'i32' | 'f32' | 'i64'; values: ArrayLike<number> | bigint[]; align?: number };

/** A table is its fields indexed by schema field id (undefined = absent, the default applies). */
export type FbTable = (FbField | undefined)[];

const SCALAR_SIZE: Record<FbScalarKind, number> = { bool: 1, u8: 1, i8: 1, i16: 2, u16: 2, i32: 4, u32: 4, f32: 4, i64: 8 };
const ELEM_SIZE = { u8: 1, i8: 1, i32: 4, f32: 4, i64: 8 } as const;

class ByteSink {
  buf = new Uint8Array(1 << 16);
  view = new DataView(this.buf.buffer);
  pos = 0;

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const nb = new Uint8Array(size);
    nb.set(this.buf);
    this.buf = nb;
    this.view = new DataView(nb.buffer);
  }

  /** Pads with zeros until (pos + extra) is a multiple of `align`. */
  align(align: number, extra = 0): void {
    const pad = (align - ((this.pos + extra) % align)) % align;
    this.ensure(pad);
    this.pos += pad;
  }

  skip(n: number): number {
    this.ensure(n);
    const p = this.pos;
    this.pos += n;
    return p;
  }
}

function writeScalar(s: ByteSink, at: number, kind: FbScalarKind, v: number | bigint): void {
  const d = s.view;
  switch (kind) {
    case 'bool':
    case 'u8':
      d.setUint8(at, Number(v));
      break;
    case 'i8':
      d.setInt8(at, Number(v));
      break;
    case 'i16':
      d.setInt16(at, Number(v), true);
      break;
    case 'u16':
      d.setUint16(at, Number(v), true);
      break;
    case 'i32':
      d.setInt32(at, Number(v), true);
      break;
    case 'u32':
      d.setUint32(at, Number(v), true);
      break;
    case 'f32':
      d.setFloat32(at, Number(v), true);
      break;
    case 'i64':
      d.setBigInt64(at, BigInt(v), true);
      break;
  }
}

function writeTable(s: ByteSink, t: FbTable): number {
  const present = t.map((f, id) => ({ f, id })).filter((x): x is { f: FbField; id: number } => x.f !== undefined);
  const sizeOf = (f: FbField) => (f.kind in SCALAR_SIZE ? SCALAR_SIZE[f.kind as FbScalarKind] : 4);
  // largest first keeps every field naturally aligned inside the table
  const order = [...present].sort((a, b) => sizeOf(b.f) - sizeOf(a.f));
  const tableAlign = Math.max(4, ...present.map((p) => sizeOf(p.f)));
  const offsets = new Map<number, number>();
  let inline = 4;
  for (const p of order) {
    const sz = sizeOf(p.f);
    inline = Math.ceil(inline / sz) * sz;
    offsets.set(p.id, inline);
    inline += sz;
  }
  inline = Math.ceil(inline / tableAlign) * tableAlign;
  const numFields = t.length;
  // vtable
  s.align(2);
  const vtPos = s.skip(4 + 2 * numFields);
  s.view.setUint16(vtPos, 4 + 2 * numFields, true);
  s.view.setUint16(vtPos + 2, inline, true);
  for (let id = 0; id < numFields; id++) s.view.setUint16(vtPos + 4 + 2 * id, offsets.get(id) ?? 0, true);
  // table
  s.align(tableAlign);
  const tPos = s.skip(inline);
  s.view.setInt32(tPos, tPos - vtPos, true);
  const refs: { at: number; f: FbField }[] = [];
  for (const p of present) {
    const at = tPos + offsets.get(p.id)!;
    if (p.f.kind in SCALAR_SIZE) writeScalar(s, at, p.f.kind as FbScalarKind, (p.f as { value: number | bigint }).value);
    else refs.push({ at, f: p.f });
  }
  for (const r of refs) {
    const child = writeChild(s, r.f);
    s.view.setUint32(r.at, child - r.at, true);
  }
  return tPos;
}

function writeChild(s: ByteSink, f: FbField): number {
  switch (f.kind) {
    case 'table':
      return writeTable(s, f.table);
    case 'string': {
      const bytes = new TextEncoder().encode(f.value);
      s.align(4);
      const p = s.skip(4 + bytes.length + 1);
      s.view.setUint32(p, bytes.length, true);
      s.buf.set(bytes, p + 4);
      return p;
    }
    case 'tables': {
      s.align(4);
      const p = s.skip(4 + 4 * f.items.length);
      s.view.setUint32(p, f.items.length, true);
      f.items.forEach((item, i) => {
        const at = p + 4 + 4 * i;
        const tp = writeTable(s, item);
        s.view.setUint32(at, tp - at, true);
      });
      return p;
    }
    case 'vector': {
      const es = ELEM_SIZE[f.elem];
      const align = Math.max(4, es, f.align ?? 1);
      // the length prefix sits right before the first element, which must be aligned
      s.align(align, 4);
      const n = f.values.length;
      const p = s.skip(4 + es * n);
      s.view.setUint32(p, n, true);
      const d = p + 4;
      if (f.elem === 'u8' || f.elem === 'i8') {
        const src = f.values as ArrayLike<number>;
        if (src instanceof Uint8Array || src instanceof Int8Array) s.buf.set(new Uint8Array(src.buffer, src.byteOffset, src.length), d);
        else for (let i = 0; i < n; i++) s.view.setUint8(d + i, (src[i] as number) & 0xff);
      } else {
        for (let i = 0; i < n; i++) writeScalar(s, d + i * es, f.elem, (f.values as ArrayLike<number | bigint>)[i] as number | bigint);
      }
      return p;
    }
    default:
      throw new Error(`internal: ${f.kind} is not a reference field`);
  }
}

/** Serialises a root table with a 4-byte file identifier (e.g. "TFL3"). */
export function buildFlatBuffer(root: FbTable, fileIdentifier: string): Uint8Array {
  const s = new ByteSink();
  s.skip(8);
  s.buf.set(new TextEncoder().encode(fileIdentifier.slice(0, 4)), 4);
  const rootPos = writeTable(s, root);
  s.view.setUint32(0, rootPos, true);
  // a multiple of 16 keeps the file friendly to aligned flash placement
  s.align(16);
  return s.buf.slice(0, s.pos);
}

export const fb = {
  u8: (value: number): FbField => ({ kind: 'u8', value }),
  i8: (value: number): FbField => ({ kind: 'i8', value }),
  bool: (value: boolean): FbField => ({ kind: 'bool', value: value ? 1 : 0 }),
  i32: (value: number): FbField => ({ kind: 'i32', value }),
  u32: (value: number): FbField => ({ kind: 'u32', value }),
  f32: (value: number): FbField => ({ kind: 'f32', value }),
  str: (value: string): FbField => ({ kind: 'string', value }),
  table: (table: FbTable): FbField => ({ kind: 'table', table }),
  tables: (items: FbTable[]): FbField => ({ kind: 'tables', items }),
  vec: (elem: 'u8' | 'i8' | 'i32' | 'f32' | 'i64', values: ArrayLike<number> | bigint[], align?: number): FbField => ({ kind: 'vector', elem, values, align }),
};
