// A guest's boots (issue 15 item 3): how each began and ended, the marker line that starts a boot's section in each
// console log, and the records of the guest's boot book (LOGDIR/UMID/boots). Pure: strings in, strings out.

/** How a boot began: the command, the server's own start, or a guest umux found already running. */
export type BootStart = 'umux start' | 'autostart' | 'umux restart' | 'restart policy' | 'reboot' | 'found running' | 'adopted' | 'relaunch';

export const BOOT_STARTS: readonly BootStart[] = ['umux start', 'autostart', 'umux restart', 'restart policy', 'reboot', 'found running', 'adopted', 'relaunch'];

/**
 * How a boot ended: halt (the guest powered off by itself, exit 0), stopped by umux, a panic, a signal, an exit
 * code, a reboot (UML boots again in the same process), or unknown.
 */
export type BootEndKind = 'halt' | 'stopped' | 'panic' | 'killed' | 'exited' | 'reboot' | 'unknown';

export interface BootEnd {
  kind: BootEndKind;
  /** The panic text, the signal, the exit code, or why it is unknown. Guest text: escape it where it is shown. */
  detail: string;
  /** Epoch ms; null when nobody saw it end (the server was away). */
  at: number | null;
}

/** Where a boot's marker line starts in one console's log: the file (by inode) and the byte offset in it. */
export interface LogPlace {
  ino: number;
  offset: number;
}

/**
 * One line of the boot book: a boot began; a console of the boot that began last got its marker later (an adopted
 * guest's lines are held a moment after it is found); or that boot ended.
 */
export type BootRecord =
  | { t: 'start'; at: number; how: BootStart; pid: number | null; logs: Record<string, LogPlace> }
  | { t: 'mark'; console: string; place: LogPlace }
  | ({ t: 'end' } & BootEnd);

/** One boot as `umux boots` lists it. */
export interface BootInfo {
  /** 1 for the first boot the book keeps. */
  n: number;
  /** 0 for the current (or last) boot, -1 for the one before. */
  rel: number;
  at: number;
  how: BootStart;
  pid: number | null;
  /** null: still running. */
  end: BootEnd | null;
  logs: Record<string, LogPlace>;
}

/** The longest panic or detail text kept in a marker or record. */
const DETAIL_MAX = 300;

/** Guest text for one line: controls and line ends become spaces, cut to DETAIL_MAX (markers stay one line). */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]+/g, ' ').trim();
  return flat.length > DETAIL_MAX ? `${flat.slice(0, DETAIL_MAX - 1)}…` : flat;
}

/** `kernel panic: VFS: Unable to mount root fs`, `killed (SIGKILL)`, `clean halt (exit code 0)`, … */
export function describeEnd(end: BootEnd | null): string {
  if (end === null) return 'running';
  const d = end.detail ? oneLine(end.detail) : '';
  switch (end.kind) {
    case 'panic':
      return d ? `kernel panic: ${d}` : 'kernel panic';
    case 'halt':
      return `clean halt${d ? ` (${d})` : ''}`;
    case 'stopped':
      return `stopped by umux${d ? ` (${d})` : ''}`;
    case 'killed':
      return `killed${d ? ` (${d})` : ''}`;
    case 'exited':
      return `exited${d ? ` (${d})` : ''}`;
    case 'reboot':
      return 'rebooted';
    case 'unknown':
      return `unknown${d ? ` (${d})` : ''}`;
  }
}

/** How a UML process's exit reads as the end of its boot. `stopped`: umux's stop ladder ended it. */
export function endFromExit(exit: { code: number | null; signal: string | null }, panic: string | null, stopped: boolean, at: number): BootEnd {
  const how = exit.signal ? exit.signal : exit.code === null ? '' : `exit code ${exit.code}`;
  if (panic !== null || exit.signal === 'SIGABRT' || exit.code === 134) return { kind: 'panic', detail: panic ?? '', at };
  if (stopped) return { kind: 'stopped', detail: how, at };
  if (exit.signal) return { kind: 'killed', detail: exit.signal, at };
  if (exit.code === 0) return { kind: 'halt', detail: how, at };
  if (exit.code !== null) return { kind: 'exited', detail: how, at };
  return { kind: 'unknown', detail: 'the process was gone; its exit status could not be read', at };
}

/** Text after `[umux ISO] ` that starts every boot marker. */
export const BOOT_MARKER_WORD = 'boot:';

