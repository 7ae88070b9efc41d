// Runs one hook program (server/hooks.ts decides when): detached in its own process group, stdin /dev/null, stdout
// and stderr appended to its log file, no shell of umux's own; past its time SIGTERM to the group, then SIGKILL.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { killGroup } from './process-group.js';

export interface HookRun {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Appended to (created 0600); rotated to LOG.1 past LOG_MAX_BYTES. */
  logFile: string;
  cwd: string;
  /** Between SIGTERM and SIGKILL. */
  graceMs?: number;
}

export type HookOutcome = { ok: true; ms: number } | { ok: false; why: string; ms: number };

const LOG_MAX_BYTES = 1024 * 1024;
const DEFAULT_GRACE_MS = 2000;

function openLog(file: string): number {
  try {
    if (fs.statSync(file).size > LOG_MAX_BYTES) fs.renameSync(file, `${file}.1`);
  } catch {
    // none yet
  }
  return fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o600);
}

/** Signals the hook's group; one gone (or no longer ours) is no error in a timer. */
function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    killGroup(pgid, signal);
  } catch {
    // EPERM: not ours any more
  }
}

/** Runs it to its end (or its cut-off); never rejects: a failure is the outcome. */
export function runHook(run: HookRun): Promise<HookOutcome> {
  const started = Date.now();
  const ms = () => Date.now() - started;
  let log: number;
  try {
    log = openLog(run.logFile);
    fs.writeSync(log, `--- ${new Date().toISOString()} ${JSON.stringify(run.argv)}\n`);
  } catch (err) {
    return Promise.resolve({ ok: false, why: `cannot open its log ${run.logFile}: ${(err as Error).message}`, ms: 0 });
  }
  return new Promise<HookOutcome>((resolve) => {
    let timedOut = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (outcome: HookOutcome) => {
      for (const t of timers) clearTimeout(t);
      fs.closeSync(log);
      resolve(outcome);
    };
    const child = spawn(run.argv[0]!, run.argv.slice(1), { cwd: run.cwd, env: run.env, detached: true, stdio: ['ignore', log, log] });
    child.once('error', (err) => finish({ ok: false, why: `could not be started: ${err.message}`, ms: ms() }));
    const pid = child.pid;
    if (pid === undefined) return; // the error event follows
    timers.push(
      setTimeout(() => {
        timedOut = true;
        signalGroup(pid, 'SIGTERM');
        // Not cleared when the leader exits: what else of the group ignored SIGTERM goes too.
        setTimeout(() => signalGroup(pid, 'SIGKILL'), run.graceMs ?? DEFAULT_GRACE_MS).unref();
      }, run.timeoutMs).unref(),
    );
    child.once('exit', (code, signal) => {
      if (timedOut) return finish({ ok: false, why: `cut off after ${run.timeoutMs} ms (SIGTERM to its process group${signal === 'SIGKILL' ? ', then SIGKILL' : ''})`, ms: ms() });
      if (code === 0) return finish({ ok: true, ms: ms() });
      finish({ ok: false, why: signal ? `killed by ${signal}` : `exit code ${code}`, ms: ms() });
    });
  });
}
