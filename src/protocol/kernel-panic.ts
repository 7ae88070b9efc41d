// The panic line a UML kernel prints on its console (or in its kmsg dump) when it dies: "Kernel panic - not
// syncing: WHY". Used when the panic notification is late or missing.

/** WHY of the last "Kernel panic - not syncing: WHY" line in `text`, or null when there is none. */
export function kernelPanicLine(text: string): string | null {
  let found: string | null = null;
  for (const m of text.matchAll(/Kernel panic - not syncing: ([^\r\n]*)/g)) found = m[1]!.trim();
  return found === '' ? null : found;
}
