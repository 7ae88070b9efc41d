// The gauges view as lines: every line exactly the width at 80x24 and 200x60 sizes, meters per host resource, the
// SIGBUS over-commit drawn past the filesystem's end, per-guest meters, and history charts with a time axis.

import { describe, expect, it } from 'vitest';
import type { HostSample } from '../../../src/protocol/host-types.js';
import { gaugesLines, type GaugesStyle } from '../../../src/tui/gauges.js';
import { ago, chartLines, sampleInterval, timeAxis } from '../../../src/tui/charts.js';

const M = 2 ** 20;
const G = 2 ** 30;
const STYLE: GaugesStyle = { ok: 'cyan', warn: 'yellow', danger: 'red', track: 'gray', mark: 'magenta', levels: { warn: 75, danger: 90 }, title: 'white', axis: 'gray' };
const MONO: GaugesStyle = { ...STYLE, ok: 'default', warn: 'default', danger: 'default', track: 'default', mark: 'default', title: 'default', axis: 'default' };

const sample = (at: number, over: Partial<HostSample> = {}): HostSample => ({
  at,
  host: { ramTotal: 8 * G, ramAvailable: 6 * G, swapTotal: 0, swapFree: 0, shmem: 0 },
  memfileDir: '/dev/shm',
  memfileFs: { path: '/dev/shm', type: 'tmpfs', typeHex: '0x1021994', size: 4 * G, used: 200 * M, avail: 3 * G },
  guests: [
    { name: 'web1', pid: 10, mem: 256 * M, pss: 120 * M, memfile: { path: '/dev/shm/x (deleted)', size: 300 * M, allocated: 100 * M, dev: 1 } },
    { name: 'db1', pid: null, mem: 512 * M },
  ],
  guestsMem: 256 * M,
  guestsAllocated: 100 * M,
  warnings: [],
  ...over,
});
const history = Array.from({ length: 40 }, (_, i) => sample(i * 5000, { host: { ramTotal: 8 * G, ramAvailable: 6 * G - i * 10 * M, swapTotal: 0, swapFree: 0, shmem: 0 } }));
const plain = (markup: string) => markup.replace(/\{[^}]*\}/g, '');

describe('gaugesLines', () => {
  it.each([[53, 21], [173, 57]])('fills %ix%i exactly: meters, guests and charts with a time axis', (w, h) => {
    const lines = gaugesLines(history.at(-1)!, history, w, h, STYLE).map(plain);
    expect(lines).toHaveLength(h);
    for (const l of lines) expect([...l]).toHaveLength(w);
    expect(lines[0]).toMatch(/^RAM {11}█+[▉▊▋▌▍▎▏]?·+ 2\.4 GiB of 8 GiB 30%/);
    expect(lines[1]).toMatch(/^Swap {10}·+ none/);
    expect(lines[2]).toMatch(/^Memory files  █*[▉▊▋▌▍▎▏]?░*┃·+ 200 MiB of 4 GiB 5%/);
    expect(lines.find((l) => l.startsWith('web1'))).toMatch(/^web1 {8}█+[▉▊▋▌▍▎▏]?·+ 100M\/256M +PSS █+[▉▊▋▌▍▎▏]?░*┃·* 120M/);
    expect(lines.find((l) => l.startsWith('db1'))).toMatch(/not running/);
    expect(lines.filter((l) => /RAM in use/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /└─.*-1m┴.*now/.test(l)).length).toBeGreaterThan(0);
  });

  it('draws guests\' mem= past the end of the memory-file filesystem, and says SIGBUS', () => {
    const over = sample(0, { guestsMem: 6 * G, warnings: [{ level: 'danger', text: "guests' mem= total 6 GiB exceeds the 4 GiB of /dev/shm by 2 GiB" }] });
    const lines = gaugesLines(over, [over], 80, 30, STYLE);
    const meter = lines.find((l) => plain(l).startsWith('Memory files'))!;
    expect(plain(meter)).toMatch(/^Memory files! █+[▉▊▋▌▍▎▏]?░+▓+┃ 200 MiB of 4 GiB 5%/);
    expect(meter).toContain('{red-fg}▓');
    expect(lines.map(plain).join('\n')).toMatch(/▓ 2 GiB past the end: SIGBUS/);
    expect(lines.map(plain).join('\n')).toMatch(/exceeds the 4 GiB of \/dev\/shm by 2 GiB/);
  });

  it('counts only the running guests\' mem= (the server\'s guestsMem), not stopped ones', () => {
    const lines = gaugesLines(history.at(-1)!, history, 80, 24, STYLE).map(plain).join('\n');
    expect(lines).toContain("guests' mem= 256 MiB");
    expect(lines).not.toContain('768 MiB');
  });

  it('has no colour tags with NO_COLOR, only glyphs and bold', () => {
    const lines = gaugesLines(history.at(-1)!, history, 80, 24, MONO).join('\n');
    expect(lines).not.toMatch(/-fg\}|-bg\}/);
    expect(lines).toMatch(/█/);
  });
});

describe('charts', () => {
  it('labels the time axis back from now at the sample interval', () => {
    expect(sampleInterval([0, 5000, 10000, 16000])).toBe(5000);
    expect([0, 15, 60, 90, 3600].map(ago)).toEqual(['now', '-15s', '-1m', '-1m30s', '-1h']);
    const axis = timeAxis(40, 5000);
    expect(axis).toHaveLength(40);
    expect(axis).toMatch(/-2m┴─+-1m┴─+now$/);
  });

  it('draws the newest sample at the right in eighths over several rows, with the reference line', () => {
    const lines = chartLines({ title: 'x', values: [1, 2, 4], ats: [0, 5000, 10000], format: String, ref: { value: 3, label: 'mem=' } }, 20, 6, { bar: 'c', axis: 'a', ref: 'r', title: 't' });
    const text = lines.map((l) => l.map((s) => s.text).join(''));
    expect(text[1]).toBe('     4┤            █');
    expect(text[2]).toBe('  mem=┤╌╌╌╌╌╌╌╌╌╌╌╌█');
    expect(text[3]).toBe('      │           ██');
    expect(text[4]).toBe('     0┤          ███');
    expect(text[5]).toMatch(/^ {6}└─{10}now$/);
  });
});
