/** C source text helpers: literal arrays, identifiers, comments. */

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** An int32 literal; INT32_MIN cannot be written directly in C. */
export function cInt(v: number): string {
  if (!Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) throw new RangeError(`value ${v} is not an int32`);
  return v === INT32_MIN ? '(-2147483647 - 1)' : String(v);
}

/** Clamps a Prepare-time bound that may exceed int32 (e.g. a saturation radius) into int32. */
export function clampInt32(v: number): number {
  return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : Math.trunc(v);
}

export function cIntList(values: ArrayLike<number>, perLine = 24, indent = '  '): string {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += perLine) {
    const row: string[] = [];
    for (let k = i; k < Math.min(values.length, i + perLine); k++) row.push(cInt(values[k]!));
    lines.push(indent + row.join(', ') + ',');
  }
  return lines.join('\n');
}

/** `static const <type> name[n] = {...};` (an empty array gets one dummy element: C has no [0]). */
export function cConstArray(type: string, name: string, values: ArrayLike<number>, comment?: string): string {
  const body = values.length > 0 ? cIntList(values) : '  0,';
  const c = comment ? `/* ${cComment(comment)} */\n` : '';
  return `${c}static const ${type} ${name}[${Math.max(values.length, 1)}] = {\n${body}\n};\n`;
}

/** Text safe inside a C block comment. */
export function cComment(s: string): string {
  return s.replace(/\*\//g, '* /').replace(/[^\x20-\x7e]/g, '?');
}

/** A C string literal (ASCII, escaped). */
export function cString(s: string): string {
  return '"' + s.replace(/[\\"]/g, (m) => '\\' + m).replace(/[^\x20-\x7e]/g, '?') + '"';
}

export function cIdentifier(s: string): string {
  const id = s.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(id) ? '_' + id : id;
}

/** A float32 value as a C float literal that reads back to the same float. */
export function cFloat32(v: number): string {
  const f = Math.fround(v);
  if (!Number.isFinite(f)) throw new RangeError(`float ${v} is not finite`);
  const s = f.toPrecision(9);
  return (s.includes('.') || s.includes('e') ? s : s + '.0') + 'f';
}
