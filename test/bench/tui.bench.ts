// TUI benchmarks (issue: the full-screen TUI) beside tmux doing the same with the same busybox hostfs guests, each
// multiplexer in a real terminal: util-linux `script` gives it a 140x40 pty, the bench types into the pty and
// reads back every byte the multiplexer writes, and parses those bytes into a terminal model (@xterm/headless) to
// see what the screen shows. Figures: first paint with 20 guests; 50 MB of console output in the focused pane;
// keystroke-to-echo latency on an idle guest and beside a flooding neighbour (hidden, then in a split pane).
//
// The tmux side is what an admin does today without umux: each guest's kernel runs in a tmux window with its
// console on the window's terminal, and they `tmux attach`. con0=fd:0,fd:1 straight on the window's terminal stalls
// under bulk output here (measured and printed), so the windows run the kernel behind a small socketpair shim.

import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchGuest, type LaunchedGuest } from '../../src/guests/launch.js';
import { groupMembers, killGroup } from '../../src/guests/process-group.js';
import { Screen } from '../../src/term/screen.js';
import type { ServerSession } from '../../src/client/session.js';
import { UML_BINARY } from '../helpers/uml.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { shellQuote } from '../helpers/tmux.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';
import { ms, percentile, table } from './stats.js';

const MB = 1024 * 1024;
const ROWS = 40;
const COLS = 140;
const GUESTS = 20;
const PAINT_RUNS = 5;
const KEYSTROKES = 200;
const PER_LINE = 20;
/** Pause between a keystroke's echo and the next keystroke: a fast typist, and longer than the TUI's 33 ms frame slot. */
const GAP_MS = 50;
/** Output separated by at least this much silence counts as a new write burst. */
const BURST_GAP_MS = 4;
const FLOOD_TIMEOUT_MS = 240_000;
const PREFIX = '\x1d'; // C-]
const TMUX_PREFIX = '\x02'; // C-b

/**
 * The tmux windows' shim: the kernel's con0 on a socketpair (as umux runs guests), relayed to and from the window's
 * terminal in raw mode. UML with con0=fd:0,fd:1 straight on a terminal stalls under bulk output on this host (the
 * bench measures that too), so the flood and the flooding neighbour would measure the stall, not tmux.
 */
const RELAY_PY = `import os, select, socket, subprocess, sys, termios, tty
a, b = socket.socketpair()
raw = os.isatty(0)
if raw:
    saved = termios.tcgetattr(0)
    tty.setraw(0)
child = subprocess.Popen(sys.argv[1:], stdin=b.fileno(), stdout=b.fileno())
b.close()
try:
    while True:
        ready, _, _ = select.select([0, a], [], [])
        if a in ready:
            data = a.recv(65536)
            if not data:
                break
            view = memoryview(data)
            while view:
                view = view[os.write(1, view):]
        if 0 in ready:
            data = os.read(0, 4096)
            if not data:
                break
            a.sendall(data)
finally:
    if raw:
        termios.tcsetattr(0, termios.TCSADRAIN, saved)
`;
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const PLAIN_CAP_MS = 10_000;
const PLAIN_TRIES = 3;

const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
const secs = (n: number) => `${(n / 1000).toFixed(2)} s`;
const mbs = (bytes: number, t: number) => `${(bytes / MB / (t / 1000)).toFixed(1)} MB/s`;
const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A file of 80-byte lines, each different (a line number, then a slice of a rotating alphabet), like a log: a
 * multiplexer that diffs screens cannot skip the repaint. Lowercase, digits and spaces only: typed keystrokes are
 * uppercase, so a flood never looks like an echo.
 */
function floodFile(root: string, name: string, bytes: number): string {
  const base = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(4);
  const count = Math.ceil(bytes / 80);
  const fd = fs.openSync(path.join(root, name), 'w');
  for (let start = 0; start < count; start += 8192) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(count, start + 8192); i++) lines.push(`${String(i).padStart(9, '0')} ${base.slice(i % 36, (i % 36) + 69)}\n`);
    fs.writeSync(fd, lines.join(''));
  }
  fs.closeSync(fd);
  return `/${name}`;
}

interface Waiter {
  test: (rows: string[]) => boolean;
  /** Test only after chunks holding one of these bytes (the echo of a typed key is always written literally). */
  hint?: Buffer;
  resolve: (at: number) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A program in a pty of its own (util-linux `script`): what we write to script's stdin is typed on the terminal,
 * what the program writes to the terminal comes out of script's stdout, counted and parsed into a terminal model.
 */
export class OuterTerminal {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  private readonly screen: Screen;
  private readonly waiters = new Set<Waiter>();
  private stderr = '';
  private exit: string | undefined;
  bytes = 0;
  bursts = 0;
  /** When the program wrote its first byte to the terminal. */
  firstByteAt = NaN;
  private lastData = -Infinity;

