// Hooks (issue 15): the programs a guest definition's or server.toml's [hooks] name, run on what the event log
// records: a panic, a hang, an unexpected exit, a restart, memory-file pressure, a user notification. One place
// listens to every guest's events; each event runs its kind's hook at most once, and how a hook failed is an event.

import fs from 'node:fs';
import path from 'node:path';
import type { Disposable } from '../core/disposable.js';
import { showControls } from '../core/terminal-text.js';
import { ConfigError } from '../config/config-error.js';
import type { HookConfig, HookKind } from '../config/hooks-config.js';
import { loadServerSettings } from '../config/server-settings.js';
import { readLogTailSync } from '../consoles/log-tail.js';
import { makeDirs } from '../files/make-dirs.js';
import { runHook } from '../guests/hook-runner.js';
import type { HostSample } from '../protocol/host-types.js';
import { plainText } from '../term/plain-text.js';
import type { EventLog, GuestEvent } from './event-log.js';
import type { Guest } from './guest.js';

/** Console lines put in the UMUX_CONSOLE_TAIL file. */
export const TAIL_LINES = 50;
/** The event the server adds to each running guest's log when the memory-file filesystem comes under pressure. */
export const MEMORY_EVENT = 'memory pressure: ';

export interface HookTrigger {
  kind: HookKind;
  /** What happened, in the event's own words (the part after the state change). */
  reason: string;
  /** The state the event moved the guest to, when it is a state change. */
  state?: string;
}

const TRANSITION = /^(\w+) -> (\w+): ([\s\S]*)$/;
/** Events of an admin ending the guest on purpose through umux (guest-control.ts): the exit that follows is no surprise. */
const ASKED_TO_END = /^(?:kill(?: --hard)?: |(?:halt|reboot|cad) requested$)/;

/** The hook an event text calls for, if any (texts from managed-guest.ts, adopted-guest.ts and this file). */
export function hookTrigger(text: string): HookTrigger | undefined {
  const t = TRANSITION.exec(text);
  if (t) {
    const [, from, to, why] = t as unknown as [string, string, string, string];
    if (to === 'crashed') return { kind: 'panic', reason: why, state: to };
    if (to === 'unresponsive') return { kind: 'hang', reason: why, state: to };
    if ((to === 'exited' || to === 'stale') && from !== 'stopping') return { kind: 'exit', reason: why, state: to };
    return undefined;
  }
  if (text === 'hang notification (watchdog)') return { kind: 'hang', reason: 'the guest sent a hang notification (watchdog)' };
  if (/^restart policy \S+: restarting in \d+ ms$/.test(text)) return { kind: 'restart', reason: text };
  if (text.startsWith('user notification: ')) return { kind: 'notify', reason: text.slice('user notification: '.length) };
  if (text.startsWith(MEMORY_EVENT)) return { kind: 'memory', reason: text.slice(MEMORY_EVENT.length) };
  return undefined;
}

/**
 * Why a config file may not name programs for the server to run: someone other than this server's user (or root)
 * owns it or its directory, or could write to either (a sticky directory such as /tmp aside).
 */
export function untrustedReason(file: string, uid: number): string | undefined {
  for (const p of [file, path.dirname(file)]) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (err) {
      return `cannot stat ${p}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
    }
    if (st.uid !== uid && st.uid !== 0) return `${p} belongs to uid ${st.uid}, not to this server's user (${uid}) or root`;
    const sticky = st.isDirectory() && (st.mode & 0o1000) !== 0;
    if ((st.mode & 0o022) !== 0 && !sticky) {
      return `${p} is writable by ${st.mode & 0o002 ? 'everyone' : 'its group'} (mode ${(st.mode & 0o7777).toString(8)}): chmod go-w ${p}`;
    }
  }
  return undefined;
}

export interface HooksEnv {
  events: EventLog;
  /** The guest by its event-log name, if the server knows it. */
  guest(name: string): Guest | undefined;
  stateDir: string;
  logRoot: string;
  /** The server's environment: server.toml's place, and what hooks inherit. */
  env: NodeJS.ProcessEnv;
  log(line: string): void;
}

export class Hooks implements Disposable {
  private readonly sub: Disposable;
  /** Guests whose hang hook ran and who have not answered since: a second sign of the same hang runs nothing. */
  private readonly hung = new Set<string>();
  /** Guests an admin asked umux to end (kill, halt, reboot, cad) since their last start: their exit runs no hook. */
  private readonly asked = new Set<string>();
  /** guest\0kind of the runs still going: one at a time of each. */
  private readonly running = new Set<string>();
  private memoryWarned = false;
  private lastSettingsProblem = '';
  readonly dir: string;

  constructor(private readonly h: HooksEnv) {
    this.dir = makeDirs(path.join(h.stateDir, 'hooks'), 'hook directory');
    this.sub = h.events.onAdded(({ guest, event }) => this.heard(guest, event));
    this.serverHooks(); // a bad server.toml is in the server log from the start
  }

