/**
 * Consistent Overhead Byte Stuffing, byte-identical with firmware-assets/src/protocol/cobs.c
 * (including the extra empty block after a full 254-byte run at the very end).
 */
export function cobsEncode(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(input.length + Math.floor(input.length / 254) + 2);
  let codeAt = 0;
  let w = 1;
  let code = 1;
  for (let i = 0; i < input.length; i++) {
    const b = input[i]!;
    if (b === 0) {
      out[codeAt] = code;
      codeAt = w++;
      code = 1;
    } else {
      out[w++] = b;
      code++;
      if (code === 0xff) {
        out[codeAt] = code;
        codeAt = w++;
        code = 1;
      }
    }
  }
  out[codeAt] = code;
  return out.subarray(0, w);
}

/** Returns undefined for a malformed block (a zero inside, or a code running past the end). */
export function cobsDecode(input: Uint8Array): Uint8Array | undefined {
  const out = new Uint8Array(input.length);
  let r = 0;
  let w = 0;
  while (r < input.length) {
    const code = input[r]!;
    if (code === 0 || r + code > input.length) return undefined;
    r++;
    for (let k = 1; k < code; k++) {
      const b = input[r++]!;
      if (b === 0) return undefined;
      out[w++] = b;
    }
    if (code !== 0xff && r < input.length) out[w++] = 0;
  }
  return out.subarray(0, w);
}
