// Source files are UTF-8 (LANGUAGE.md 3). Bytes that are not valid UTF-8 must not silently become U+FFFD
// (a Latin-1 `Café` would compile to `Caf\uFFFD`, and `fmt --write` would destroy the original bytes):
// each such byte is decoded as the lone surrogate U+DC80 + (byte - 0x80) (Python's "surrogateescape"),
// which valid UTF-8 can never produce, and the lexer reports the first one (NUR004) with its line and
// column. A file with such a byte has an error, so no command writes a plan or a formatted file from it.

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The first lone surrogate of an escaped byte. */
export const ESCAPED_BYTE_BASE = 0xdc80;

/** Is this UTF-16 code unit an escaped invalid byte? */
export function isEscapedByte(code: number): boolean {
  return code >= 0xdc80 && code <= 0xdcff;
}

/** The text of UTF-8 bytes, every invalid byte escaped (see above). A byte order mark is kept. */
export function decodeSource(bytes: Uint8Array): string {
  try {
    return fatal.decode(bytes);
  } catch {
    return decodeEscaping(bytes);
  }
}

function decodeEscaping(bytes: Uint8Array): string {
  const parts: string[] = [];
  let from = 0;
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (i > from) parts.push(fatal.decode(bytes.subarray(from, i)));
    parts.push(String.fromCharCode(ESCAPED_BYTE_BASE + bytes[i]! - 0x80));
    i++;
    from = i;
  }
  if (i > from) parts.push(fatal.decode(bytes.subarray(from, i)));
  return parts.join('');
}

/** The length of the valid UTF-8 sequence at `i` (RFC 3629: no overlongs, no surrogates), or 0. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c >= 0xe1 && c <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}
