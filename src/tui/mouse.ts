// Mouse reports (pure): with the mouse on, the terminal mixes click and wheel reports into the input; blessed reads
// them from its own listener, and they are cut out here so they never reach a guest as typing.

const X10 = 0x4d; // 'M' after ESC [

/** The input without X10 (`ESC [ M b x y`) and SGR (`ESC [ < b ; x ; y M|m`) mouse reports. */
export function stripMouse(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x1b && bytes[i + 1] === 0x5b) {
      if (bytes[i + 2] === X10 && i + 5 < bytes.length) {
        i += 5;
        continue;
      }
      if (bytes[i + 2] === 0x3c) {
        let j = i + 3;
        while (j < bytes.length && ((bytes[j]! >= 0x30 && bytes[j]! <= 0x39) || bytes[j] === 0x3b)) j++;
        if (bytes[j] === 0x4d || bytes[j] === 0x6d) {
          i = j;
          continue;
        }
      }
    }
    out.push(bytes[i]!);
  }
  return out.length === bytes.length ? bytes : Uint8Array.from(out);
}

export interface MouseReport {
  /** 0 left, 1 middle, 2 right, 64 wheel up, 65 wheel down (modifier bits cleared). */
  button: number;
  /** Cell, 0-based. */
  x: number;
  y: number;
  release: boolean;
}

/** Every mouse report in the input, SGR and X10, however many came in one read. */
export function mouseReports(bytes: Uint8Array): MouseReport[] {
  const text = Buffer.from(bytes).toString('latin1');
  const out: MouseReport[] = [];
  for (const m of text.matchAll(/\x1b\[(?:<(\d+);(\d+);(\d+)([Mm])|M([\s\S])([\s\S])([\s\S]))/g)) {
    if (m[1] !== undefined) {
      out.push({ button: Number(m[1]) & ~(4 | 8 | 16), x: Number(m[2]) - 1, y: Number(m[3]) - 1, release: m[4] === 'm' });
    } else {
      const b = m[5]!.charCodeAt(0) - 32;
      out.push({ button: (b & 3) === 3 ? 0 : b & ~(4 | 8 | 16), x: m[6]!.charCodeAt(0) - 33, y: m[7]!.charCodeAt(0) - 33, release: (b & 3) === 3 });
    }
  }
  return out;
}
