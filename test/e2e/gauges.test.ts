// Host meters read back from a real terminal with their colours (tmux capture-pane -e): guests keep their memory
// files on a small tmpfs the test mounts (TMPDIR, as UML and src/host/memfile-fs.ts read it) and fills to known
// fractions; the sidebar's memory-file meter has the matching length and colour and the mem= mark where the guests'
// total falls; 0 % draws an empty track, 1 % a visible bar, NO_COLOR the glyphs alone; the gauges view at 80x24 and 200x60.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { hasTmux, shellQuote, TmuxTerminal, type ScreenCell } from '../helpers/tmux.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld } from '../helpers/server.js';

/** The dark theme's colours as palette indexes: gauge cyan, gaugeWarn light-yellow, gaugeTrack gray, gaugeMark light-magenta. */
const CYAN = 6;
const LIGHT_YELLOW = 11;
const GRAY = 8;
const LIGHT_MAGENTA = 13;
/** The sidebar meter: label and flag in columns 1-4, the bar in 5-14. */
const BAR_START = 5;
const BAR_CELLS = 10;
const BLOCKS = /[█▉▊▋▌▍▎▏]/;

const canMount = process.getuid?.() === 0;

function mountTmpfs(dir: string, size: string): void {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=1777`, 'tmpfs', dir], { timeout: 5000 });
}

function unmount(dir: string): void {
  try {
    execFileSync('umount', ['-l', dir], { timeout: 5000 });
  } catch {
    // not mounted
  }
}

function usage(dir: string): { size: number; used: number } {
  const st = fs.statfsSync(dir);
  return { size: st.blocks * st.bsize, used: (st.blocks - st.bfree) * st.bsize };
}

/** Writes a file so the filesystem is `fraction` full (from what it holds now). */
function fillTo(dir: string, name: string, fraction: number): void {
  const { size, used } = usage(dir);
  const bytes = Math.max(0, Math.round(fraction * size - used));
  fs.writeFileSync(path.join(dir, name), Buffer.alloc(bytes, 1));
}

/** The sidebar's meter row whose label is `label`, as its ten bar cells. */
function meterBar(rows: ScreenCell[][], label: string): ScreenCell[] | undefined {
  const row = rows.find((r) => r.slice(1, 4).map((c) => c.ch).join('') === label);
  return row?.slice(BAR_START, BAR_START + BAR_CELLS);
}

const barText = (bar: ScreenCell[]) => bar.map((c) => c.ch).join('');
/** Cells of the bar with a block in them: the used part (a partial block counts as one). */
const filled = (bar: ScreenCell[]) => bar.filter((c) => BLOCKS.test(c.ch)).length;

/** Polls the screen until the meter `label` satisfies `ok`; fails with the row as it was. */
async function waitForMeter(term: TmuxTerminal, label: string, ok: (bar: ScreenCell[]) => boolean, what: string, timeoutMs = 25_000): Promise<ScreenCell[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const bar = meterBar(term.cells(), label);
    if (bar && ok(bar)) return bar;
    if (Date.now() > deadline) throw new Error(`meter ${label} never showed ${what}; it shows ${bar ? JSON.stringify(bar) : 'no such row'}:\n${term.screen()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(umlSkip() || !canMount || (!hasTmux && process.env['CI'] !== 'true'))('host meters in a terminal, on a tmpfs the test fills', () => {
  let world: UmuxWorld;
  let empty: UmuxWorld;
  const terms: TmuxTerminal[] = [];
  let tmpfs: string;
  let emptyTmpfs: string;
  const envOf = (w: UmuxWorld, extra: Record<string, string> = {}) => ({
    UMUX_SOCKET_DIR: w.socketDir,
    UMUX_STATE_DIR: w.stateDir,
    UMUX_CONFIG_DIR: w.configDir,
    UMUX_UML_DIRS: w.handDir,
    UMUX_THEME: 'dark',
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    ...extra,
  });
  const tui = (w: UmuxWorld, size: [number, number], extra: Record<string, string> = {}) => {
    const term = new TmuxTerminal(`${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)} tui; echo EXIT=$?`, { width: size[0], height: size[1], env: envOf(w, extra) });
    terms.push(term);
    return term;
  };

  beforeAll(async () => {
    world = new UmuxWorld();
    tmpfs = path.join(world.dir, 'memfiles');
    mountTmpfs(tmpfs, '160M');
    // The server and the guests it starts keep memory files where TMPDIR says.
    (world.env as Record<string, string>)['TMPDIR'] = tmpfs;
    world.define('alpha', 'consoles = 0\nserials = 0\n');
    await world.ok(['start', 'alpha']);
    await world.waitForShell('alpha');
    empty = new UmuxWorld({ TMPDIR: '' });
    emptyTmpfs = path.join(empty.dir, 'memfiles');
    mountTmpfs(emptyTmpfs, '100M');
    (empty.env as Record<string, string>)['TMPDIR'] = emptyTmpfs;
    await empty.ok(['ls']); // starts its server with that TMPDIR
  }, 60_000);

  afterAll(async () => {
    for (const t of terms) t.dispose();
    // Lazily: the guests still hold their memory files there until dispose stops them.
    for (const d of [tmpfs, emptyTmpfs]) if (d) unmount(d);
    await world?.dispose();
    await empty?.dispose();
  });

  it('draws the memory-file meter at the fill level in the gauge colour, the mem= mark where 64M of 160M falls', async () => {
    const term = tui(world, [100, 30]);
    await term.waitFor(/alpha:con0/);
    fillTo(tmpfs, 'fill-a', 0.5);
    const bar = await waitForMeter(term, 'Tmp', (b) => Math.abs(filled(b) - (usage(tmpfs).used / usage(tmpfs).size) * BAR_CELLS) <= 1, 'half full');
    // The guests' mem= total: 64M of 160M is 4 cells, so the mark is in the 4th cell.
    const mark = Math.ceil((64 / 160) * BAR_CELLS) - 1;
    expect(bar[mark]!.fg).toBe(LIGHT_MAGENTA);
    expect(bar[mark]!.ch).toMatch(/[┃█]/);
    for (const [i, c] of bar.entries()) {
      if (i === mark) continue;
      if (BLOCKS.test(c.ch)) expect(c.fg, `cell ${i} of ${barText(bar)}`).toBe(CYAN);
      else expect(c).toMatchObject({ ch: '·', fg: GRAY });
    }
    // Past the theme's warn level (75 %) the bar and its figure turn to the warn colour.
    fillTo(tmpfs, 'fill-b', 0.8);
    const warn = await waitForMeter(term, 'Tmp', (b) => Math.abs(filled(b) - (usage(tmpfs).used / usage(tmpfs).size) * BAR_CELLS) <= 1 && b[0]!.fg === LIGHT_YELLOW, '80 % in the warn colour');
    expect(warn.filter((c, i) => i !== mark && BLOCKS.test(c.ch)).every((c) => c.fg === LIGHT_YELLOW)).toBe(true);
    expect(term.screen()).toMatch(/│Tmp [█▉▊▋▌▍▎▏┃]+·* +1\d\dM\/160M│/);
    fs.rmSync(path.join(tmpfs, 'fill-a'));
    fs.rmSync(path.join(tmpfs, 'fill-b'));
  });

  it('shows the gauges view at 80x24 and 200x60: meters per resource and guest, the mem= legend, charts with a time axis', async () => {
    const term = terms[0]!;
    term.resize(80, 24);
    term.type('', 'C-]');
    term.type('g');
    const small = await term.waitFor(/RAM in use[\s\S]*└─[^\n]*now/, 15_000);
    expect(small).toMatch(/│RAM {11}█*[▉▊▋▌▍▎▏]?·+ [\d.]+ \w+ of [\d.]+ GiB \d+%/);
    expect(small).toMatch(/│Memory files  [█▉▊▋▌▍▎▏░┃]+·* [\d.]+ MiB of 160 MiB \d+%/);
    expect(small).toMatch(/█ used  ┃░ guests' mem= 64 MiB/);
    expect(small).toMatch(/│alpha {7}[█▉▊▋▌▍▎▏]+·* +\d+M\/64M +PSS [█▉▊▋▌▍▎▏░┃·]+ \d+M/);
    // Every row of the view stays inside its frame at 80 columns.
    for (const line of small.split('\n').slice(0, 23)) expect([...line]).toHaveLength(80);
    term.resize(200, 60);
    const big = await term.waitFor(/now[^\n]*└─[^\n]*now/, 15_000);
    expect(big).toMatch(/RAM in use[^\n]*memory files on \S+memfiles/);
    expect(big).toMatch(/alpha PSS/);
    expect(big).toMatch(/-2m┴/);
    term.type('', 'C-]');
    term.type('g');
    await term.waitFor(/alpha:con0/);
  });

  it('draws an empty track at 0 % and a visible bar at 1 %, and the glyphs alone with NO_COLOR', async () => {
    const term = tui(empty, [100, 30]);
    const zero = await waitForMeter(term, 'Tmp', (b) => barText(b) === '··········', 'an empty track');
    expect(zero.every((c) => c.fg === GRAY)).toBe(true);
    const mono = tui(empty, [100, 30], { NO_COLOR: '1' });
    await waitForMeter(mono, 'Tmp', (b) => barText(b) === '··········', 'an empty track');
    fillTo(emptyTmpfs, 'one-percent', 0.01);
    const one = await waitForMeter(term, 'Tmp', (b) => barText(b) === '▏·········', 'a bar at 1 %');
    expect(one[0]!.fg).toBe(CYAN);
    await waitForMeter(mono, 'Tmp', (b) => barText(b) === '▏·········', 'a bar at 1 %');
    // NO_COLOR: no colour codes at all (30-49, 90-107, 38/48 extended), the meters still readable.
    expect(mono.screenWithColors()).not.toMatch(/\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/);
    expect(mono.screen()).toMatch(/│RAM [█▉▊▋▌▍▎▏]+·* +\S+\/\S+│\n│Swp [█▉▊▋▌▍▎▏·]+ +\S+│\n│Tmp ▏········· +1M\/100M│/);
  });
});
