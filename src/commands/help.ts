// Help text generated from the command table: `umux help`, `umux help NAME`, and the README's command table.

import { COMMANDS } from './table.js';
import type { CommandSpec } from './types.js';
import { usageLine } from './parse.js';

export function commandHelp(spec: CommandSpec): string {
  const lines = [`usage: ${usageLine(spec)}`, '', spec.summary];
  if (spec.options.length > 0) {
    lines.push('', 'options:');
    for (const o of spec.options) {
      const flag = `${o.short ? `-${o.short}, ` : ''}--${o.name}${o.value ? ` ${o.value}` : ''}`;
      lines.push(`  ${flag.padEnd(22)} ${o.summary}`);
    }
  }
  if (spec.details) lines.push('', ...spec.details);
  if (spec.changes !== false && spec.runsIn === 'server') lines.push('', `Changes the ${spec.changes}: refused to read-only clients (umux tui -r, umux attach -r).`);
  return `${lines.join('\n')}\n`;
}

export function overviewHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = [
    'usage: umux [--host HOST] COMMAND [ARGS...]',
    '       umux --shared [COMMAND [ARGS...]]     (a hosting customer: the shared server of this host)',
    '       umux shell                            (sshd ForceCommand for hosting customers; reads SSH_ORIGINAL_COMMAND)',
    '',
    '--host HOST runs the command on another host over ssh (a hosts.toml name or [user@]HOST).',
    '',
    'commands:',
  ];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(width)}  ${c.summary}`);
  lines.push('', 'umux help COMMAND describes one.');
  return `${lines.join('\n')}\n`;
}

/** The Markdown table of commands the README carries between its `<!-- commands -->` markers. */
export function commandsMarkdown(): string {
  const rows = COMMANDS.map((c) => `| \`${usageLine(c).replace(/\|/g, "\\|")}\` | ${c.summary} | ${c.changes === false ? 'yes' : 'no'} |`);
  return ['| command | what it does | read-only clients |', '| --- | --- | --- |', ...rows].join('\n');
}
