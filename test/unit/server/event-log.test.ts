// EventLog with a fake full disk: `umux events` keeps every event in memory, and the event file gets the ones it
// could not take once the disk has room again, in order.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLog, readEventTail } from '../../../src/server/event-log.js';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-events-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('EventLog', () => {
  it('lists every event while the disk is full and writes the held ones to the file once it can', () => {
    let full = false;
    const events = new EventLog(dir, {
      writeSync: (fd, data, offset, length) => {
        if (full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        return fs.writeSync(fd, data, offset, length);
      },
    });
    events.add('g', 'started');
    full = true;
    events.add('g', 'con0 log: cannot write');
    expect(events.list('g').map((e) => e.text)).toEqual(['started', 'con0 log: cannot write']);
    const file = path.join(dir, 'g.log');
    expect(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' ').slice(1).join(' '))).toEqual(['started']);
    full = false;
    events.add('g', 'con0 log: writing again');
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(lines).toEqual(events.list('g').map((e) => `${e.at} ${e.text}`));
  });

  it('starts a restarted server\'s list from the event file: the old events, then the new ones', () => {
    const first = new EventLog(dir);
    for (let i = 0; i < 76; i++) first.add('g', `event ${i}`);
    const old = first.list('g');
    const second = new EventLog(dir);
    expect(second.list('g')).toEqual(old);
    expect(second.lastAt('g')).toBe(old.at(-1)!.at);
    second.add('g', 'after the restart');
    expect(second.list('g').map((e) => e.text).slice(-2)).toEqual(['event 75', 'after the restart']);
    expect(new EventLog(dir).list('g')).toEqual(second.list('g'));
    expect(second.list('other')).toEqual([]);
  });

  it('reads only the tail of a big event file, from a whole line, skipping lines that are no event', () => {
    const file = path.join(dir, 'big.log');
    const line = (i: number) => `2026-01-02T03:04:05.${String(i % 1000).padStart(3, '0')}Z event ${i} ${'x'.repeat(200)}\n`;
    fs.writeFileSync(file, Array.from({ length: 5000 }, (_, i) => line(i)).join('') + 'not an event line\n');
    const tail = readEventTail(file, 1000);
    expect(tail).toHaveLength(1000);
    expect(tail[0]!.text).toMatch(/^event 4000 x+$/);
    expect(tail.at(-1)).toEqual({ at: '2026-01-02T03:04:05.999Z', text: `event 4999 ${'x'.repeat(200)}` });
    expect(readEventTail(path.join(dir, 'missing.log'))).toEqual([]);
  });
});
