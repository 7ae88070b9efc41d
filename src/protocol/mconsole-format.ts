// How a reply is shown: byte for byte what uml_mconsole prints, "OK " or "ERR " then the reply text and a
// newline; plus uml_mconsole's block of local commands that follows the kernel's `help`.

import type { Reply } from './mconsole-codec.js';

export function formatReply(reply: Pick<Reply, 'ok' | 'text'>): string {
  return `${reply.ok ? 'OK' : 'ERR'} ${reply.text}\n`;
}

export const LOCAL_COMMANDS: ReadonlyArray<readonly [string, string]> = [
  ['quit', 'Quit mconsole'],
  ['switch <socket-name>', 'Switch control to the given machine'],
  ['log -f <filename>', 'use contents of <filename> as UML log messages'],
  ['mconsole-version', 'version of this mconsole program'],
  ['int ', 'Interrupt UML session'],
];

/** The text uml_mconsole prints after the kernel's help (its spacing included). */
export function localHelp(): string {
  return `Additional local mconsole commands:\n${LOCAL_COMMANDS.map(([u, d]) => `    ${u} - ${d}\n`).join('')}`;
}

/** uml_mconsole sends `log` text in pieces of this many bytes ("log " plus the piece fills 510 of 511). */
export const LOG_CHUNK = 506;

/**
 * The requests a `log` of `text` becomes, as uml_mconsole sends them: the text in pieces, then `log \n` when the
 * text does not end a line (printk would otherwise hold it back and glue it to the next message).
 */
export function logRequests(text: string): string[] {
  const out: string[] = [];
  const chars = [...text];
  let piece = '';
  let bytes = 0;
  for (const ch of chars) {
    const n = ch.codePointAt(0)! < 0x80 ? 1 : ch.codePointAt(0)! < 0x800 ? 2 : ch.codePointAt(0)! < 0x10000 ? 3 : 4;
    if (bytes + n > LOG_CHUNK) {
      out.push(`log ${piece}`);
      piece = '';
      bytes = 0;
    }
    piece += ch;
    bytes += n;
  }
  if (piece !== '') out.push(`log ${piece}`);
  if (!text.endsWith('\n')) out.push('log \n');
  return out;
}
