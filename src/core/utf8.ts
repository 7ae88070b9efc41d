// UTF-8 between strings and bytes for the pure layers, which may not use Buffer or the host's TextEncoder.
// Decoding never throws: invalid sequences become U+FFFD, as TextDecoder does.

export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    let cp = ch.codePointAt(0)!;
    // A lone surrogate has no UTF-8 form: it becomes U+FFFD, as TextEncoder does.
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else
      out.push(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 0x3f),
        0x80 | ((cp >> 6) & 0x3f),
        0x80 | (cp & 0x3f),
      );
  }
  return Uint8Array.from(out);
}

/** Up to this many bytes go to String.fromCharCode as arguments at once (well below any engine's limit). */
const ASCII_AT_ONCE_MAX = 8192;

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

/** The WHATWG UTF-8 decoder (what TextDecoder does): each maximal invalid subpart becomes one U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  // All ASCII (every MConsole reply of a health check): one string made at once, not one per byte.
  if (bytes.length <= ASCII_AT_ONCE_MAX && isAscii(bytes)) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  let out = '';
  let cp = 0;
  let needed = 0;
  let seen = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (needed === 0) {
      if (b < 0x80) out += String.fromCharCode(b);
      else if (b >= 0xc2 && b <= 0xdf) {
        needed = 1;
        cp = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0;
        if (b === 0xed) upper = 0x9f;
        needed = 2;
        cp = b & 0x0f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90;
        if (b === 0xf4) upper = 0x8f;
        needed = 3;
        cp = b & 0x07;
      } else out += '\ufffd';
      continue;
    }
    if (b < lower || b > upper) {
      // The sequence so far is invalid: one U+FFFD for it, and this byte starts over.
      cp = needed = seen = 0;
      lower = 0x80;
      upper = 0xbf;
      out += '\ufffd';
      i--;
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    cp = (cp << 6) | (b & 0x3f);
    if (++seen === needed) {
      out += String.fromCodePoint(cp);
      cp = needed = seen = 0;
    }
  }
  if (needed !== 0) out += '\ufffd';
  return out;
}