  /** A host sample: the memory hook runs for each running guest when the memory-file filesystem comes under pressure. */
  hostSample(sample: HostSample, running: readonly Guest[]): void {
    const warning = sample.warnings.find((w) => w.memfile);
    if (!warning) this.memoryWarned = false;
    if (!warning || this.memoryWarned) return;
    this.memoryWarned = true;
    for (const g of running) g.event(`${MEMORY_EVENT}${warning.text}`);
  }

  private heard(guest: string, event: GuestEvent): void {
    const t = TRANSITION.exec(event.text);
    if (t?.[1] === 'unresponsive') this.hung.delete(guest);
    if (t?.[2] === 'starting') this.asked.delete(guest);
    if (ASKED_TO_END.test(event.text)) this.asked.add(guest);
    const trigger = hookTrigger(event.text);
    if (!trigger) return;
    if (trigger.kind === 'exit' && this.asked.has(guest)) return;
    if (trigger.kind === 'hang') {
      if (this.hung.has(guest)) return;
      this.hung.add(guest);
    }
    const found = this.commandFor(guest, trigger.kind);
    if (!found) return;
    const key = `${guest}\0${trigger.kind}`;
    if (this.running.has(key)) {
      this.h.events.add(guest, `hook ${trigger.kind} not run: its previous run has not ended`);
      return;
    }
    this.running.add(key);
    void this.run(guest, event, trigger, found).finally(() => this.running.delete(key));
  }

  /** The guest definition's command for the kind, else server.toml's; with the file it came from. */
  private commandFor(guest: string, kind: HookKind): { argv: string[]; timeoutMs: number; file: string } | undefined {
    const def = this.h.guest(guest)?.managed?.def;
    const own = def?.hooks.commands[kind];
    if (def && own) return { argv: own, timeoutMs: def.hooks.timeoutMs, file: def.file };
    const s = this.serverHooks();
    const argv = s?.hooks.commands[kind];
    return s && argv ? { argv, timeoutMs: s.hooks.timeoutMs, file: s.file } : undefined;
  }

  /** server.toml's hooks, read again each time (an edit counts at once); a problem is logged once. */
  private serverHooks(): { hooks: HookConfig; file: string } | undefined {
    try {
      const s = loadServerSettings(this.h.env);
      this.lastSettingsProblem = '';
      return s;
    } catch (err) {
      const text = err instanceof ConfigError ? err.message : String(err);
      if (text !== this.lastSettingsProblem) this.h.log(`server settings: ${text}; server.toml's hooks do not run until it is fixed`);
      this.lastSettingsProblem = text;
      return undefined;
    }
  }

  private async run(guest: string, event: GuestEvent, trigger: HookTrigger, cmd: { argv: string[]; timeoutMs: number; file: string }): Promise<void> {
    const refused = untrustedReason(cmd.file, process.getuid?.() ?? 0);
    if (refused) {
      this.h.events.add(guest, `hook ${trigger.kind} not run: ${refused}`);
      return;
    }
    const g = this.h.guest(guest);
    let tmp: string | undefined;
    let report: string;
    try {
      tmp = fs.mkdtempSync(path.join(this.dir, 'run-'));
      const tail = path.join(tmp, 'console-tail');
      fs.writeFileSync(tail, this.consoleTail(g), { mode: 0o600, flag: 'wx' });
      const clean = (s: string) => showControls(s.replaceAll('\0', ''));
      const env: NodeJS.ProcessEnv = {
        ...this.h.env,
        UMUX_GUEST: guest,
        UMUX_UMID: g?.umid ?? guest,
        UMUX_EVENT: trigger.kind,
        UMUX_STATE: trigger.state ?? g?.state ?? 'unknown',
        UMUX_REASON: clean(trigger.reason),
        UMUX_EVENT_TEXT: clean(event.text),
        UMUX_AT: event.at,
        UMUX_PID: g?.pid === null || g?.pid === undefined ? '' : String(g.pid),
        UMUX_CONSOLE_TAIL: tail,
      };
      const logFile = path.join(this.dir, `${guest}.${trigger.kind}.log`);
      const outcome = await runHook({ argv: cmd.argv, env, timeoutMs: cmd.timeoutMs, logFile, cwd: this.dir });
      report = outcome.ok ? `ran: ${cmd.argv[0]} ended well in ${outcome.ms} ms` : `failed: ${cmd.argv[0]} ${outcome.why}; its output is in ${logFile}`;
    } catch (err) {
      report = `failed: ${(err as Error).message}`;
    }
    // Removed before the report, so whoever reads the report finds the guest's console text gone.
    try {
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    } catch {
      // the next run makes another
    }
    this.h.events.add(guest, `hook ${trigger.kind} ${report}`);
  }

  /** The last console lines of con0, as plain text (no escape sequences); empty when there is no log. */
  private consoleTail(g: Guest | undefined): string {
    if (!g) return '';
    try {
      return plainText(readLogTailSync(path.join(this.h.logRoot, g.umid), 'con0', TAIL_LINES));
    } catch {
      return '';
    }
  }

  dispose(): void {
    this.sub.dispose();
  }
}
