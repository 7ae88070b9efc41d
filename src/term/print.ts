// The one way umux prints text (replies, tables, events, errors) to stdout and stderr: control characters are shown
// visibly (core/terminal-text.ts), piped or not, so guest text never reaches a terminal raw, also through `| less`.

import { showControls } from '../core/terminal-text.js';

export function printOut(text: string): void {
  process.stdout.write(showControls(text));
}

export function printErr(text: string): void {
  process.stderr.write(showControls(text));
}

/**
 * Guest replies whose exact bytes are the point in a pipe (`umux mconsole`, byte for byte as uml_mconsole prints
 * them): unchanged into a pipe or file, control characters shown visibly on a terminal.
 */
export function printReplyOut(text: string): void {
  process.stdout.write(process.stdout.isTTY ? showControls(text) : text);
}

/**
 * A status line on a terminal's stderr, redrawn in place (carriage return, erase line): the text shown with its
 * controls visible and cut to the width. Nothing when stderr is no terminal; `text` '' clears it.
 */
export function printStatusLine(text: string): void {
  if (!process.stderr.isTTY) return;
  const width = Math.max(1, (process.stderr.columns || 80) - 1);
  process.stderr.write(`\r\x1b[K${showControls(text).slice(0, width)}`);
}

/** Starts a redraw from the top of the terminal (cursor home, erase below: `umux ls --watch`); nothing when piped. */
export function clearScreenOut(): void {
  if (process.stdout.isTTY) process.stdout.write('\x1b[H\x1b[J');
}
