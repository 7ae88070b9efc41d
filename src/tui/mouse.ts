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