  constructor(
    readonly label: string,
    command: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.screen = new Screen({ cols: COLS, rows: ROWS, scrollback: 0, convertEol: false });
    this.child = spawn('script', ['-q', '-f', '-e', '-c', `stty rows ${ROWS} cols ${COLS}; exec ${command}`, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.child.stdin.on('error', () => undefined);
    this.child.stderr.on('data', (b: Buffer) => (this.stderr = (this.stderr + b.toString()).slice(-2000)));
    this.child.stdout.on('data', (b: Buffer) => {
      const at = performance.now();
      if (this.bytes === 0) this.firstByteAt = at;
      this.bytes += b.length;
      if (at - this.lastData >= BURST_GAP_MS) this.bursts++;
      this.lastData = at;
      void this.screen.write(b).then(() => this.check(at, b));
    });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.exit = `exited code=${code} signal=${signal}`;
        for (const w of [...this.waiters]) this.fail(w, `${this.label} ${this.exit} while waiting; stderr: ${this.stderr.trim() || '(none)'}; the screen shows:\n${this.text()}`);
        resolve(code);
      });
    });
  }

  /** With UMUX_BENCH_SCREENS set, the screen as the bench's terminal model has it, on stderr. */
  dump(when: string): void {
    if (process.env['UMUX_BENCH_SCREENS']) process.stderr.write(`--- ${this.label}: ${when} ---\n${this.text()}\n`);
  }

  type(text: string): void {
    this.child.stdin.write(text);
  }

  text(): string {
    return this.screen.visibleText().join('\n');
  }

  /** Resolves with the arrival time of the output chunk after which `test` held for the screen. */
  waitFor(what: string, test: (rows: string[]) => boolean, timeoutMs: number, hint?: string): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.exit) return reject(new Error(`${this.label} ${this.exit} before ${what}; stderr: ${this.stderr.trim() || '(none)'}`));
      const w: Waiter = {
        test,
        ...(hint ? { hint: Buffer.from(hint) } : {}),
        resolve,
        reject,
        timer: setTimeout(() => this.fail(w, `${this.label}: timed out after ${timeoutMs} ms waiting for ${what}; the screen shows:\n${this.text()}`), timeoutMs),
      };
      if (test(this.screen.visibleText())) {
        clearTimeout(w.timer);
        resolve(performance.now());
      } else this.waiters.add(w);
    });
  }

  private fail(w: Waiter, message: string): void {
    clearTimeout(w.timer);
    this.waiters.delete(w);
    w.reject(new Error(message));
  }

  private check(at: number, chunk: Buffer): void {
    if (this.waiters.size === 0) return;
    let rows: string[] | undefined;
    for (const w of [...this.waiters]) {
      if (w.hint && ![...w.hint].some((c) => chunk.includes(c))) continue;
      rows ??= this.screen.visibleText();
      if (w.test(rows)) {
        clearTimeout(w.timer);
        this.waiters.delete(w);
        w.resolve(at);
      }
    }
  }

  /** Waits for the program to exit on its own; kills it after `timeoutMs`. */
  async closed(timeoutMs: number): Promise<void> {
    const timer = setTimeout(() => this.kill(), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.exit) return;
    try {
      killGroup(this.child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  }

  dispose(): void {
    this.kill();
    this.screen.dispose();
  }
}

/** Types PER_LINE keys per shell comment line (`#` then letters), each after the previous one's echo; Enter ends a line. */
export interface Latency {
  samples: number[];
  /** Bytes per second the program wrote to the terminal meanwhile. */
  rate: number;
}

export async function keystrokeLatency(term: OuterTerminal, what: string): Promise<Latency> {
  const samples: number[] = [];
  const b0 = term.bytes;
  const start = performance.now();
  const at: number[] = [];
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (let line = 0; samples.length < KEYSTROKES; line++) {
    let typed = '';
    for (let i = 0; i < PER_LINE && samples.length < KEYSTROKES; i++) {
      // Each line a different run of letters, so no earlier line on the screen ends like the one being typed.
      const key = i === 0 ? '#' : alphabet[(i + line * 7) % alphabet.length]!;
      typed += key;
      const echo = new RegExp(`/ # ${reEscape(typed)}(?=[\\s│|]|$)`);
      const t0 = performance.now();
      term.type(key);
      const t1 = await term.waitFor(`${what}: the echo of keystroke ${samples.length + 1} (line "${typed}")`, (rows) => rows.some((r) => echo.test(r)), 15_000, key);
      samples.push(t1 - t0);
      at.push(t0 - start);
      await sleep(GAP_MS);
    }
    term.type('\r');
    await sleep(250);
  }
  const rate = (term.bytes - b0) / ((performance.now() - start) / 1000);
  if (process.env['UMUX_BENCH_SCREENS']) {
    const slow = samples.map((v, i) => [v, at[i]!] as const).sort((x, y) => y[0] - x[0]).slice(0, 6);
    process.stderr.write(`${what}: p50 ${ms(percentile(samples, 50))}, slowest ${slow.map(([v, t]) => `${v.toFixed(1)} ms at +${(t / 1000).toFixed(2)} s`).join(', ')}; terminal ${(rate / MB).toFixed(2)} MB/s\n`);
  }
  return { samples, rate };
}

/** Follows the tail of a umux console log (it is written as the server reads the guest): resolves when `text` shows. */
function logHas(file: string, text: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const deadline = performance.now() + timeoutMs;
    const buf = Buffer.alloc(512);
    const poll = () => {
      try {
        const fd = fs.openSync(file, 'r');
        try {
          const size = fs.fstatSync(fd).size;
          const n = fs.readSync(fd, buf, 0, buf.length, Math.max(0, size - buf.length));
          if (buf.subarray(0, n).includes(text)) return resolve(performance.now());
        } finally {
          fs.closeSync(fd);
        }
      } catch {
        // rotating: the next poll reads the new file
      }
      if (performance.now() > deadline) return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${text} in ${file}`));
      setTimeout(poll, 10);
    };
    poll();
  });
}

function median(xs: number[]): number {
  return percentile(xs, 50);
}

export async function benchTui(log: (s: string) => void): Promise<void> {
  const world = new UmuxWorld();
  const terms = new Set<OuterTerminal>();
  let raw: LaunchedGuest | undefined;
  const tmuxSock = path.join(world.dir, 'tmux.sock');
  const tmuxUml = path.join(world.dir, 'tmuxuml');
  let tmuxStarted = false;
  const baseEnv: NodeJS.ProcessEnv = { ...world.env, TERM: 'xterm-256color', LANG: 'C.UTF-8' };
  delete baseEnv['TMUX'];
  delete baseEnv['TMUX_PANE'];
  const open = (label: string, command: string, env: NodeJS.ProcessEnv = baseEnv) => {
    const t = new OuterTerminal(label, command, env);
    terms.add(t);
    return t;
  };
  const close = async (t: OuterTerminal, keys: string) => {
    t.dump('before leaving');
    t.type(keys);
    await t.closed(10_000);
    t.dispose();
    terms.delete(t);
  };
  const tmux = (...args: string[]) => execFileSync('tmux', ['-S', tmuxSock, '-f', '/dev/null', ...args], { encoding: 'utf8', timeout: 10_000, env: baseEnv });
  /** Starts tmux's server detached from our pipes, as from an admin's shell. */
  const tmuxStart = (...args: string[]) => execFileSync('tmux', ['-S', tmuxSock, '-f', '/dev/null', ...args], { timeout: 10_000, env: baseEnv, stdio: 'ignore' });
  const umuxCmd = `${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)}`;
  const tmuxAttach = `tmux -S ${shellQuote(tmuxSock)} attach -t bench`;
  let stopCount = 0;
  let session: ServerSession | undefined;
  try {
    const rootOpts = { shell: true, commands: [] as string[] };
    const root = world.root(rootOpts);
    const flood = floodFile(root, 'flood50.txt', 50 * MB);
    const floodBytes = fs.statSync(path.join(root, flood)).size;
    const nbFlood = floodFile(root, 'flood5.txt', 5 * MB);
    const flood1 = floodFile(root, 'flood1.txt', 1 * MB);
    const nbBytes = fs.statSync(path.join(root, nbFlood)).size;
    /**
     * A shell loop on a neighbour guest that cats 5 MB to its con0 until the bench creates /tmp/NAME on the host
     * (hostfs reads the directory each time), then says how many cats it finished: stop() resolves with its MB/s.
     */
    const floodLoop = async (send: (cmd: string) => unknown, screen: () => string) => {
      const name = `nbstop${++stopCount}`;
      const done = new RegExp(`nb-${stopCount + 1000}-stopped-(\\d+)-cats`);
      const t0 = performance.now();
      await send(`n=0; while ! ls /tmp | grep -q ${name}; do cat ${nbFlood}; n=$((n+1)); done; echo nb-$((${stopCount}+1000))-stopped-$n-cats`);
      return {
        stop: async (what: string): Promise<number> => {
          fs.writeFileSync(path.join(root, 'tmp', name), '');
          const m = await waitUntil(`${what} to stop`, () => done.exec(screen()) ?? undefined, 60_000);
          return (Number(m[1]) * nbBytes) / ((performance.now() - t0) / 1000);
        },
      };
    };
    const logTail = (guest: string) => {
      const file = path.join(world.stateDir, 'logs', guest, 'con0.log');
      try {
        const fd = fs.openSync(file, 'r');
        try {
          const buf = Buffer.alloc(1024);
          const n = fs.readSync(fd, buf, 0, buf.length, Math.max(0, fs.fstatSync(fd).size - buf.length));
          return buf.subarray(0, n).toString('latin1');
        } finally {
          fs.closeSync(fd);
        }
      } catch {
        return '';
      }
    };
    const nbRate: Record<string, number> = {};

    // ---- the guest alone: con0 on a socketpair read by the bench, nothing else on the path ----
    raw = await launchGuest({ umid: 'tuiraw', umlDir: path.join(world.dir, 'raw'), root, keepOutput: 4096 });
    let rawTail = '';
    raw.onOutput((t) => (rawTail = (rawTail + t).slice(-128)));
    await waitUntil('the raw guest shell', () => (rawTail.includes('/ # ') ? true : undefined), 30_000);
    const r0 = performance.now();
    raw.con0.write(`cat ${flood}; echo raw-$((40+2))-done\r`);
    await waitUntil('the raw flood', () => (rawTail.includes('raw-42-done') ? true : undefined), FLOOD_TIMEOUT_MS);
    const rawMs = performance.now() - r0;
    await raw.kill();
    raw = undefined;

    // ---- umux: 20 guests behind the server ----
    const names = Array.from({ length: GUESTS }, (_, i) => `g${String(i).padStart(2, '0')}`);
    for (const n of names) world.define(n, 'consoles = 0\nserials = 0\n', { root: rootOpts });
    for (let i = 0; i < names.length; i += 5) {
      const batch = names.slice(i, i + 5);
      await Promise.all(batch.map((n) => world.ok(['start', n])));
      for (const n of batch) await world.waitForShell(n, 60_000);
    }
    session = await world.session();
    await session.request(['send', 'g00', 'echo paint-mark-$((1+1))']);
    await logHas(path.join(world.stateDir, 'logs', 'g00', 'con0.log'), 'paint-mark-2\r', 10_000);

    const statsOf = (file: string) => {
      try {
        return JSON.parse(fs.readFileSync(file, 'utf8')) as { frames: number; renders: number };
      } catch {
        throw new Error(`the TUI wrote no stats to ${file} (UMUX_TUI_STATS) on leaving`);
      }
    };
    let statsN = 0;
    const openTui = (label: string) => {
      const stats = path.join(world.dir, `tui-stats-${++statsN}.json`);
      return { term: open(label, umuxCmd, { ...baseEnv, UMUX_TUI_STATS: stats }), stats };
    };
    const tuiOnG00 = (rows: string[]) => names.every((n) => rows.some((r) => r.slice(0, 26).includes(` ${n} `))) && rows.some((r) => r.includes('g00:con0'));
    const tuiPainted = (rows: string[]) => tuiOnG00(rows) && rows.some((r) => r.includes('paint-mark-2'));
    /** Later sessions: g00's screen ends with its prompt (the paint mark may have scrolled away). */
    const tuiReady = (rows: string[]) => tuiOnG00(rows) && rows.some((r) => /│\/ #(?=\s|$)/.test(r));

    const umuxPaint: number[] = [];
    const umuxFirstByte: number[] = [];
    const startFrames: number[] = [];
    const startRenders: number[] = [];
    for (let i = 0; i < PAINT_RUNS; i++) {
      const t0 = performance.now();
      const { term, stats } = openTui(`umux TUI (first paint ${i + 1})`);
      umuxPaint.push((await term.waitFor('20 guests in the sidebar and g00\'s console', tuiPainted, 30_000)) - t0);
      umuxFirstByte.push(term.firstByteAt - t0);
      await sleep(300);
      await close(term, `${PREFIX}d`);
      startFrames.push(statsOf(stats).frames);
      startRenders.push(statsOf(stats).renders);
    }

    // 50 MB in the focused pane, typed through the TUI.
    const umuxFlood = await (async () => {
      const { term, stats } = openTui('umux TUI (flood)');
      await term.waitFor('the TUI on g00 at its prompt', tuiReady, 30_000);
      await sleep(500);
      const b0 = term.bytes;
      const k0 = term.bursts;
      const t0 = performance.now();
      const logged = logHas(path.join(world.stateDir, 'logs', 'g00', 'con0.log'), 'flood-42-done', FLOOD_TIMEOUT_MS);
      term.type(`cat ${flood}; echo flood-$((40+2))-done\r`);
      const shown = await term.waitFor('the flood sentinel flood-42-done on the TUI', (rows) => rows.some((r) => r.includes('flood-42-done')), FLOOD_TIMEOUT_MS);
      const server = (await logged) - t0;
      const bytes = term.bytes - b0;
      const bursts = term.bursts - k0;
      await sleep(500);
      await close(term, `${PREFIX}d`);
      const st = statsOf(stats);
      return { server, shown: shown - t0, bytes, bursts, frames: st.frames, renders: st.renders };
    })();

    // Keystroke latency: idle, then a flooding neighbour (g01) not shown, then in a split pane.
    const umuxLat: { idle?: Latency; hidden?: Latency; split?: Latency; attach?: Latency } = {};
    /** The keystroke session: bytes written and screen renders from its start (after the first paint) to leaving. */
    const keySession = { bytes: 0, renders: 0 };
    {
      const { term, stats } = openTui('umux TUI (keystrokes)');
      await term.waitFor('the TUI on g00 at its prompt', tuiReady, 30_000);
      await sleep(500);
      umuxLat.idle = await keystrokeLatency(term, 'umux, idle');
      const sendG01 = (cmd: string) => session!.request(['send', 'g01', cmd]);
      const hidden = await floodLoop(sendG01, () => logTail('g01'));
      await sleep(1000);
      umuxLat.hidden = await keystrokeLatency(term, 'umux, flooding neighbour not shown');
      nbRate['umux hidden'] = await hidden.stop('the neighbour flood on g01');
      // C-] s: a second pane on the next guest (g01), which takes the focus; C-] o gives it back to g00.
      term.type(`${PREFIX}s`);
      const split = await term.waitFor('a split pane on g01', (rows) => rows.some((r) => r.includes('g01:con0')) && rows.some((r) => r.includes('g00:con0')), 8_000).then(
        () => true,
        () => false,
      );
      if (split) {
        term.type(`${PREFIX}o`);
        await term.waitFor('focus back on pane 1 (g00)', (rows) => rows.some((r) => r.includes('pane 1/2')), 10_000);
        const shown = await floodLoop(sendG01, () => logTail('g01'));
        await sleep(1000);
        umuxLat.split = await keystrokeLatency(term, 'umux, flooding neighbour in a split pane');
        nbRate['umux split'] = await shown.stop('the neighbour flood on g01');
      }
      keySession.bytes = term.bytes;
      await close(term, `${PREFIX}d`);
      keySession.renders = statsOf(stats).renders;
    }
    // The same keystrokes through `umux attach` (no TUI): what the server and the attach path alone add.
    {
      const term = open('umux attach g00', `${umuxCmd} attach g00:con0`);
      await term.waitFor('g00 at its prompt', (rows) => rows.some((r) => /^\/ #(?=\s|$)/.test(r)), 30_000);
      await sleep(500);
      umuxLat.attach = await keystrokeLatency(term, 'umux attach, idle');
      await close(term, PREFIX);
    }
    // umux's side now, in one line: tmux's part can still fail (its guest stalls mid-flood on a tmux pty), and the
    // tables below need both sides.
    const p = (l: Latency | undefined) => (l ? `${ms(percentile(l.samples, 50))} / ${ms(percentile(l.samples, 99))}` : 'n/a');
    log(`\numux side (before tmux's part): first paint p50 ${ms(median(umuxPaint))}; 50 MB flood ${(umuxFlood.shown / 1000).toFixed(2)} s, ${(umuxFlood.bytes / MB).toFixed(2)} MB written; echo p50 / p99 idle ${p(umuxLat.idle)}, neighbour hidden ${p(umuxLat.hidden)}, split ${p(umuxLat.split)}, umux attach ${p(umuxLat.attach)}\n`);
    // The umux guests and server go before tmux's guests boot: each side has the machine to itself.
    for (const n of names) await session.request(['stop', '--force', n]);
    session.dispose();
    session = undefined;

    // ---- tmux: 20 windows, each running a guest's kernel, its console on the window's terminal ----
    fs.mkdirSync(tmuxUml);
    const relay = path.join(world.dir, 'relay.py');
    fs.writeFileSync(relay, RELAY_PY);
    const kernel = (umid: string, shim = true) =>
      `exec ${shim ? `${PYTHON} ${relay} ` : ''}${UML_BINARY} umid=${umid} uml_dir=${tmuxUml} mem=64M rootfstype=hostfs hostfs=${root} root=/dev/root rw init=/init con=null ssl=null con0=fd:0,fd:1`;
    const tnames = Array.from({ length: GUESTS }, (_, i) => `tm${String(i).padStart(2, '0')}`);
    const paneHas = (target: string, text: string) => tmux('capture-pane', '-p', '-t', target).includes(text);
    for (let i = 0; i < tnames.length; i += 5) {
      const batch = tnames.slice(i, i + 5);
      for (const [j, n] of batch.entries()) {
        if (i + j === 0) {
          tmuxStart('new-session', '-d', '-s', 'bench', '-x', String(COLS), '-y', String(ROWS - 1), '-n', n, '-c', world.dir, kernel(n));
          tmuxStarted = true;
        } else tmux('new-window', '-d', '-t', 'bench', '-n', n, '-c', world.dir, kernel(n));
      }
      // capture-pane drops trailing blanks: the prompt is `/ #` at the end of a line.
      for (const n of batch) await waitUntil(`tmux window ${n}'s shell prompt`, () => (/^\/ #$/m.test(tmux('capture-pane', '-p', '-t', `bench:${n}`)) ? true : undefined), 60_000);
    }
    // The plain way beside the shim: 1 MB to con0 with the kernel straight on a window's terminal, and through the shim.
    const oneMb = async (target: string, tag: number) => {
      const t0 = performance.now();
      tmux('send-keys', '-t', target, `cat ${flood1}; echo mb-$((${tag}+1000))-done`, 'Enter');
      while (performance.now() - t0 < PLAIN_CAP_MS) {
        if (paneHas(target, `mb-${tag + 1000}-done`)) return performance.now() - t0;
        await sleep(50);
      }
      return NaN;
    };
    tmux('new-window', '-d', '-t', 'bench', '-n', 'plain', '-c', world.dir, kernel('tmplain', false));
    await waitUntil('tmux window plain\'s shell prompt', () => (/^\/ #$/m.test(tmux('capture-pane', '-p', '-t', 'bench:plain')) ? true : undefined), 60_000);
    const plainMs: number[] = [];
    for (let i = 0; i < PLAIN_TRIES; i++) plainMs.push(await oneMb('bench:plain', i));
    const shimMs: number[] = [];
    for (let i = 0; i < PLAIN_TRIES; i++) shimMs.push(await oneMb(`bench:${tnames[GUESTS - 1]}`, i + 10));
    tmux('kill-window', '-t', 'bench:plain');
    const plainPid = Number(fs.readFileSync(path.join(tmuxUml, 'tmplain', 'pid'), 'utf8').trim());
    if (plainPid > 1 && groupMembers(plainPid).length > 0) killGroup(plainPid, 'SIGKILL');

    tmux('select-window', '-t', 'bench:tm00');
    tmux('send-keys', '-t', 'bench:tm00', 'echo paint-mark-$((1+1))', 'Enter');
    await waitUntil('the paint mark in tmux window tm00', () => (paneHas('bench:tm00', 'paint-mark-2') ? true : undefined), 10_000);
    const tmuxPainted = (rows: string[]) => rows.some((r) => r.includes('paint-mark-2')) && rows.some((r) => r.includes('[bench]'));
    const tmuxReady = (rows: string[]) => rows.some((r) => /^\/ #(?=\s|$)/.test(r)) && rows.some((r) => r.includes('[bench]'));

    const tmuxPaint: number[] = [];
    const tmuxFirstByte: number[] = [];
    for (let i = 0; i < PAINT_RUNS; i++) {
      const t0 = performance.now();
      const term = open(`tmux attach (first paint ${i + 1})`, tmuxAttach);
      tmuxPaint.push((await term.waitFor('window tm00 and the status line', tmuxPainted, 30_000)) - t0);
      tmuxFirstByte.push(term.firstByteAt - t0);
      await sleep(300);
      await close(term, `${TMUX_PREFIX}d`);
    }

    const tmuxFlood = await (async () => {
      const term = open('tmux attach (flood)', tmuxAttach);
      await term.waitFor('window tm00', tmuxPainted, 30_000);
      await sleep(500);
      const b0 = term.bytes;
      const k0 = term.bursts;
      const t0 = performance.now();
      term.type(`cat ${flood}; echo flood-$((40+2))-done\r`);
      // What tmux's server holds (its grid), polled with capture-pane every 100 ms: the analogue of umux's log.
      let server = NaN;
      const polling = (async () => {
        const deadline = performance.now() + FLOOD_TIMEOUT_MS;
        while (performance.now() < deadline) {
          if (paneHas('bench:tm00', 'flood-42-done')) return (server = performance.now() - t0);
          await sleep(100);
        }
        throw new Error('tmux capture-pane never showed flood-42-done');
      })();
      const shown = await term.waitFor('the flood sentinel flood-42-done on the tmux client', (rows) => rows.some((r) => r.includes('flood-42-done')), FLOOD_TIMEOUT_MS);
      const bytes = term.bytes - b0;
      const bursts = term.bursts - k0;
      await polling;
      await sleep(500);
      await close(term, `${TMUX_PREFIX}d`);
      return { server, shown: shown - t0, bytes, bursts };
    })();

    const tmuxLat: { idle?: Latency; hidden?: Latency; split?: Latency } = {};
    {
      const term = open('tmux attach (keystrokes)', tmuxAttach);
      await term.waitFor('window tm00 at its prompt', tmuxReady, 30_000);
      await sleep(500);
      tmuxLat.idle = await keystrokeLatency(term, 'tmux, idle');
      const hidden = await floodLoop((cmd) => tmux('send-keys', '-t', 'bench:tm01', cmd, 'Enter'), () => tmux('capture-pane', '-p', '-t', 'bench:tm01'));
      await sleep(1000);
      tmuxLat.hidden = await keystrokeLatency(term, 'tmux, flooding neighbour in another window');
      nbRate['tmux hidden'] = await hidden.stop('the neighbour flood in window tm01');
      // The neighbour's pane joins tm00's window, stacked as umux stacks two panes on a 114-column main area.
      tmux('join-pane', '-v', '-d', '-s', 'bench:tm01', '-t', 'bench:tm00');
      tmux('select-pane', '-t', 'bench:tm00.0');
      const shown = await floodLoop((cmd) => tmux('send-keys', '-t', 'bench:tm00.1', cmd, 'Enter'), () => tmux('capture-pane', '-p', '-t', 'bench:tm00.1'));
      await sleep(1000);
      tmuxLat.split = await keystrokeLatency(term, 'tmux, flooding neighbour in a split pane');
      nbRate['tmux split'] = await shown.stop('the neighbour flood in pane tm00.1');
      await close(term, `${TMUX_PREFIX}d`);
    }

    // ---- tables ----
    log(`\n### TUI in a ${COLS}x${ROWS} terminal beside tmux (util-linux script as the terminal, the bench as its screen)\n`);
    log(
      table(
        [`first paint, ${GUESTS} idle guests (${PAINT_RUNS} runs)`, 'umux TUI', 'tmux attach'],
        [
          ['first byte written to the terminal, p50', ms(median(umuxFirstByte)), ms(median(tmuxFirstByte))],
          ['screen complete, p50', ms(median(umuxPaint)), ms(median(tmuxPaint))],
          ['min … max', `${ms(Math.min(...umuxPaint))} … ${ms(Math.max(...umuxPaint))}`, `${ms(Math.min(...tmuxPaint))} … ${ms(Math.max(...tmuxPaint))}`],
        ],
      ),
    );
    log(
      `\nfrom spawning the terminal's program to the screen showing it: umux = \`umux\` (the TUI) until all ${GUESTS} guests are in the sidebar and g00's console (label and last line); ` +
        `tmux = \`tmux attach\` to a server holding ${GUESTS} windows, each running a guest's kernel (screen/tmux running the kernel, as admins do without umux; con0 relayed through a socketpair shim, see below), ` +
        `until window 0's console and the status line are drawn. Both include script and sh starting; umux's first byte waits for Node to start and load the TUI's modules.\n`,
    );

    const umuxNet = umuxFlood.frames - median(startFrames);
    const perFrame = (bytes: number, frames: number) => (frames > 0 ? `${(bytes / frames / 1024).toFixed(1)} KiB` : 'n/a');
    log(`\n`);
    log(
      table(
        [`${(floodBytes / MB).toFixed(0)} MB to con0 in the focused pane (cat of a file of 80-byte lines)`, 'umux TUI', 'tmux'],
        [
          ['the guest alone (con0 socketpair read directly, no multiplexer)', `${secs(rawMs)} (${mbs(floodBytes, rawMs)})`, `${secs(rawMs)} (${mbs(floodBytes, rawMs)})`],
          ['the server has the sentinel (umux: con0 log; tmux: capture-pane, polled every 100 ms)', `${secs(umuxFlood.server)} (${mbs(floodBytes, umuxFlood.server)})`, `${secs(tmuxFlood.server)} (${mbs(floodBytes, tmuxFlood.server)})`],
          ['the sentinel on the terminal', secs(umuxFlood.shown), secs(tmuxFlood.shown)],
          ['bytes written to the terminal', `${(umuxFlood.bytes / MB).toFixed(2)} MB`, `${(tmuxFlood.bytes / MB).toFixed(2)} MB`],
          ['frames painted (UMUX_TUI_STATS)', `${umuxFlood.frames} (${umuxNet} beyond a start-and-leave session's ${median(startFrames)})`, 'n/a (tmux counts none)'],
          [`write bursts (output after ≥ ${BURST_GAP_MS} ms of silence)`, String(umuxFlood.bursts), String(tmuxFlood.bursts)],
          [
            'bytes written per frame (umux: per screen render beyond a start-and-leave session\'s; tmux: per write burst)',
            `${perFrame(umuxFlood.bytes, umuxFlood.renders - median(startRenders))} (${umuxFlood.renders - median(startRenders)} renders)`,
            perFrame(tmuxFlood.bytes, tmuxFlood.bursts),
          ],
        ],
      ),
    );
    log(
      `\nthe flood is typed through each terminal (\`cat ${flood}; echo flood-$((40+2))-done\`); times run from that keystroke. The guest alone shows what UML's console can do; ` +
        `the server row what each server adds; the terminal row what the client adds. Write bursts stand in for tmux's frames: it writes as output comes, umux paints at most every 33 ms.\n`,
    );

    const tries = (xs: number[]) => xs.map((x) => (Number.isNaN(x) ? `stalled (not through in ${PLAIN_CAP_MS / 1000} s)` : secs(x))).join(', ');
    log(
      `\ntmux's windows run \`${path.basename(PYTHON)} relay.py linux … con0=fd:0,fd:1\`: a short Python shim that puts con0 on a socketpair and copies it to and from the window's terminal in raw mode. ` +
        `Without it (\`linux … con0=fd:0,fd:1\` straight on the window's terminal) 1 MB to con0 (${PLAIN_TRIES} tries, each after the last) took ${tries(plainMs)}; through the shim ${tries(shimMs)} (detached, seen with capture-pane). ` +
        `The plain way stalls now and then on this host (UML waits for a write wakeup from the terminal that does not come), which would make the flood figures measure the stall.\n`,
    );

    const lat = (l: Latency | undefined, p: number) => (l ? ms(percentile(l.samples, p)) : 'n/a');
    const splitNote = umuxLat.split ? '' : ' (umux: this build has no C-] s split)';
    const nbText = (k: string) => (nbRate[k] === undefined ? 'n/a' : `${(nbRate[k]! / MB).toFixed(1)} MB/s`);
    const rate = (l: Latency | undefined) => (l ? `${(l.rate / MB).toFixed(2)} MB/s` : 'n/a');
    log(`\n`);
    log(
      table(
        [`keystroke to echo, ${KEYSTROKES} keys one at a time (${GAP_MS} ms after each echo)`, 'umux p50', 'umux p99', 'tmux p50', 'tmux p99', 'to terminal: umux', 'tmux'],
        [
          ['idle guest', lat(umuxLat.idle, 50), lat(umuxLat.idle, 99), lat(tmuxLat.idle, 50), lat(tmuxLat.idle, 99), rate(umuxLat.idle), rate(tmuxLat.idle)],
          ['a second guest flooding, not shown (umux: held by the server; tmux: another window)', lat(umuxLat.hidden, 50), lat(umuxLat.hidden, 99), lat(tmuxLat.hidden, 50), lat(tmuxLat.hidden, 99), rate(umuxLat.hidden), rate(tmuxLat.hidden)],
          [`a second guest flooding in a split pane below${splitNote}`, lat(umuxLat.split, 50), lat(umuxLat.split, 99), lat(tmuxLat.split, 50), lat(tmuxLat.split, 99), rate(umuxLat.split), rate(tmuxLat.split)],
          ['idle guest, `umux attach g00:con0` instead of the TUI (server and attach client only)', lat(umuxLat.attach, 50), lat(umuxLat.attach, 99), '—', '—', rate(umuxLat.attach), '—'],
        ],
      ),
    );
    log(
      `\nfrom writing a key into the terminal to the arrival of the output after which the terminal's screen shows it. The neighbour runs \`cat\` of a 5 MB file in a loop; ` +
        `it pushed ${nbText('umux hidden')} (not shown) and ${nbText('umux split')} (split) under umux, ${nbText('tmux hidden')} and ${nbText('tmux split')} under tmux. ` +
        `The bench's own terminal model (xterm.js in Node) parses every byte on the same ${os.cpus().length}-core machine, as a real terminal would. ` +
        `With a flooding pane on screen tmux writes as fast as the terminal reads; once ${COLS}x${ROWS}x8 bytes are queued it drops them and redraws every 100 ms ` +
        `(tty.c TTY_BLOCK_INTERVAL), so its split-pane figures depend on how fast the terminal is. umux paints each pane at most every 33 ms whatever the terminal. ` +
        `Over the whole umux keystroke session (idle, hidden and split-pane phases; the split-pane flood writes nearly all of it) the TUI wrote ${(keySession.bytes / MB).toFixed(2)} MB in ${keySession.renders} screen renders: ${perFrame(keySession.bytes, keySession.renders)} per render.\n\n`,
    );
  } finally {
    session?.dispose();
    for (const t of terms) t.dispose();
    if (raw) await raw.kill().catch(() => undefined);
    if (tmuxStarted) {
      try {
        tmux('kill-server');
      } catch {
        // gone already
      }
    }
    // tmux's guests: SIGKILL to each kernel's process group (UML calls setsid, so the window's hangup may not reach it).
    if (fs.existsSync(tmuxUml)) {
      const pids: number[] = [];
      for (const umid of fs.readdirSync(tmuxUml)) {
        try {
          pids.push(Number(fs.readFileSync(path.join(tmuxUml, umid, 'pid'), 'utf8').trim()));
        } catch {
          continue;
        }
      }
      for (const pid of pids) if (pid > 1 && groupMembers(pid).length > 0) killGroup(pid, 'SIGKILL');
      const deadline = Date.now() + 5000;
      for (const pid of pids) while (pid > 1 && groupMembers(pid).length > 0 && Date.now() < deadline) await sleep(50);
    }
    await world.dispose();
  }
}
