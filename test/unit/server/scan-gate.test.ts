// The 1 s uml_dir scan's gate: a directory is read the first time, then again only when its mtime moved, when it
// must be (adopted guests in it, a full scan), or FULL_SCAN_MS after it was last read.
import { describe, expect, it } from 'vitest';
import { FULL_SCAN_MS, ScanGate } from '../../../src/server/scan-gate.js';

describe('ScanGate', () => {
  it('reads a directory again only when its mtime moved, when told to, or after FULL_SCAN_MS', () => {
    const gate = new ScanGate();
    expect(gate.due('/u', 100, 0, false)).toBe(true);
    expect(gate.due('/u', 100, 1000, false)).toBe(false);
    expect(gate.due('/other', 100, 1000, false)).toBe(true);
    expect(gate.due('/u', 101, 2000, false)).toBe(true); // an entry came or went
    expect(gate.due('/u', 101, 3000, false)).toBe(false);
    expect(gate.due('/u', 101, 3000, true)).toBe(true); // adopted guests in it, or a notification
    expect(gate.due('/u', 101, 3000 + FULL_SCAN_MS - 1, false)).toBe(false);
    expect(gate.due('/u', 101, 3000 + FULL_SCAN_MS, false)).toBe(true);
    expect(gate.due('/gone', -1, 0, false)).toBe(true);
    expect(gate.due('/gone', -1, 1, false)).toBe(false);
  });
});
