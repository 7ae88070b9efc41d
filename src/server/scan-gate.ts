// Whether a uml_dir is to be read again on the 1 s scan: when its mtime moved, when it must be anyway (it holds an
// adopted guest, or the scan is a full one), or when it was last read FULL_SCAN_MS ago (a directory's mtime has the
// kernel's coarse clock: an entry made in the same jiffy as the last look can leave it unchanged). Pure.

export const FULL_SCAN_MS = 10_000;

export class ScanGate {
  private readonly looks = new Map<string, { mtimeMs: number; at: number }>();

  /** True when `dir` (mtime `mtimeMs`, -1 when missing) is to be read now; a read is noted as done at `now`. */
  due(dir: string, mtimeMs: number, now: number, anyway: boolean): boolean {
    const last = this.looks.get(dir);
    if (!anyway && last && last.mtimeMs === mtimeMs && now - last.at < FULL_SCAN_MS) return false;
    this.looks.set(dir, { mtimeMs, at: now });
    return true;
  }
}
