// What a command typed by `umux run` printed: the console's lines after the one echoing the command, before the
// prompt (the line still being written when the prompt shows). Prompt matching and checks on the typed text. Pure.

import { DEFAULT_PROMPT } from '../commands/cmd-run.js';
import type { ParsedCommand } from '../commands/types.js';
import { UsageError } from '../core/errors.js';

/** What getty and login print: a login prompt, a password prompt, a refusal. */
export const LOGIN_PROMPT = /login: *$/i;
export const PASSWORD_PROMPT = /password: *$/i;
export const LOGIN_INCORRECT = /login incorrect/i;

/** Most output `umux run` keeps (characters); the rest is counted, not kept. */
export const MAX_OUTPUT_CHARS = 8 * 1024 * 1024;
/** Echo lines longer than the command by this much without it: the console does not echo it as typed. */
const ECHO_SLACK = 4096;

/** A user's regular expression, or a usage error quoting what came and what the engine said. */
export function userRegExp(source: string, what: string): RegExp {
  try {
    return new RegExp(source);
  } catch (err) {
    throw new UsageError(`${what} is not a regular expression: ${JSON.stringify(source)} (${(err as Error).message})`, {
      hint: 'JavaScript syntax; quote it for the shell, e.g. \'login: $\'',
    });
  }
}

/** The prompt of `run` and `login`: --prompt RE, or the default; its source is kept for messages. */
export function promptOption(parsed: ParsedCommand): { prompt: RegExp; promptSource: string } {
  const promptSource = typeof parsed.options['prompt'] === 'string' ? parsed.options['prompt'] : DEFAULT_PROMPT;
  return { prompt: userRegExp(promptSource, '--prompt'), promptSource };
}

/** Refuses text that cannot be typed as one line (a newline would run two commands, a tab would complete). */
export function typedLine(text: string, what: string): string {
  const bad = /[\x00-\x1f\x7f-\x9f]/.exec(text);
  if (bad) {
    throw new UsageError(`${what} must be one line of printable text, got a control character (code ${bad[0].charCodeAt(0)}) at ${bad.index}`, {
      hint: 'run one command per umux run; for several, join them with ; or &&',
    });
  }
  return text;
}

/**
 * The lines of one command's run, in order. The first lines are the echo of what was typed: it ends with the line
 * that completes the command's text (a long command may be echoed over several lines); if no line does (a console
 * that does not echo as typed), the first line is taken as the echo.
 */
export class CommandTranscript {
  private echo: string[] | null = [];
  private readonly lines: string[] = [];
  private chars = 0;
  /** Characters of output not kept (over MAX_OUTPUT_CHARS). */
  dropped = 0;

  constructor(private readonly command: string) {}

  /** Complete lines seen since typing: the prompt is looked for only once the echo's line has ended. */
  get linesSeen(): number {
    return (this.echo?.length ?? 1) + this.lines.length;
  }

  add(line: string): void {
    if (this.echo === null) return this.keep(line);
    this.echo.push(line);
    const echoed = this.echo.join('');
    if (echoed.includes(this.command)) this.echo = null;
    else if (echoed.length > this.command.length + ECHO_SLACK) this.giveUpEcho();
  }

  /** No line echoed the command: the first was its echo, the rest is output. */
  private giveUpEcho(): void {
    const [, ...rest] = this.echo ?? [];
    this.echo = null;
    for (const l of rest) this.keep(l);
  }

  private keep(line: string): void {
    // Once output is left out, all that follows is: no hole in the middle of what is printed.
    if (this.dropped > 0 || this.chars + line.length + 1 > MAX_OUTPUT_CHARS) {
      this.dropped += line.length + 1;
      return;
    }
    this.chars += line.length + 1;
    this.lines.push(line);
  }

  /** The output lines (each without its line end). */
  output(): string[] {
    if (this.echo !== null) this.giveUpEcho();
    return [...this.lines];
  }
}

/** True when the line being written ends as a prompt does. */
export function promptShown(partial: string, prompt: RegExp): boolean {
  return partial !== '' && prompt.test(partial);
}
