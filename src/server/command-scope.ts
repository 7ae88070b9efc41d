// The server's side of ServeScope (commands/scopes.ts): what a server command may reach, over the registry, the
// event log, MConsole, the log files and the host sampler. Commands hold GuestRefs; each is looked up again here by
// name, so a command never reaches past what the registry has.

import fs from 'node:fs';
import path from 'node:path';
import type { GuestRef, ServeScope } from '../commands/scopes.js';
import { UmuxError } from '../core/errors.js';
import { readLogTail } from '../consoles/logfile.js';
import type { MconsoleClient } from '../mconsole/client.js';
import type { HostSample } from '../protocol/host-types.js';
import type { EventLog } from './event-log.js';
import { findConsoleLine, findHub, noLogReason } from './console-lookup.js';
import { backupGuest, cleanStale, guestVerb, hotplug, killGuest, unplug } from './guest-control.js';
import type { Guest } from './guest.js';
import { guestRows } from './guest-rows.js';
import type { GuestRegistry } from './registry.js';
import { fitLines, timedLogTail } from './timed-log.js';
import { bootLogReply, bootsReply } from './boots-command.js';

export interface DispatchContext {
  registry: GuestRegistry;
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

/** How often waitRunning looks for a relaunched guest's pid file. */
const RESCAN_MS = 200;

export function commandScope(ctx: DispatchContext): ServeScope {
  const reg = ctx.registry;
  const mc = ctx.mconsole;
  const real = (g: GuestRef): Guest => reg.get(g.name);
  const line = (target: string) => {
    const t = findConsoleLine(reg, target);
    const never = noLogReason(t.guest, t.console);
    if (never && !fs.existsSync(path.join(ctx.logRoot, t.guest.umid, `${t.console}.log`))) throw never;
    return t;
  };
  return {
    guest: (name) => reg.get(name),
    rows: () => guestRows(reg, ctx.events),
    start: async (g, how) => {
      const m = reg.managed(g.name);
      const warning = await m.start(how);
      return { info: m.info(), ...(warning ? { warning } : {}) };
    },
    stop: (g, force) => real(g).stop({ force }),
    relaunch: (g) => {
      const found = real(g).adopted;
      if (!found) throw new UmuxError('usage', `${g.name} has no recorded command line to run again`, { hint: `umux start ${g.name}` });
      found.relaunch();
    },
    waitRunning: async (g, ms) => {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, RESCAN_MS));
        ctx.rescan();
        const now = reg.get(g.name);
        if (now.pid !== null && now.state === 'running') return now.pid;
      }
      return undefined;
    },
    consoleInput: (target) => {
      const { guest, console, hub } = findHub(reg, target);
      return { guest, console, write: (bytes) => hub.writeFromServer(bytes) };
    },
    logTail: (target, lines) => {
      const t = line(target);
      return readLogTail(path.join(ctx.logRoot, t.guest.umid), t.console, lines);
    },
    timedLogTail: (target, lines) => {
      const t = line(target);
      const all = timedLogTail(t.guest, t.console, ctx.logRoot, lines);
      const first = fitLines(all);
      return { lines: all.slice(first), dropped: first };
    },
    events: (g) => ctx.events.list(g.name),
    allEvents: () => ctx.events.listAll(reg.all().map((x) => x.name)),
    boots: (g) => bootsReply(real(g), ctx.logRoot),
    bootLog: (target, boot, lines, times) => {
      const t = line(target);
      return bootLogReply(t.guest, t.console, ctx.logRoot, boot, lines, times);
    },
    verb: (g, verb, letter) => guestVerb(mc, real(g), verb, letter),
    kill: (g, hard) => killGuest(real(g), hard),
    hotplug: (g, spec) => hotplug(mc, real(g), spec),
    unplug: (g, device) => unplug(mc, real(g), device),
    backup: (g, dir, progress) => {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const to = dir !== undefined ? path.resolve(dir) : path.join(ctx.backupRoot, g.name, stamp);
      return backupGuest(mc, real(g), to, progress === undefined ? {} : { progress });
    },
    mconsole: (g, command) => mc.call(real(g).socket, command, { name: g.umid, timeoutMs: 5000 }),
    clean: async (g) => {
      const guest = real(g);
      const r = await cleanStale(mc, guest);
      if (guest.kind === 'adopted') reg.forget(guest.umid); // a managed guest keeps its definition
      return r;
    },
    host: (recent) => ctx.hostSample(recent),
    killServer: () => setImmediate(() => ctx.killServer()),
  };
}
