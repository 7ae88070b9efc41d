// What a command's behaviour may reach, as interfaces (this folder does no I/O): the server implements ServeScope
// (server/command-scope.ts), the CLI ClientScope (main.ts), the TUI TuiScope and its own ClientScope (tui/).

import type { GuestState } from '../protocol/guest-state.js';
import type { GuestInfo, GuestListWire } from '../protocol/wire-messages.js';
import type { HostSample } from '../protocol/host-types.js';
import type { ProgressWire } from '../protocol/progress.js';
import type { ParsedCommand, Reply } from './types.js';
import type { BootStart } from '../protocol/boot-marker.js';

/** A guest as a command sees it (the server's guests are these and more). */
export interface GuestRef {
  readonly name: string;
  readonly umid: string;
  readonly kind: 'managed' | 'adopted';
  readonly state: GuestState;
  readonly pid: number | null;
}

/** A console a command writes to: `send`. */
export interface ConsoleInput {
  guest: GuestRef;
  console: string;
  /** Queues bytes for the guest; false when over 1 MiB of typing already waits (nothing queued). */
  write(bytes: Uint8Array): boolean;
}

/** `umux boots NAME` as data: each boot with both its numbers, times as ISO text, its end in words too. */
export interface BootsData {
  guest: string;
  boots: Array<{
    n: number;
    rel: number;
    at: string;
    how: string;
    pid: number | null;
    end: { kind: string; detail: string; at: string | null; text: string } | null;
    consoles: string[];
  }>;
}

export interface TimedLogLine {
  at: number | null;
  text: string;
}

export interface ServeScope {
  /** The guest called NAME; throws not-found (with close names) otherwise. */
  guest(name: string): GuestRef;
  /** Guest rows as `ls` and subscribers see them. */
  rows(): GuestListWire;
  /**
   * Boots a guest from its definition (refused, with the way, for a guest umux only found running); `how` goes into
   * its boot marker (default umux start).
   */
  start(g: GuestRef, how?: BootStart): Promise<{ info: GuestInfo; warning?: string }>;
  /** The stop ladder (cad, halt, SIGTERM, SIGKILL), or SIGKILL at once with force; the steps taken. */
  stop(g: GuestRef, force: boolean): Promise<string[]>;
  /** Runs a found guest's recorded command line again; then waitRunning sees the new process. */
  relaunch(g: GuestRef): void;
  /** Looks for the guest's new process until it runs or `ms` pass; its pid, or undefined. */
  waitRunning(g: GuestRef, ms: number): Promise<number | undefined>;
  /** A console umux holds for typing (NAME[:CONSOLE]); throws with the reason when there is none. */
  consoleInput(target: string): ConsoleInput;
  /** The last `lines` lines of a console's log (NAME[:CONSOLE]), as the file has them. */
  logTail(target: string, lines: number): Promise<string>;
  /** The same with the time each line arrived, cut to what one reply holds (`dropped`: lines left out). */
  timedLogTail(target: string, lines: number): { lines: TimedLogLine[]; dropped: number };
  events(g: GuestRef): Array<{ at: string; text: string }>;
  /** Every guest's events in time order, each with its guest's name (`umux events` without NAME). */
  allEvents(): Array<{ guest: string; at: string; text: string }>;
  /** The guest's boots the server keeps a record of, oldest first (`umux boots`). */
  boots(g: GuestRef): BootsData;
  /** One boot's last `lines` lines of a console's log (NAME[:CONSOLE]); `boot` as `umux log --boot` takes it. */
  bootLog(target: string, boot: number, lines: number, times: boolean): Reply;
  /** An MConsole verb through umux's checks and event log: cad, halt, reboot, pause, go, sysrq LETTER. */
  verb(g: GuestRef, verb: 'cad' | 'halt' | 'reboot' | 'pause' | 'go' | 'sysrq', letter?: string): Promise<Reply>;
  kill(g: GuestRef, hard: boolean): Promise<Reply>;
  hotplug(g: GuestRef, spec: string): Promise<Reply>;
  unplug(g: GuestRef, device: string): Promise<Reply>;
  /** Copies the guest's disks into `dir` (default: the state directory's backups/NAME/TIME). */
  backup(g: GuestRef, dir: string | undefined, progress?: (p: ProgressWire) => void): Promise<Reply>;
  /** One MConsole request, as sent (checked by the caller); the guest's reply. */
  mconsole(g: GuestRef, command: string): Promise<{ ok: boolean; text: string }>;
  /** Removes what a dead guest left; a found guest is forgotten, a defined one keeps its definition. */
  clean(g: GuestRef): Promise<Reply>;
  /** A fresh host sample, or with `recent` the latest periodic one, and the history kept for graphs. */
  host(recent: boolean): { sample: HostSample; history: HostSample[] };
  /** Stops the server after this reply has gone. */
  killServer(): void;
}

/** What a command run by a client has: output, and the sessions it may open (loaded when used). */
export interface ClientScope {
  /** True when the command should print one JSON document (--json). */
  readonly json: boolean;
  /** Prints text for people (controls shown visibly), or with --json `data` (default { text }) as one document. */
  out(text: string, data?: unknown): void;
  /** `umux help` for no name, or one command's help. */
  help(name?: string): string;
  readonly version: string;
  /** The full-screen view; `host`: that one host beside the local one instead of every host of hosts.toml. */
  tui(opts: { readOnly: boolean; host?: string }): Promise<number>;
  attach(parsed: ParsedCommand): Promise<number>;
  log(parsed: ParsedCommand): Promise<number>;
  /** The server in the foreground, or with `stdio` a bridge from stdin/stdout to it. */
  server(opts: { stdio: boolean; start: boolean }): Promise<number>;
  demo(parsed: ParsedCommand): Promise<number>;
  mconsole(parsed: ParsedCommand): Promise<number>;
  /** `wait`, `run`, `login`: a script driving a console over a session of its own (cli/drive-commands.ts). */
  drive(parsed: ParsedCommand): Promise<number>;
}

/** The TUI's own actions, which its commands run (tui/ implements it). */
export interface TuiScope {
  /** Focus the guest `step` places down (1) or up (-1) the sidebar in the focused pane. */
  moveGuest(step: 1 | -1): Promise<void>;
  nextConsole(): Promise<void>;
  split(): Promise<void>;
  closePane(): void;
  zoom(): void;
  nextPane(): void;
  scrollback(search: boolean): Promise<void>;
  toggleGauges(): void;
  recover(): Promise<void>;
  hotplug(): Promise<void>;
  /** Reads a command line at `:` and runs it. */
  commandPrompt(): Promise<void>;
  nextTheme(): void;
  detach(): void;
  /** Filters the sidebar: to `text`, or as the admin types it when undefined. */
  filter(text: string | undefined): Promise<void>;
  /** Shows the guest `name` names in the focused pane; asks for it when undefined. */
  goto(name: string | undefined): Promise<void>;
  /** Groups the sidebar by `by` (none, state, owner, dir), or by the next grouping when undefined. */
  group(by: string | undefined): void;
}
