// `umux mconsole UMID|SOCKET [COMMAND...]`: the drop-in for uml_mconsole. Talks to the guest directly (no umux
// server needed, so it works when everything else is broken); interactive with a `(umid)` prompt and history.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { EXIT } from '../core/exit-codes.js';
import { showControls, terminalJson } from '../core/terminal-text.js';
import { printErr, printOut, printReplyOut } from '../term/print.js';
import { stateDirOf } from '../protocol/locations.js';
import { intOption } from '../commands/parse.js';
import type { ParsedCommand } from '../commands/types.js';
import { MconsoleClient, DEFAULT_TIMEOUT_MS } from '../mconsole/client.js';
import { resolveGuest } from '../mconsole/resolve.js';
import { MconsoleSession, type SessionIO } from './mconsole-session.js';
import { makeDirs } from '../files/make-dirs.js';

const HISTORY_SIZE = 500;

function historyFile(): string {
  return path.join(stateDirOf(process.env, os.homedir()), 'mconsole_history');
}

function loadHistory(file: string): string[] {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

function saveHistory(file: string, history: readonly string[]): void {
  try {
    makeDirs(path.dirname(file), 'history directory');
    fs.writeFileSync(file, `${[...history].reverse().slice(-HISTORY_SIZE).join('\n')}\n`, { mode: 0o600 });
  } catch {
    // History is a convenience: failing to save it must not fail the session.
  }
}

export async function runMconsoleTool(parsed: ParsedCommand): Promise<number> {
  const timeoutMs = intOption(parsed, 'timeout', DEFAULT_TIMEOUT_MS, 1, 3_600_000);
  const umlDir = typeof parsed.options['uml-dir'] === 'string' ? parsed.options['uml-dir'] : undefined;
  const [target, ...words] = parsed.args as [string, ...string[]];
  const guest = resolveGuest(target, umlDir === undefined ? {} : { umlDir });
  const client = new MconsoleClient();
  // Replies go out byte for byte as uml_mconsole prints them, but a terminal sees their control characters shown.
  const io: SessionIO = { out: printReplyOut, err: printErr };
  const options = { raw: parsed.options['raw'] === true, timeoutMs, cwd: process.cwd(), ...(umlDir === undefined ? {} : { umlDir }) };
  try {
    if (words.length > 0) {
      // As uml_mconsole does: the arguments joined with spaces are the command.
      const result = await new MconsoleSession(client, guest, options, io).run(words.join(' '));
      return result === 'quit' ? EXIT.ok : result;
    }
    return await runInteractive(new MconsoleSession(client, guest, options, io), io);
  } finally {
    client.dispose();
  }
}

/**
 * `umux mconsole --json UMID COMMAND...`: the reply as one document, `{ guest, command, reply }`; a failure as JSON
 * on stderr with uml_mconsole's exit code.
 */
export async function runMconsoleJson(parsed: ParsedCommand): Promise<number> {
  const timeoutMs = intOption(parsed, 'timeout', DEFAULT_TIMEOUT_MS, 1, 3_600_000);
  const umlDir = typeof parsed.options['uml-dir'] === 'string' ? parsed.options['uml-dir'] : undefined;
  const [target, ...words] = parsed.args as [string, ...string[]];
  const guest = resolveGuest(target, umlDir === undefined ? {} : { umlDir });
  const client = new MconsoleClient();
  let out = '';
  let err = '';
  const io: SessionIO = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const options = { raw: parsed.options['raw'] === true, timeoutMs, cwd: process.cwd(), ...(umlDir === undefined ? {} : { umlDir }) };
  try {
    const command = words.join(' ');
    const result = await new MconsoleSession(client, guest, options, io).run(command);
    const code = result === 'quit' ? EXIT.ok : result;
    if (code === EXIT.ok) printOut(terminalJson({ guest: target, command, reply: out }) + '\n');
    else printErr(terminalJson({ error: { code: code === EXIT.failed ? 'guest-error' : 'failed', message: (err || out).trim() }, exit: code }) + '\n');
    return code;
  } finally {
    client.dispose();
  }
}

/** Lines from readline, one at a time; a pending question takes the next line instead of the command loop. */
class LineQueue {
  private readonly lines: string[] = [];
  private waiter: ((line: string | undefined) => void) | undefined;
  private closed = false;

  constructor(rl: readline.Interface) {
    rl.on('line', (line) => this.push(line));
    rl.on('close', () => {
      this.closed = true;
      this.waiter?.(undefined);
      this.waiter = undefined;
    });
  }

  private push(line: string): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w(line);
    } else {
      this.lines.push(line);
    }
  }

  next(): Promise<string | undefined> {
    if (this.lines.length > 0) return Promise.resolve(this.lines.shift());
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}

export interface InteractiveHooks {
  /** Called once the prompt runs, with a function that prints a line above the prompt (for asynchronous news). */
  onReady?(notice: (text: string) => void): void;
}

/** The `(umid)` prompt: reads lines until quit or end of input; exits 0 like uml_mconsole. */
export async function runInteractive(session: MconsoleSession, io: SessionIO, hooks: InteractiveHooks = {}): Promise<number> {
  const file = historyFile();
  const tty = process.stdin.isTTY === true;
  const rl = readline.createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: tty,
    history: tty ? loadHistory(file) : [],
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
  });
  const queue = new LineQueue(rl);
  const prompt = (text = `(${showControls(session.guest.umid)}) `) => {
    rl.setPrompt(text);
    rl.prompt();
  };
  if (tty) {
    io.confirm = async (question) => {
      prompt(question);
      const answer = await queue.next();
      // A y/n answer is not a command: keep it out of the history.
      const history = (rl as unknown as { history: string[] }).history;
      if (answer !== undefined && history[0] === answer) history.shift();
      return /^y(es)?$/i.test(answer?.trim() ?? '');
    };
  }
  hooks.onReady?.((text) => {
    if (tty) {
      readline.clearLine(process.stdout, 0);
      readline.cursorTo(process.stdout, 0);
    }
    printOut(`${text}\n`);
    if (tty) rl.prompt(true);
  });
  rl.on('SIGINT', () => {
    rl.write('', { ctrl: true, name: 'u' });
    printOut('^C\n');
    prompt();
  });
  // Like uml_mconsole, a session that ends with quit or end of input exits 0, whatever its last reply was.
  try {
    for (;;) {
      prompt();
      const line = await queue.next();
      if (line === undefined) {
        printOut('\n');
        break;
      }
      if ((await session.run(line)) === 'quit') break;
    }
  } finally {
    if (tty) saveHistory(file, (rl as unknown as { history: string[] }).history);
    rl.close();
  }
  return EXIT.ok;
}
