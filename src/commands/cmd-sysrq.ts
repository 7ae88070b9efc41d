// umux sysrq NAME LETTER: a magic SysRq letter through MConsole; letters that crash or reboot the guest ask first.
import { SYSRQ_CRASHES, SYSRQ_DANGEROUS, SYSRQ_LETTERS } from '../protocol/mconsole-verbs.js';
import { GUEST, guestCommand, targetGuest, yesOption } from './common.js';

export const sysrqCommand = guestCommand({
  name: 'sysrq',
  summary: 'Send a magic SysRq letter to a guest (s sync, u remount read-only, b reboot, m memory, ...)',
  usage: `${GUEST} LETTER`,
  minArgs: 2,
  maxArgs: 2,
  options: [yesOption],
  confirm: ([g, letter]) => {
    const l = letter ?? '';
    if (SYSRQ_CRASHES[l]) return `${SYSRQ_CRASHES[l]}. Send sysrq ${l} to ${g} anyway?`;
    if (SYSRQ_DANGEROUS.has(l)) return `sysrq ${l} will ${SYSRQ_LETTERS[l]} in ${g}. Send it?`;
    return undefined;
  },
  details: ['Letters:', ...Object.entries(SYSRQ_LETTERS).map(([l, what]) => `  ${l}  ${what}${SYSRQ_DANGEROUS.has(l) ? ' (asks first)' : ''}`)],
  serve: (scope, call) => scope.verb(targetGuest(call), 'sysrq', call.parsed.args[1]),
});
