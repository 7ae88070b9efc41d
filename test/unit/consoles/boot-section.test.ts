// A log per boot on disk: where ConsoleLog.appendMarker says a marker starts (also across a rotation), the boot book
// file (appended, read back, cut to half when it passes its bound, read only from its end), and one boot's section
// read from its marker to the next one's: across rotated files, with its start rotated out, or gone altogether.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleLog } from '../../../src/consoles/logfile.js';
import { appendBootRecord, bootBookPath, readBootRecords } from '../../../src/consoles/boot-book-file.js';
import { readBootSection } from '../../../src/consoles/boot-section.js';
import { bootMarkerText, type BootRecord, type LogPlace } from '../../../src/protocol/boot-marker.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-boot-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const b = (s: string) => new TextEncoder().encode(s);
const marker = (pid: number) => bootMarkerText('umux start', pid, undefined);

/** Three boots of con0: each a marker then `lines` guest lines `bootN line I`. */
function threeBoots(opts: { maxBytes?: number; keep?: number; lines?: number } = {}): { log: ConsoleLog; places: LogPlace[] } {
  const log = ConsoleLog.open({ dir, console: 'con0', maxBytes: opts.maxBytes ?? 1 << 20, keep: opts.keep ?? 3 });
  const places: LogPlace[] = [];
  for (let boot = 1; boot <= 3; boot++) {
    if (boot > 1) log.append(b('no line end'));
    places.push(log.appendMarker(marker(boot))!);
    for (let i = 0; i < (opts.lines ?? 3); i++) log.append(b(`boot${boot} line ${i}\n`));
  }
  return { log, places };
}

describe('ConsoleLog.appendMarker places', () => {
  it('says where each marker line starts, also when the write rotated the file first; a section spans files', () => {
    const { log, places } = threeBoots({ maxBytes: 120, keep: 10 });
    for (const p of places) {
      const file = fs.readdirSync(dir).map((f) => path.join(dir, f)).find((f) => fs.statSync(f).ino === p.ino)!;
      expect(fs.readFileSync(file, 'utf8').slice(p.offset)).toMatch(/^\[umux [^\]]+\] boot: started by umux start/);
    }
    // Each boot spans files here: its section is read across them.
    expect(fs.readdirSync(dir).length).toBeGreaterThan(4);
    const middle = readBootSection(dir, 'con0', places[1]!, places[2], 100, 'boot 2').text;
    expect(middle.match(/boot2 line \d/g)).toEqual(['boot2 line 0', 'boot2 line 1', 'boot2 line 2']);
    expect(middle).not.toMatch(/boot[13]/);
    log.dispose();
  });
});

describe('readBootSection', () => {
  it('reads one boot from its marker to the next, the last N lines of it', () => {
    const { log, places } = threeBoots();
    const middle = readBootSection(dir, 'con0', places[1]!, places[2], 100, 'boot 2');
    expect(middle.text).toMatch(/^\[umux [^\]]+\] boot: started by umux start \(pid 2\)/);
    expect(middle.text).toContain('boot2 line 2\nno line end\r\n');
    expect(middle.text).not.toMatch(/boot1|boot3/);
    expect(readBootSection(dir, 'con0', places[1]!, places[2], 2, 'boot 2').text).toBe('boot2 line 2\nno line end\r\n');
    expect(readBootSection(dir, 'con0', places[2]!, undefined, 100, 'boot 3').text).toMatch(/pid 3.*\r\nboot3 line 0\nboot3 line 1\nboot3 line 2\n$/s);
    log.dispose();
  });

  it('reads across rotated files, and from the oldest kept line when the start was rotated out', () => {
    const { log, places } = threeBoots({ maxBytes: 300, keep: 0, lines: 6 });
    const last = readBootSection(dir, 'con0', places[2]!, undefined, 100, 'boot 3');
    expect(last.note).toBeUndefined();
    expect(last.text.match(/boot3 line/g)).toHaveLength(6);
    const first = () => readBootSection(dir, 'con0', places[0]!, places[1], 100, 'boot 1 of g:con0');
    expect(first).toThrow(/^boot 1 of g:con0 was rotated out of the log$/);
    const second = readBootSection(dir, 'con0', places[1]!, places[2], 100, 'boot 2 of g:con0');
    expect(second.note).toBe('the start of boot 2 of g:con0 was rotated out of the log: shown from the oldest line kept');
    expect(second.text).toBe('boot2 line 2\nboot2 line 3\nboot2 line 4\nboot2 line 5\nno line end\r\n');
    log.dispose();
  });

  it('does not trust a place whose bytes are no marker (an inode reused, a log changed by hand)', () => {
    const { log, places } = threeBoots();
    const wrong = { ino: places[1]!.ino, offset: places[1]!.offset + 3 };
    expect(readBootSection(dir, 'con0', wrong, places[2], 100, 'boot 2').note).toMatch(/rotated out/);
    expect(() => readBootSection(dir, 'con0', places[0]!, wrong, 100, 'boot 1')).toThrow(/rotated out/);
    log.dispose();
  });
});

describe('the boot book file', () => {
  const rec = (i: number): BootRecord => ({ t: 'start', at: i, how: 'autostart', pid: i, logs: {} });

  it('appends records and reads them back; a torn last line is skipped', () => {
    expect(readBootRecords(dir)).toEqual([]);
    appendBootRecord(dir, rec(1));
    appendBootRecord(dir, { t: 'end', kind: 'killed', detail: 'SIGKILL', at: 2 });
    fs.appendFileSync(bootBookPath(dir), '{"t":"start","at":3,"how":"aut');
    expect(readBootRecords(dir)).toEqual([rec(1), { t: 'end', kind: 'killed', detail: 'SIGKILL', at: 2 }]);
    expect(fs.statSync(bootBookPath(dir)).mode & 0o777).toBe(0o600);
  });

  it('reads only its end, and is cut to its newest half past the bound', () => {
    const max = 2000;
    for (let i = 1; i <= 60; i++) appendBootRecord(dir, rec(i), max);
    expect(fs.statSync(bootBookPath(dir)).size).toBeLessThanOrEqual(max + 100);
    const kept = readBootRecords(dir, max);
    expect(kept.at(-1)).toEqual(rec(60));
    expect(kept.length).toBeLessThan(60);
    const ats = kept.map((r) => (r.t === 'start' ? r.at : -1));
    expect(ats).toEqual(ats.map((_, i) => 60 - ats.length + 1 + i));
    expect(readBootRecords(dir, 200).length).toBeLessThan(kept.length);
  });
});
