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
