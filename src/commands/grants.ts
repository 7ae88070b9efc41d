// What a hosting customer may do (issue 17): the grants of the policy file that name them, and the one decision the
// server asks of them for every request, attach and log follow of a customer connection (server-client.ts). Pure:
// the server supplies the guests and their owners; a guest the customer may not see is answered as one that does
// not exist, so nothing says whether it does.

import { UmuxError } from '../core/errors.js';
import { terminalJson } from '../core/terminal-text.js';
import { parseArgs } from './parse.js';
import { findCommand } from './table.js';

export type ConsoleRight = 'read-write' | 'read-only' | 'none';

/** A command a grant allows: its word, and when the policy wrote more words (`sysrq s`), exactly those arguments. */
export interface CommandGrant {
  name: string;
  args?: readonly string[];
}

/** One `[[grant]]` of the policy file. */
export interface Grant {
  users: readonly string[];
  groups: readonly string[];
  guests: readonly string[];
  /** Also the guests whose definition runs them as the customer (`user =`). */
  owned: boolean;
  console: ConsoleRight;
  commands: readonly CommandGrant[];
}

/** Commands a grant may name: each acts on one guest and takes no host path from the customer. */
export const GRANTABLE = ['start', 'stop', 'restart', 'cad', 'halt', 'reboot', 'sysrq', 'pause', 'go', 'kill', 'backup', 'mc'] as const;
/** Commands every customer has on the guests they see: they only look. */
const LOOKING = ['ls', 'events', 'boots'];
/** Options a customer never gives: a host path of their choosing (backup --to). */
const ADMIN_OPTIONS = ['to'];
/** Longest argv and word a customer may send (the wire allows more; a customer has no use for it). */
export const MAX_CUSTOMER_WORDS = 16;
export const MAX_CUSTOMER_WORD = 256;

/** Why `word` cannot be granted, or undefined when it can (policy reading, config/hosting-policy.ts). */
export function grantWordProblem(line: string): string | undefined {
  const [name, ...args] = line.trim().split(/\s+/);
  if (name === undefined || name === '') return 'an empty command';
  if (!(GRANTABLE as readonly string[]).includes(name)) return `"${name}" is not a command a customer may be given`;
  if (name === 'mc' && args.length === 0) return '"mc" needs its MConsole command written out (such as "mc version"): a bare mc would allow every verb';
  if (args.some((a) => a.startsWith('-'))) return `"${line}": options are not granted, only arguments`;
  return undefined;
}

export interface SeenGuest {
  name: string;
  /** Host user the guest runs as (uid). */
  ownerUid?: number;
}

/** A customer's word in a refusal: quoted, cut to 64 characters, every control character escaped (one line, inert). */
function quoted(text: string): string {
  return terminalJson(text.length > 64 ? `${text.slice(0, 64)}…` : text, 0);
}

const ASK = "ask the host's admin to add it to the hosting policy";

/** The one-line refusal: what was asked, that the policy does not allow it, and what to do. */
export function policyRefusal(what: string): UmuxError {
  return new UmuxError('permission', `${what}: the hosting policy does not allow it`, { hint: ASK });
}

/** What one customer's grants allow them (rebuilt whenever the policy changes). */
export class CustomerAccess {
  constructor(
    readonly user: string,
    readonly uid: number,
    /** Grants naming the user or one of their groups. */
    readonly grants: readonly Grant[],
  ) {}

  private grantsFor(g: SeenGuest): Grant[] {
    return this.grants.filter((x) => x.guests.includes(g.name) || (x.owned && g.ownerUid === this.uid));
  }

  canSee(g: SeenGuest): boolean {
    return this.grantsFor(g).length > 0;
  }

  consoleRight(g: SeenGuest): ConsoleRight {
    const rights = this.grantsFor(g).map((x) => x.console);
    if (rights.includes('read-write')) return 'read-write';
    return rights.includes('read-only') ? 'read-only' : 'none';
  }

  /** The same answer for a guest that does not exist and one this customer may not see. */
  noSuchGuest(name: string, visible: readonly SeenGuest[]): UmuxError {
    const mine = visible.filter((g) => this.canSee(g)).map((g) => g.name);
    return new UmuxError('no-such-guest', `can't find guest: ${quoted(name)}`, {
      hint: mine.length ? `your guests: ${mine.join(', ')}` : `you have no guests here: ${ASK}`,
    });
  }

  /** A guest target of a customer (NAME or NAME:CONSOLE) looked up among `guests`: found and seen, or refused. */
  seenGuest(target: string, guests: readonly SeenGuest[], find: (name: string) => SeenGuest | undefined): SeenGuest {
    const name = target.split(':')[0] ?? '';
    const g = find(name);
    if (!g || !this.canSee(g)) throw this.noSuchGuest(name, guests);
    return g;
  }

  /** Why this customer may not run argv, or undefined when they may; `find` resolves a name as the server does. */
  requestRefusal(argv: readonly string[], guests: readonly SeenGuest[], find: (name: string) => SeenGuest | undefined): UmuxError | undefined {
    if (argv.length > MAX_CUSTOMER_WORDS || argv.some((w) => w.length > MAX_CUSTOMER_WORD)) {
      return new UmuxError('too-long', `a request of ${argv.length} words (longest ${Math.max(0, ...argv.map((w) => w.length))} characters): customers send at most ${MAX_CUSTOMER_WORDS} words of ${MAX_CUSTOMER_WORD}`, { hint: 'umux help lists the commands' });
    }
    const [word = '', ...rest] = argv;
    const spec = findCommand(word);
    if (!spec || (spec.runsIn === 'server' && !LOOKING.includes(word) && !(GRANTABLE as readonly string[]).includes(word) && word !== 'send') || (spec.runsIn !== 'server' && word !== 'log')) {
      return policyRefusal(quoted(word));
    }
    let parsed;
    try {
      parsed = parseArgs(spec, rest);
    } catch (err) {
      return err as UmuxError;
    }
    const admin = ADMIN_OPTIONS.find((o) => parsed.options[o] !== undefined);
    if (admin !== undefined) return policyRefusal(`"${word} --${admin}" (a host path of your choosing)`);
    if (word === 'ls' || (word === 'events' && parsed.args.length === 0)) return undefined; // filtered by the server
    let guest: SeenGuest;
    try {
      guest = this.seenGuest(parsed.args[0] ?? '', guests, find);
    } catch (err) {
      return err as UmuxError;
    }
    if (LOOKING.includes(word)) return undefined;
    if (word === 'send' || word === 'log') return this.consoleRefusal(guest, word === 'send');
    const args = parsed.args.slice(1);
    const allowed = this.grantsFor(guest).some((x) => x.commands.some((c) => c.name === word && (c.args === undefined || sameWords(c.args, args))));
    return allowed ? undefined : policyRefusal(quoted([word, guest.name, ...args].join(' ')));
  }

  /** Why this customer may not reach the guest's console (to type, when `typing`), or undefined. */
  consoleRefusal(g: SeenGuest, typing: boolean): UmuxError | undefined {
    const right = this.consoleRight(g);
    if (right === 'read-write' || (right === 'read-only' && !typing)) return undefined;
    return policyRefusal(right === 'read-only' ? `typing on ${g.name}'s console (your access is read-only)` : `${g.name}'s console`);
  }
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((w, i) => w === b[i]);
}
