// Drives a program in a real terminal: a private tmux server (its own socket), send-keys to type, capture-pane to
// read the screen back. Every wait has a timeout and fails with the screen as it was.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
