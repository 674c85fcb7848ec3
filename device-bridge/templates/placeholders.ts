/**
 * Template placeholders: `{{TINYSER_NAME}}` in any text file of firmware-assets/templates/. Filling
 * is strict both ways: a placeholder with no value and a value left over in the output are errors
 * naming the file, so an instantiated template never needs hand editing.
 */
import { TinyserError } from '../../common/errors.js';

export const PLACEHOLDER_PATTERN = /\{\{(TINYSER_[A-Z0-9_]+)\}\}/g;

export function fillPlaceholders(text: string, values: Record<string, string>, file: string): string {
  const filled = text.replace(PLACEHOLDER_PATTERN, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new TinyserError('CONFIG', `${file}: placeholder {{${name}}} has no value (known: ${Object.keys(values).sort().join(', ')})`, { file, placeholder: name });
    return v;
  });
  const left = /\{\{[A-Z0-9_]+\}\}/.exec(filled);
  if (left) throw new TinyserError('CONFIG', `${file}: unfilled placeholder ${left[0]} after instantiation`, { file, placeholder: left[0] });
  return filled;
}

/** Placeholders a text uses (for tests and for listing what a template needs). */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER_PATTERN)].map((m) => m[1]!))].sort();
}

/** A float32 value as a C `float` literal body that reads back to the identical float32. */
export function float32Literal(v: number): string {
  const f = Math.fround(v);
  for (let p = 6; p <= 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return /[.e]/.test(s) ? s : `${s}.0`;
  }
  return f.toPrecision(9);
}

/** A C string literal (class names): escapes quotes, backslashes and non-printable bytes. */
export function cStringLiteral(s: string): string {
  let out = '"';
  for (const b of Buffer.from(s, 'utf8')) {
    if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b < 0x7f && b !== 0x3f) out += String.fromCharCode(b); // '?' escaped: no trigraphs
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return out + '"';
}
