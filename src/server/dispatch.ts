// The server's half of the command table: argv re-parsed with the same specs the CLI used (the server is
// authoritative, as tmux's is), the target guest resolved once, then the command run.

import { findConsoleLine, findHub, noLogReason } from './console-lookup.js';
import { MconsoleError, UmuxError } from '../core/errors.js';
import { intOption, parseArgs } from '../commands/parse.js';
import { findCommand, MAX_LOG_LINES } from '../commands/table.js';
import type { GuestRegistry } from './registry.js';
import type { EventLog } from './event-log.js';
import { guestRows } from './guest-rows.js';
import fs from 'node:fs';
import path from 'node:path';
import { readLogTail } from '../consoles/logfile.js';
import type { HostSample } from '../protocol/host-types.js';
import type { MconsoleClient } from '../mconsole/client.js';
import type { AdoptedGuest } from './adopted-guest.js';
import { checkCommand } from '../protocol/mconsole-verbs.js';
import { formatReply } from '../protocol/mconsole-format.js';
import { backupGuest, cleanStale, guestVerb, hotplug, killGuest, unplug } from './guest-control.js';
import { stampLines, toWireLines, type LogTimesReply } from '../protocol/log-times.js';
import { fitLines, timedLogTail } from './timed-log.js';
import type { ProgressWire } from '../protocol/progress.js';

export interface DispatchContext {
  registry: GuestRegistry;
  /** A fresh host sample and the history kept for graphs. */
  /** A fresh sample, or with `recent` the latest periodic one (sampling many guests takes ~100 ms, blocking). */
  hostSample(recent?: boolean): { sample: HostSample; history: HostSample[] };
  logRoot: string;
  events: EventLog;
  mconsole: MconsoleClient;
  /** Where `backup` puts copies unless told otherwise. */
  backupRoot: string;
  /** Looks for new guests in the uml_dirs at once (after a relaunch). */
  rescan(): void;
  killServer(): void;
}

/** A dangerous command the client did not confirm: refused with the question it should have asked. */
function requireYes(question: string | undefined, yes: boolean, argv: string[]): void {
  if (question === undefined || yes) return;
  throw new UmuxError('usage', `not confirmed: ${question}`, { hint: `umux ${argv.join(' ')} --yes` });
}

async function restartAdopted(ctx: DispatchContext, g: AdoptedGuest, force: boolean): Promise<{ data: unknown; text: string }> {
  const steps = g.pid === null ? ['not running'] : await g.stop({ force });
  g.relaunch();
  // The new process writes its pid file once it is up; the scan adopts it.
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    ctx.rescan();
    const now = ctx.registry.get(g.umid);
    if (now.pid !== null && now.state === 'running') return { data: { steps, pid: now.pid }, text: `${g.name}: restarted from its recorded command line, pid ${now.pid}` };
  }
  throw new UmuxError('timeout', `${g.name} was relaunched but did not come up in 20 s`, { hint: `umux events ${g.name}; its output is in the log directory (relaunch.out)` });
}

