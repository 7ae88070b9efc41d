// One admin's MConsole conversation with a guest: local commands (quit, switch, int, log -f, mconsole-version,
// help) and checked kernel verbs. Shared by single-shot `umux mconsole UMID CMD` and the interactive prompt.

import fs from 'node:fs';
import { MconsoleError, UmuxError } from '../core/errors.js';
import { EXIT, exitCodeFor } from '../core/exit-codes.js';
import { checkCommand, splitCommand } from '../protocol/mconsole-verbs.js';
import { formatReply, localHelp, logRequests } from '../protocol/mconsole-format.js';
import { absolutizeUbdPaths } from '../protocol/ubd-paths.js';
import type { MconsoleClient } from '../mconsole/client.js';
import { readGuestPid, resolveGuest, type ResolvedGuest } from '../mconsole/resolve.js';

export const CLIENT_VERSION_TEXT = 'umux mconsole client version 2';

export interface SessionIO {
  out(text: string): void;
  err(text: string): void;
  /** Asks a yes/no question; absent when nobody can answer (single-shot, no tty): the answer is then yes. */
  confirm?(question: string): Promise<boolean>;
}

export interface SessionOptions {
  raw: boolean;
  timeoutMs: number;
  umlDir?: string;
  cwd: string;
}

export type RunResult = number | 'quit';

export class MconsoleSession {
  constructor(
    private readonly client: MconsoleClient,
    private guestRef: ResolvedGuest,
    private readonly options: SessionOptions,
    private readonly io: SessionIO,
  ) {}

  get guest(): ResolvedGuest {
    return this.guestRef;
  }

  /** Runs one line; returns its exit code, or 'quit'. Errors are printed, never thrown. */
  async run(line: string): Promise<RunResult> {
    try {
      return await this.dispatch(line);
    } catch (err) {
      return this.report(err);
    }
  }

  private report(err: unknown): number {
    if (err instanceof UmuxError) {
      this.io.err(`umux: ${err.describe()}\n`);
      return exitCodeFor(err.code);
    }
    this.io.err(`umux: internal error: ${(err as Error)?.message ?? String(err)}\n`);
    return EXIT.failed;
  }

  private async dispatch(line: string): Promise<RunResult> {
    const command = line.trim();
    const words = splitCommand(command);
    const verb = words[0];
    if (verb === undefined) return EXIT.ok;
    switch (verb) {
      case 'quit':
        return 'quit';
      case 'mconsole-version':
        this.io.out(`${CLIENT_VERSION_TEXT}\n`);
        return EXIT.ok;
      case 'switch':
        return this.switchGuest(words.slice(1));
      case 'int':
        return this.interrupt();
      case 'help': {
        const code = await this.send('help');
        this.io.out(localHelp());
        return code;
      }
      case 'log':
        return this.log(command, words);
    }
    if (!this.options.raw) {
      const check = checkCommand(command);
      if (!check.ok) throw new MconsoleError(check.code, check.message, { hint: check.hint, verb });
    }
    return this.send(absolutizeUbdPaths(command, this.options.cwd));
  }

  /** Sends one request and prints its reply; returns 0 for OK, 1 for ERR. */
  private async send(command: string): Promise<number> {
    const reply = await this.client.call(this.guestRef.socket, command, {
      timeoutMs: this.options.timeoutMs,
      name: this.guestRef.umid,
    });
    this.io.out(formatReply(reply));
    return reply.ok ? EXIT.ok : EXIT.failed;
  }

  private async log(command: string, words: string[]): Promise<number> {
    let text: string;
    if (words[1] === '-f') {
      if (words.length !== 3) throw new UmuxError('usage', `log -f takes one file name, got ${words.length - 2}`, { hint: 'usage: log -f <filename>' });
      try {
        text = fs.readFileSync(words[2]!, 'utf8');
      } catch (err) {
        throw new UmuxError('io', `cannot read ${words[2]}: ${(err as NodeJS.ErrnoException).code}`, { cause: err });
      }
      if (text === '') return EXIT.ok;
    } else {
      if (words.length < 2) throw new UmuxError('usage', 'log takes the text to log, got nothing', { hint: 'usage: log <string>  or  log -f <filename>' });
      text = command.replace(/^log[ \t]+/, '');
    }
    let code: number = EXIT.ok;
    for (const request of logRequests(text)) {
      const c = await this.send(request);
      if (c !== EXIT.ok) code = c;
    }
    return code;
  }

  private switchGuest(args: string[]): number {
    if (args.length !== 1) {
      throw new UmuxError('usage', `switch takes one umid or socket path, got ${args.length}`, { hint: 'usage: switch <umid|socket-name>' });
    }
    this.guestRef = resolveGuest(args[0]!, this.options.umlDir === undefined ? {} : { umlDir: this.options.umlDir });
    this.io.out(`Switched to '${args[0]}'\n`);
    return EXIT.ok;
  }

  private async interrupt(): Promise<number> {
    const pid = readGuestPid(this.guestRef.dir);
    if (this.io.confirm) {
      const yes = await this.io.confirm(
        `int sends SIGINT to ${this.guestRef.umid} (pid ${pid}): the guest shuts down without userspace cleanup. Send it? [y/N] `,
      );
      if (!yes) {
        this.io.out('not sent\n');
        return EXIT.ok;
      }
    }
    try {
      process.kill(pid, 'SIGINT');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ESRCH') {
        throw new MconsoleError('not-running', `guest not running: pid ${pid} from ${this.guestRef.dir}/pid is gone`);
      }
      throw new MconsoleError(code === 'EPERM' ? 'permission' : 'io', `cannot signal pid ${pid}: ${code}`, { cause: err });
    }
    this.io.out(`Sent SIGINT to pid ${pid}\n`);
    return EXIT.ok;
  }
}
