// umux mc NAME COMMAND...: one MConsole request through the server, its verb checked as umux mconsole checks it.
import { MconsoleError, UmuxError } from '../core/errors.js';
import { checkCommand } from '../protocol/mconsole-verbs.js';
import { formatReply } from '../protocol/mconsole-format.js';
import { GUEST, guestCommand, targetGuest } from './common.js';

export const mcCommand = guestCommand({
  name: 'mc',
  summary: 'Send one MConsole command to a guest through the server (verbs checked, as umux mconsole does)',
  usage: `${GUEST} COMMAND...`,
  minArgs: 2,
  maxArgs: 'rest',
  optionsFirst: true,
  details: ['The reply is printed as uml_mconsole prints it: "OK ..." (exit 0) or "ERR ..." (exit 1). Example: umux mc web1 proc meminfo'],
  serve: async (scope, call) => {
    const g = targetGuest(call);
    const command = call.parsed.args.slice(1).join(' ');
    const check = checkCommand(command);
    if (!check.ok) throw new MconsoleError(check.code, check.message, { hint: check.hint, verb: call.parsed.args[1] });
    if (g.pid === null) throw new UmuxError('not-running', `${g.name} is ${g.state}: no MConsole to talk to`);
    const reply = await scope.mconsole(g, command);
    if (!reply.ok) throw new UmuxError('guest-error', `ERR ${reply.text}`);
    return { data: { ok: true, text: reply.text }, text: formatReply(reply).trimEnd() };
  },
});
