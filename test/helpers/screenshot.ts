// Makes the README's picture from the real TUI: `umux demo` in a private tmux, its screen read back with colours
// (capture-pane -e), each cell drawn into an SVG, converted to PNG by rsvg-convert (Debian: librsvg2-bin).
// Run: npx tsx test/helpers/screenshot.ts [OUT.png]  (not part of npm test; needs UML, tmux, rsvg-convert).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rgbOfIndex } from '../../src/term/colors.js';
import { shellQuote, TmuxTerminal } from './tmux.js';
import { UMUX_BIN } from './run-tool.js';

const WIDTH = 120;
const HEIGHT = 34;
const CELL_W = 8.4;
const CELL_H = 17;
const FONT = 14;
const DEFAULT_FG = 0xd0d0d0;
const DEFAULT_BG = 0x1c1c1c;

interface Cell {
  ch: string;
  fg: number;
  bg: number;
  bold: boolean;
}

/** One line of capture-pane -e output as cells with resolved colours (inverse applied). */
function parseLine(line: string): Cell[] {
  const cells: Cell[] = [];
  let fg = -1;
  let bg = -1;
  let bold = false;
  let inverse = false;
  const rgb = (c: number, dflt: number) => (c < 0 ? dflt : c >= 0x1000000 ? c - 0x1000000 : rgbOfIndex(c));
  for (const m of line.matchAll(/\x1b\[([0-9;:]*)m|([^\x1b])/gu)) {
    if (m[2] !== undefined) {
      const f = rgb(fg, DEFAULT_FG);
      const b = rgb(bg, DEFAULT_BG);
      cells.push({ ch: m[2], fg: inverse ? b : f, bg: inverse ? f : b, bold });
      continue;
    }
    const p = (m[1] || '0').split(/[;:]/).map(Number);
    for (let i = 0; i < p.length; i++) {
      const n = p[i]!;
      if (n === 0) [fg, bg, bold, inverse] = [-1, -1, false, false];
      else if (n === 1) bold = true;
      else if (n === 7) inverse = true;
      else if (n === 22) bold = false;
      else if (n === 27) inverse = false;
      else if (n >= 30 && n <= 37) fg = n - 30;
      else if (n >= 90 && n <= 97) fg = n - 82;
      else if (n === 39) fg = -1;
      else if (n >= 40 && n <= 47) bg = n - 40;
      else if (n >= 100 && n <= 107) bg = n - 92;
      else if (n === 49) bg = -1;
      else if ((n === 38 || n === 48) && p[i + 1] === 5) {
        if (n === 38) fg = p[i + 2]!;
        else bg = p[i + 2]!;
        i += 2;
      } else if ((n === 38 || n === 48) && p[i + 1] === 2) {
        const v = 0x1000000 + ((p[i + 2]! << 16) | (p[i + 3]! << 8) | p[i + 4]!);
        if (n === 38) fg = v;
        else bg = v;
        i += 4;
      }
    }
  }
  while (cells.length < WIDTH) cells.push({ ch: ' ', fg: DEFAULT_FG, bg: DEFAULT_BG, bold: false });
  return cells.slice(0, WIDTH);
}

const hex = (c: number) => `#${c.toString(16).padStart(6, '0')}`;
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The screen as an SVG: a rectangle per run of one background, a text element per run of one style. */
export function screenSvg(lines: string[]): string {
  const rows = lines.slice(0, HEIGHT).map(parseLine);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(WIDTH * CELL_W)}" height="${HEIGHT * CELL_H}">`, `<rect width="100%" height="100%" fill="${hex(DEFAULT_BG)}"/>`];
  rows.forEach((row, y) => {
    for (let x = 0; x < row.length; ) {
      let end = x;
      while (end < row.length && row[end]!.bg === row[x]!.bg) end++;
      if (row[x]!.bg !== DEFAULT_BG) out.push(`<rect x="${(x * CELL_W).toFixed(1)}" y="${y * CELL_H}" width="${((end - x) * CELL_W).toFixed(1)}" height="${CELL_H}" fill="${hex(row[x]!.bg)}"/>`);
      x = end;
    }
    row.forEach((c, x) => {
      if (c.ch === ' ') return;
      // Block and line-drawing glyphs fill their cell as rectangles would: drawn per cell, they meet their neighbours.
      out.push(`<text x="${(x * CELL_W).toFixed(1)}" y="${y * CELL_H + 13}" fill="${hex(c.fg)}"${c.bold ? ' font-weight="bold"' : ''}>${xml(c.ch)}</text>`);
    });
  });
  out.push('</svg>');
  return out.join('\n').replace('<svg ', `<svg font-family="DejaVu Sans Mono, monospace" font-size="${FONT}" `);
}

async function main(): Promise<void> {
  const outPng = path.resolve(process.argv[2] ?? 'test/screenshots/umux-demo.png');
  const cmd = `${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)} demo`;
  const term = new TmuxTerminal(cmd, { width: WIDTH, height: HEIGHT, env: { TERM: 'xterm-256color', LANG: 'C.UTF-8', UMUX_DEMO_PANIC_S: '20', HOSTNAME: 'uml-host' } });
  try {
    await term.waitFor(/demo1:\/# /, 90_000);
    term.type('', 'C-]');
    term.type('s'); // a second pane, on demo2
    await term.waitFor(/demo2:con0/, 20_000);
    await term.waitFor(/!PANIC demo3/, 60_000);
    await term.waitFor(/demo2:\/# /, 20_000);
    term.type('free -m', 'Enter');
    await new Promise((r) => setTimeout(r, 6000)); // a fresh host sample in the meters
    const svg = screenSvg(term.screenWithColors().split('\n'));
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'umux-shot-'));
    fs.writeFileSync(path.join(tmp, 'screen.svg'), svg);
    fs.mkdirSync(path.dirname(outPng), { recursive: true });
    execFileSync('rsvg-convert', ['-o', outPng, path.join(tmp, 'screen.svg')], { timeout: 60_000 });
    fs.rmSync(tmp, { recursive: true, force: true });
    term.type('', 'C-]');
    term.type('d');
    await term.waitFor(/umux demo: done/, 20_000);
    process.stdout.write(`${outPng}\n`);
  } finally {
    term.dispose();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch((err: unknown) => {
    process.stderr.write(`screenshot: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
