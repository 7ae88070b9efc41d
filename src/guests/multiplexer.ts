// Which screen session or tmux pane holds a guest's stdio console (con0=fd:0,fd:1 on a /dev/pts/N): found from the
// process tree, never from what the guest says. The guest's ancestors lead to the SCREEN process or the tmux server;
// the process right below it (the window's or pane's first process, exec'd by the multiplexer) carries STY/WINDOW or
// TMUX/TMUX_PANE in the environment the multiplexer gave it, and must have the same pts as the guest.

import fs from 'node:fs';
import path from 'node:path';
import { isPaneId } from '../protocol/tmux-control.js';
import { fdTarget } from './discover.js';
import { procInfo } from './proc-info.js';
import { processName } from './process-group.js';

interface HoldBase {
  /** The SCREEN process or the tmux server. */
  holderPid: number;
  /** Its owner: umux talks to the session as this user. */
  uid: number;
  /** The guest's terminal, /dev/pts/N. */
  tty: string;
}

export interface ScreenHold extends HoldBase {
  kind: 'screen';
  /** `PID.NAME`, as `screen -ls` shows it. */
  session: string;
  /** The window number inside the session. */
  window: string;
  /** The session's socket directory (screen's SCREENDIR). */
  socketDir: string;
}

export interface TmuxHold extends HoldBase {
  kind: 'tmux';
  /** The server's socket (tmux -S). */
  socket: string;
  /** The pane, `%N`. */
  pane: string;
}

export type MultiplexerHold = ScreenHold | TmuxHold;

const MAX_DEPTH = 16;

function environ(pid: number): Map<string, string> {
  const env = new Map<string, string>();
  try {
    for (const entry of fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0')) {
      const at = entry.indexOf('=');
      if (at > 0) env.set(entry.slice(0, at), entry.slice(at + 1));
    }
  } catch {
    // gone, or another user's process and we are not root
  }
  return env;
}

/** Paths of the unix sockets process `pid` holds (/proc/net/unix matched against its fds). */
export function socketPathsOf(pid: number): string[] {
  const inodes = new Set<string>();
  try {
    for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
      const m = /^socket:\[(\d+)\]$/.exec(fdTarget(pid, Number(fd)) ?? '');
      if (m) inodes.add(m[1]!);
    }
  } catch {
    return [];
  }
  const paths: string[] = [];
  try {
    for (const line of fs.readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length >= 8 && inodes.has(f[6]!) && f[7]!.startsWith('/')) paths.push(f.slice(7).join(' '));
    }
  } catch {
    return [];
  }
  return paths;
}

/**
 * The screen session or tmux pane whose terminal is the guest's fd `fd`, or undefined when none is (a file, a pipe,
 * a terminal of something else). `why` says what was found instead, for the console's note.
 */
export function findMultiplexer(guestPid: number, fd: number): { hold?: MultiplexerHold; why?: string } {
  const tty = fdTarget(guestPid, fd);
  if (!tty || !/^\/dev\/pts\/\d+$/.test(tty)) return {};
  let child = guestPid;
  let pid = procInfo(guestPid)?.ppid ?? 0;
  for (let depth = 0; pid > 1 && depth < MAX_DEPTH; depth++) {
    const comm = processName(pid) ?? '';
    if (/^screen$/i.test(comm)) return screenHold(pid, child, tty);
    if (/^tmux/.test(comm)) return tmuxHold(pid, child, tty);
    child = pid;
    pid = procInfo(pid)?.ppid ?? 0;
  }
  return {};
}

function sameTty(pid: number, tty: string): boolean {
  return [0, 1, 2].some((fd) => fdTarget(pid, fd) === tty);
}

function screenHold(holderPid: number, first: number, tty: string): { hold?: MultiplexerHold; why?: string } {
  const env = environ(first);
  const session = env.get('STY');
  const window = env.get('WINDOW');
  const uid = procInfo(holderPid)?.uid ?? -1;
  if (!session || window === undefined) return { why: `screen (pid ${holderPid}) holds it, but umux cannot read the session name (run umux as root or as the session's owner)` };
  // The session name must be this SCREEN's (PID.NAME), and the window's first process must sit on the guest's tty.
  if (!session.startsWith(`${holderPid}.`) || !/^\d{1,4}$/.test(window) || !sameTty(first, tty)) {
    return { why: `screen (pid ${holderPid}) holds it, but its window's environment does not match (STY=${session}): not shown` };
  }
  const socket = socketPathsOf(holderPid).find((p) => path.basename(p) === session);
  if (!socket) return { why: `screen session ${session} (pid ${holderPid}) has no socket umux can find` };
  return { hold: { kind: 'screen', holderPid, uid, tty, session, window, socketDir: path.dirname(socket) } };
}

function tmuxHold(holderPid: number, first: number, tty: string): { hold?: MultiplexerHold; why?: string } {
  const env = environ(first);
  const pane = env.get('TMUX_PANE') ?? '';
  const [socket, serverPid] = (env.get('TMUX') ?? '').split(',');
  const uid = procInfo(holderPid)?.uid ?? -1;
  if (!isPaneId(pane) || !socket) return { why: `tmux (pid ${holderPid}) holds it, but umux cannot read the pane (run umux as root or as the server's owner)` };
  if (Number(serverPid) !== holderPid || !sameTty(first, tty) || !socketPathsOf(holderPid).includes(socket)) {
    return { why: `tmux (pid ${holderPid}) holds it, but its pane's environment does not match (TMUX=${socket}): not shown` };
  }
  return { hold: { kind: 'tmux', holderPid, uid, tty, socket, pane } };
}
