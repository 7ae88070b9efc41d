// What the TUI sends the server on the admin's word, through the shared request pipeline: the `:` line (history,
// Tab completion; actions.ts runs what it reads), questions before dangerous commands, and the reply: one line in
// the status, more in a view.

import { formatProgress, type ProgressWire } from '../protocol/progress.js';
import type { GuestSession, RequestResult } from '../client/session.js';
import { readOnlyRefusal } from '../commands/read-only.js';
import type { GuestInfo } from '../protocol/wire-messages.js';
import { questionFor } from './command-line.js';
import { hostPaths, replyText, requestCommand } from '../client/command-request.js';
import { completeLine } from './complete.js';
import { addToHistory, loadHistory } from './history.js';
import type { FlashLevel } from './look.js';
import type { Overlays } from './overlays.js';
import type { PromptLine } from './prompt.js';
import { errorText } from './status-line.js';

export interface CommandRunnerDeps {
  session: GuestSession;
  readOnly: boolean;
  prompt: PromptLine;
  overlays: Overlays;
  flash: (text: string, level?: FlashLevel, ms?: number) => void;
  /** After a reply: a polling guest list asks again. */
  refresh: () => void;
  /** The `:` line's history file. */
  historyFile: string;
}

/** Devices Tab offers for the focused guest: its consoles, then the usual disks, network and memory. */
const devicesOf = (g: GuestInfo | undefined) => (g ? [...g.consoles.map((c) => c.name), 'ubda', 'ubdb', 'ubdc', 'ubdd', 'eth0', 'mem'] : []);

export class CommandRunner {
  private history: string[];

  constructor(private readonly deps: CommandRunnerDeps) {
    this.history = loadHistory(deps.historyFile);
  }

  /** A question at the prompt; undefined when the admin pressed Esc. */
  ask(label: string, initial?: string, note?: string): Promise<string | undefined> {
    return this.deps.prompt.read({ label, ...(initial !== undefined ? { initial } : {}), ...(note !== undefined ? { note } : {}) });
  }

  /** A yes/no question; only y or yes is yes. */
  async confirm(question: string): Promise<boolean> {
    return /^y(es)?$/i.test((await this.ask(`${question} [y/N] `))?.trim() ?? '');
  }

  /** A request with relative host paths made absolute (hot-plug, backups): the reply as it comes. */
  request(argv: string[]): Promise<RequestResult> {
    return this.deps.session.request(hostPaths(this.deps.session, argv, process.cwd()));
  }

  /** Sends server argv (asking first where the table says so) and shows the reply. */
  async send(argv: string[]): Promise<void> {
    const { flash } = this.deps;
    // The server refuses it anyway (it knows this connection is read-only): say so without asking a question first.
    const refused = this.deps.readOnly ? readOnlyRefusal(argv, 'umux-tui') : undefined;
    if (refused) return flash(refused.message, 'error');
    try {
      // Long work (a backup) shows its progress in the status line until the reply replaces it.
      const progress = (p: ProgressWire) => flash(formatProgress(p), 'info', 30_000);
      const reply = await requestCommand(this.deps.session, argv, { confirm: (q) => this.confirm(q), question: questionFor, cwd: process.cwd(), progress });
      if (reply === undefined) return flash('not sent');
      const text = (replyText(argv, reply) ?? (reply.data === null || reply.data === undefined ? 'OK' : JSON.stringify(reply.data, null, 2))).replace(/\n+$/, '');
      if (text.split('\n').length > 1) this.deps.overlays.showText(text);
      else flash(text, 'ok');
      this.deps.refresh();
    } catch (err) {
      flash(errorText(err), 'error');
    }
  }

  /** The `:` line: reads a command line (Tab completes, the history is kept); undefined when nothing was typed. */
  async prompt(guests: readonly GuestInfo[], focused: GuestInfo | undefined, focusedName: string | undefined): Promise<string | undefined> {
    const names = guests.map((g) => g.name);
    const line = await this.deps.prompt.read({
      label: ':',
      history: this.history,
      complete: (text, cursor) => completeLine(text, cursor, { guests: names, devices: devicesOf(focused), ...(focusedName ? { focused: focusedName } : {}) }),
    });
    if (line === undefined || line.trim() === '') return undefined;
    this.history = addToHistory(this.deps.historyFile, this.history, line);
    return line;
  }
}