/** Runs one command line; `progress` hears long work (a backup's copies), at most every PROGRESS_MIN_MS. */
export async function dispatch(ctx: DispatchContext, argv: string[], progress?: (p: ProgressWire) => void): Promise<{ data: unknown; text?: string }> {
  const [name, ...rest] = argv;
  const spec = name === undefined ? undefined : findCommand(name);
  // `log` is a client command (it may follow the stream), but its tail comes from the server's log files.
  if (!spec || (spec.runsIn !== 'server' && spec.name !== 'log')) {
    throw new UmuxError('usage', `the server does not run "${name ?? ''}"`, { hint: 'umux help lists the commands' });
  }
  const parsed = parseArgs(spec, rest);
  const reg = ctx.registry;
  reg.reload();
  requireYes(spec.confirm?.(parsed.args), parsed.options['yes'] === true, argv);
  const mc = ctx.mconsole;
  switch (spec.name) {
    case 'ls':
      return { data: guestRows(reg, ctx.events) };
    case 'start': {
      const g = reg.managed(parsed.args[0]!);
      const warning = await g.start();
      return { data: { ...g.info(), ...(warning ? { warning } : {}) }, text: `${g.name}: running, pid ${g.pid}${warning ? `\nwarning: ${warning}` : ''}` };
    }
    case 'stop': {
      const g = reg.get(parsed.args[0]!);
      const steps = await g.stop({ force: parsed.options['force'] === true });
      return { data: { steps }, text: `${g.name}: ${g.state}\n${steps.map((s) => `  ${s}`).join('\n')}` };
    }
    case 'restart': {
      const any = reg.get(parsed.args[0]!);
      if (any.adopted) return restartAdopted(ctx, any.adopted, parsed.options['force'] === true);
      const g = reg.managed(any.name);
      const steps = await g.stop({ force: parsed.options['force'] === true });
      const warning = await g.start();
      return { data: { steps, ...(warning ? { warning } : {}) }, text: `${g.name}: restarted, pid ${g.pid}${warning ? `\nwarning: ${warning}` : ''}` };
    }
    case 'send': {
      const { guest: g, console, hub } = findHub(reg, parsed.args[0]!);
      const text = parsed.args.slice(1).join(' ') + (parsed.options['no-enter'] === true ? '' : '\r');
      if (!hub.writeFromServer(new TextEncoder().encode(text))) {
        throw new UmuxError('busy', `${g.name}:${console} is not reading its console (over 1 MiB of typing waits): nothing sent`, { hint: `is it paused? umux go ${g.name}` });
      }
      return { data: { bytes: Buffer.byteLength(text) } };
    }
    case 'events': {
      if (parsed.args.length === 0) return { data: ctx.events.listAll(reg.all().map((x) => x.name)) };
      const g = reg.get(parsed.args[0]!);
      return { data: ctx.events.list(g.name) };
    }
    case 'log': {
      const target = findConsoleLine(reg, parsed.args[0]!);
      const g = target.guest;
      const lines = intOption(parsed, 'lines', 50, 0, MAX_LOG_LINES);
      const never = noLogReason(g, target.console);
      if (never && !fs.existsSync(path.join(ctx.logRoot, g.umid, `${target.console}.log`))) throw never;
      if (parsed.options['times'] !== true) return { data: null, text: await readLogTail(path.join(ctx.logRoot, g.umid), target.console, lines) };
      const all = timedLogTail(g, target.console, ctx.logRoot, lines);
      const first = fitLines(all);
      const timed = all.slice(first);
      const data: LogTimesReply = { lines: toWireLines(timed), ...(first > 0 ? { dropped: first } : {}) };
      return { data, text: stampLines(timed) };
    }
    case 'cad':
    case 'halt':
    case 'reboot':
    case 'pause':
    case 'go':
      return guestVerb(mc, reg.get(parsed.args[0]!), spec.name);
    case 'sysrq':
      return guestVerb(mc, reg.get(parsed.args[0]!), 'sysrq', parsed.args[1]);
    case 'kill':
      return killGuest(reg.get(parsed.args[0]!), parsed.options['hard'] === true);
    case 'config':
      return hotplug(mc, reg.get(parsed.args[0]!), parsed.args[1]!);
    case 'remove':
      return unplug(mc, reg.get(parsed.args[0]!), parsed.args[1]!);
    case 'backup': {
      const g = reg.get(parsed.args[0]!);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const to = typeof parsed.options['to'] === 'string' ? path.resolve(parsed.options['to']) : path.join(ctx.backupRoot, g.name, stamp);
      return backupGuest(mc, g, to, progress === undefined ? {} : { progress });
    }
    case 'mc': {
      const g = reg.get(parsed.args[0]!);
      const command = parsed.args.slice(1).join(' ');
      const check = checkCommand(command);
      if (!check.ok) throw new MconsoleError(check.code, check.message, { hint: check.hint, verb: parsed.args[1] });
      if (g.pid === null) throw new UmuxError('not-running', `${g.name} is ${g.state}: no MConsole to talk to`);
      const reply = await mc.call(g.socket, command, { name: g.umid, timeoutMs: 5000 });
      if (!reply.ok) throw new UmuxError('guest-error', `ERR ${reply.text}`);
      return { data: { ok: true, text: reply.text }, text: formatReply(reply).trimEnd() };
    }
    case 'clean': {
      const g = reg.get(parsed.args[0]!);
      const r = await cleanStale(mc, g);
      if (g.kind === 'adopted') reg.forget(g.name); // a managed guest keeps its definition
      return r;
    }
    case 'host':
      return { data: ctx.hostSample(parsed.options['recent'] === true) };
    case 'kill-server':
      setImmediate(() => ctx.killServer());
      return { data: null, text: 'umux server stopping; guests keep running' };
    default:
      throw new UmuxError('usage', `the server has no handler for "${spec.name}"`);
  }
}
