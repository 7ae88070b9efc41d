// EventLog with a fake full disk: `umux events` keeps every event in memory, and the event file gets the ones it
// could not take once the disk has room again, in order.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLog } from '../../../src/server/event-log.js';

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
});
