// Drives a program in a real terminal: a private tmux server (its own socket), send-keys to type, capture-pane to
// read the screen back. Every wait has a timeout and fails with the screen as it was.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';

const nodePty = createRequire(import.meta.url)('node-pty') as typeof import('node-pty');

export const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export class TmuxTerminal {
  private readonly socket: string;
  private readonly session = 'umx';

  /** `config`: lines of tmux configuration for this private server (for example `set -g set-clipboard on`). */
  constructor(command: string, opts: { width?: number; height?: number; env?: Record<string, string>; config?: string[] } = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-tmux-'));
    this.socket = path.join(dir, 'tmux.sock');
    const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
    const config = path.join(dir, 'tmux.conf');
    fs.writeFileSync(config, (opts.config ?? []).map((l) => `${l}\n`).join(''));
    this.tmux('-f', config, 'new-session', '-d', '-s', this.session, '-x', String(opts.width ?? 120), '-y', String(opts.height ?? 30), `env ${env} ${command}; sleep 600`);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8', timeout: 5000 });
  }

  /** Types text (literally), then optional keys such as Enter or Up. */
  type(text: string, ...keys: string[]): void {
    if (text) this.tmux('send-keys', '-t', this.session, '-l', text);
    if (keys.length) this.tmux('send-keys', '-t', this.session, ...keys);
  }

  /** Resizes the window (the program inside gets SIGWINCH). */
  resize(width: number, height: number): void {
    this.tmux('resize-window', '-t', this.session, '-x', String(width), '-y', String(height));
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.session);
  }

  /** The screen with its colours and attributes as SGR sequences (capture-pane -e). */
  screenWithColors(): string {
    return this.tmux('capture-pane', '-p', '-e', '-t', this.session);
  }

  /** The screen as rows of cells, each with its character and foreground colour (see cellsOfSgrText). */
  cells(): ScreenCell[][] {
    return this.screenWithColors().split('\n').map(cellsOfSgrText);
  }

  /** The pane's title, which a program sets with OSC 0/2. */
  paneTitle(): string {
    return this.tmux('display-message', '-p', '-t', this.session, '#{pane_title}').trim();
  }

  /** tmux's paste buffers, one line each (`list-buffers`): a program's OSC 52 clipboard write makes one. */
  buffers(): string {
    return this.tmux('list-buffers');
  }

  /** Whether the pane is in the alternate screen. */
  altScreen(): boolean {
    return this.tmux('display-message', '-p', '-t', this.session, '#{alternate_on}').trim() === '1';
  }

  /** The program in the foreground of the pane (after umux exits, the `sleep` that keeps the pane open). */
  currentCommand(): string {
    return this.tmux('display-message', '-p', '-t', this.session, '#{pane_current_command}').trim();
  }

  /**
   * A client attached from a pty of our own, as the admin's terminal would be: what tmux passes through to it (OSC
   * sequences under allow-passthrough, say) is in its raw bytes. Disposed with this terminal.
   */
  attachRaw(size = { cols: 120, rows: 30 }): { bytes(): string } {
    const pty = nodePty.spawn('tmux', ['-S', this.socket, 'attach', '-t', this.session], { name: 'xterm-256color', ...size, env: { ...process.env, TMUX: '' } as Record<string, string> });
    let raw = '';
    pty.onData((d) => (raw += d));
    this.outer = pty;
    return { bytes: () => raw };
  }

  private outer: { kill(): void } | undefined;

  async waitFor(pattern: RegExp | string, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`screen never showed ${String(pattern)} in ${timeoutMs} ms; it shows:\n${screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  dispose(): void {
    this.outer?.kill();
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    fs.rmSync(path.dirname(this.socket), { recursive: true, force: true });
  }
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A cell read back from capture-pane -e: fg is a palette index (0-255), -1 for the default, or #rrggbb. */
export interface ScreenCell {
  ch: string;
  fg: number | string;
  bold: boolean;
}

/** One line of capture-pane -e output as cells: SGR sequences set the colour of the characters after them. */
export function cellsOfSgrText(line: string): ScreenCell[] {
  const cells: ScreenCell[] = [];
  let fg: number | string = -1;
  let bold = false;
  for (const m of line.matchAll(/\x1b\[([0-9;:]*)m|([^\x1b])/gu)) {
    if (m[2] !== undefined) {
      cells.push({ ch: m[2], fg, bold });
      continue;
    }
    const p = (m[1] || '0').split(/[;:]/).map(Number);
    for (let i = 0; i < p.length; i++) {
      const n = p[i]!;
      if (n === 0) [fg, bold] = [-1, false];
      else if (n === 1) bold = true;
      else if (n === 22) bold = false;
      else if (n >= 30 && n <= 37) fg = n - 30;
      else if (n >= 90 && n <= 97) fg = n - 90 + 8;
      else if (n === 39) fg = -1;
      else if (n === 38 && p[i + 1] === 5) [fg, i] = [p[i + 2]!, i + 2];
      else if (n === 38 && p[i + 1] === 2) [fg, i] = [`#${p.slice(i + 2, i + 5).map((v) => v.toString(16).padStart(2, '0')).join('')}`, i + 4];
      else if ((n === 48 && (p[i + 1] === 5 || p[i + 1] === 2))) i += p[i + 1] === 5 ? 2 : 4;
    }
  }
  return cells;
}
