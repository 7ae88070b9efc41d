// The TUI in a real terminal (tmux) on a managed guest with console_transport = "pty": the guest's `stty size` is
// the size of the TUI's pane, follows it when the terminal is resized, and a program in the guest gets SIGWINCH.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { hasTmux, shellQuote, TmuxTerminal } from '../helpers/tmux.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';

/** The inner size (rows, cols) of the pane box whose label contains `label`, read off the screen. */
function paneInnerSize(screen: string, label: string): string {
  const lines = screen.split('\n');
  const top = lines.findIndex((l) => l.includes(label));
  if (top < 0) throw new Error(`no pane labelled ${label} on the screen:\n${screen}`);
  const chars = [...lines[top]!];
  const at = [...lines[top]!.slice(0, lines[top]!.indexOf(label))].length;
  // The pane's corners: its own (┌ ┐ └) or shared with the sidebar (┬ ┴).
  const left = Math.max(chars.lastIndexOf('┌', at), chars.lastIndexOf('┬', at));
  const right = chars.indexOf('┐', at);
  const bottom = lines.findIndex((l, i) => i > top && /[└┴]/.test([...l][left] ?? ''));
  if (left < 0 || right < 0 || bottom < 0) throw new Error(`pane ${label} has no whole border on the screen:\n${screen}`);
  return `${bottom - top - 1} ${right - left - 1}`;
}

describe.skipIf(umlSkip() || (!hasTmux && process.env['CI'] !== 'true'))('the TUI on a pty-transport guest', () => {
  let world: UmuxWorld;
  let term: TmuxTerminal;
  const env = (w: UmuxWorld) => ({
    UMUX_SOCKET_DIR: w.socketDir,
    UMUX_STATE_DIR: w.stateDir,
    UMUX_CONFIG_DIR: w.configDir,
    UMUX_UML_DIRS: w.handDir,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
  });
  let tag = 0;
  /** Types `stty size` between markers in the focused pane and returns the guest's "ROWS COLS". */
  const sttySize = async (): Promise<string> => {
    const t = `sz${++tag}`;
    term.type(`echo ${t}-$(stty size)-end`, 'Enter');
    const screen = await term.waitFor(new RegExp(`${t}-\\d+ \\d+-end`), 20_000);
    return new RegExp(`${t}-(\\d+ \\d+)-end`).exec(screen)![1]!;
  };

  /** The screen once the TUI has redrawn itself `cols` wide (its top border reaches the last column). */
  const redrawnAt = (cols: number): Promise<string> =>
    waitUntil(`the TUI redrawn at ${cols} columns`, () => {
      const s = term.screen();
      const top = [...(s.split('\n')[0] ?? '')];
      return top.length === cols && top[cols - 1] === '┐' && s.includes('pt:con0') ? s : undefined;
    });

  beforeAll(async () => {
    world = new UmuxWorld();
    // A getty on con0 makes it the shell's controlling terminal: the guest kernel sends SIGWINCH to its foreground.
    world.define('pt', 'consoles = 0\nserials = 0\nconsole_transport = "pty"\nargs = ["umux_guest=pt"]\n', { root: { consoleGetty: true } });
    await world.ok(['start', 'pt']);
    await waitUntil("pt's shell prompt", () => (world.logText('pt').includes('pt:/# ') ? true : undefined), 120_000);
    term = new TmuxTerminal(`${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)}; echo EXIT=$?`, { width: 100, height: 30, env: env(world) });
  }, 180_000);
  afterAll(async () => {
    term?.dispose();
    await world.ok(['stop', '--force', 'pt']).catch(() => undefined);
    await world.dispose();
  });

  it('gives the guest the size of its pane, and follows the terminal through a resize', async () => {
    await term.waitFor(/pt:con0 \| pty/, 30_000);
    // The first layout may still change once the guest list has loaded: read the pane once the TUI has settled.
    await new Promise((r) => setTimeout(r, 1000));
    const size1 = paneInnerSize(await redrawnAt(100), 'pt:con0');
    expect(await sttySize()).toBe(size1);

    term.resize(140, 40);
    const size2 = paneInnerSize(await redrawnAt(140), 'pt:con0');
    expect(size2).not.toBe(size1);
    expect(await sttySize()).toBe(size2);

    term.resize(80, 24);
    const shrunk = await redrawnAt(80);
    const size3 = paneInnerSize(shrunk, 'pt:con0');
    expect(await sttySize()).toBe(size3);
  }, 120_000);

  it('delivers SIGWINCH to a program in the guest when the terminal is resized', async () => {
    // A foreground program that reports each SIGWINCH with the size it then sees (the trap runs between sleeps).
    term.type(`sh -c 'trap "echo WINCH-\\$(stty size)-seen" WINCH; echo winch-ready; while :; do sleep 1; done'`, 'Enter');
    await term.waitFor(/│winch-ready\s/);
    term.resize(120, 36);
    const now = paneInnerSize(await redrawnAt(120), 'pt:con0');
    // The last report names the size the pane has now (a resize may come in steps, each its own SIGWINCH).
    await waitUntil('a SIGWINCH report with the new size', () => {
      const reports = [...term.screen().matchAll(/WINCH-(\d+ \d+)-seen/g)];
      return reports.at(-1)?.[1] === now ? true : undefined;
    }, 20_000);
    term.type('', 'C-c');
    await term.waitFor(/│pt:\/# +│/);
  }, 60_000);
});