/** The marker's text (ConsoleLog.appendMarker adds `[umux ISO] `): `boot: started by umux start (pid 1234); ...`. */
export function bootMarkerText(how: BootStart, pid: number | null, previous: BootEnd | null | undefined): string {
  const prev = previous === undefined ? 'none kept' : describeEnd(previous);
  return `${BOOT_MARKER_WORD} started by ${how}${pid !== null ? ` (pid ${pid})` : ''}; previous boot: ${prev}`;
}

const MARKER_LINE = /^\[umux (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\] boot: started by ([a-z ]+?)(?: \(pid (\d+)\))?; previous boot: (.*)$/;

/** A boot marker line read back (from a log or a scrollback line); undefined for any other line. */
export function parseBootMarker(line: string): { at: number; how: string; pid: number | null; previous: string } | undefined {
  const m = MARKER_LINE.exec(line.replace(/\r?\n?$/, ''));
  if (!m) return undefined;
  return { at: Date.parse(m[1]!), how: m[2]!, pid: m[3] === undefined ? null : Number(m[3]), previous: m[4]! };
}

const MARKER_START = /^\[umux [0-9TZ:-]{20}\] boot: started by /;

/** True when `line` is a boot marker (cheaper than parsing it). */
export function isBootMarker(line: string): boolean {
  return MARKER_START.test(line);
}

export function formatBootRecord(r: BootRecord): string {
  return `${JSON.stringify(r)}\n`;
}

function isPlace(v: unknown): v is LogPlace {
  const p = v as LogPlace;
  return typeof p === 'object' && p !== null && Number.isSafeInteger(p.ino) && Number.isSafeInteger(p.offset) && p.offset >= 0;
}

/** One line of the book, checked; undefined for anything malformed (a torn last line after a crash). */
export function parseBootRecord(line: string): BootRecord | undefined {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  if (v['t'] === 'mark') {
    return typeof v['console'] === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v['console']) && isPlace(v['place']) ? { t: 'mark', console: v['console'], place: v['place'] } : undefined;
  }
  if (typeof v['at'] !== 'number' && v['at'] !== null) return undefined;
  if (v['t'] === 'start') {
    const logs = v['logs'];
    if (typeof v['at'] !== 'number' || !BOOT_STARTS.includes(v['how'] as BootStart) || (v['pid'] !== null && !Number.isSafeInteger(v['pid']))) return undefined;
    if (typeof logs !== 'object' || logs === null || !Object.values(logs).every(isPlace)) return undefined;
    return { t: 'start', at: v['at'], how: v['how'] as BootStart, pid: v['pid'] as number | null, logs: logs as Record<string, LogPlace> };
  }
  if (v['t'] === 'end') {
    const kinds: BootEndKind[] = ['halt', 'stopped', 'panic', 'killed', 'exited', 'reboot', 'unknown'];
    if (!kinds.includes(v['kind'] as BootEndKind) || typeof v['detail'] !== 'string') return undefined;
    return { t: 'end', kind: v['kind'] as BootEndKind, detail: v['detail'], at: v['at'] as number | null };
  }
  return undefined;
}

/** The book's lines (oldest first) as boots: an end belongs to the start before it; a second end is ignored. */
export function bootsFromRecords(records: readonly BootRecord[]): BootInfo[] {
  const out: Omit<BootInfo, 'n' | 'rel'>[] = [];
  for (const r of records) {
    if (r.t === 'start') out.push({ at: r.at, how: r.how, pid: r.pid, end: null, logs: { ...r.logs } });
    else if (r.t === 'mark') {
      const last = out.at(-1);
      if (last && last.end === null) last.logs[r.console] ??= r.place;
    } else {
      const last = out.at(-1);
      if (last && last.end === null) last.end = { kind: r.kind, detail: r.detail, at: r.at };
    }
  }
  // A boot followed by another without an end was never seen to end (the server was away): unknown.
  for (let i = 0; i < out.length - 1; i++) out[i]!.end ??= { kind: 'unknown', detail: 'umux did not see it end', at: null };
  return out.map((b, i) => ({ ...b, n: i + 1, rel: i - (out.length - 1) }));
}

/**
 * Which boot `--boot N` names among `count` kept boots: 0 the last, -1 the one before, 1 the first kept; the index
 * (0-based, oldest first), or an error text saying how many there are.
 */
export function pickBoot(n: number, count: number): number | string {
  const kept = count === 1 ? '1 boot is kept' : `${count} boots are kept`;
  if (count === 0) return 'no boots are recorded for it yet';
  if (n <= 0 && -n < count) return count - 1 + n;
  if (n > 0 && n <= count) return n - 1;
  const range = count === 1 ? 'give 0 or 1' : `give 1 to ${count}, or 0 to -${count - 1}`;
  return `there is no boot ${n}: ${kept} (${range})`;
}
