// umux mconsole UMID|SOCKET [COMMAND...]: uml_mconsole with timeouts and checked verbs, straight to the guest's
// socket (direct/mconsole-tool.ts): works with no server at all.
import type { ClientCommand } from './command.js';

export const mconsoleCommand: ClientCommand = {
  name: 'mconsole',
  summary: "Send MConsole commands to a guest, like uml_mconsole but with timeouts and checked verbs",
  usage: 'UMID|SOCKET [COMMAND...]',
  runsIn: 'direct',
  target: 'none',
  changes: 'guest',
  minArgs: 1,
  maxArgs: 'rest',
  optionsFirst: true,
  options: [
    { name: 'uml-dir', value: 'DIR', summary: 'look for UMID in DIR (the guest\'s uml_dir=) before ~/.uml and /tmp/uml' },
    { name: 'timeout', short: 't', value: 'MS', summary: 'give up on a reply after MS milliseconds (default 5000)' },
    { name: 'raw', summary: 'send verbs umux does not know, unchecked (the kernel matches verbs by prefix!)' },
  ],
  details: [
    'With a COMMAND, sends it once, prints the reply as uml_mconsole does ("OK ..." or "ERR ...") and exits:',
    '0 on OK, 1 on an ERR reply, 2 on a usage error, 3 when the guest is not found or not running,',
    '4 when it does not answer in time, 5 when a reply arrives incomplete, 6 on permission denied.',
    'Without a COMMAND, reads commands at a "(umid)" prompt. Local commands: quit, switch UMID|SOCKET,',
    'int (SIGINT to the guest\'s main pid), log -f FILE, mconsole-version, help.',
    'Relative ubd file names in "config ubdX=FILE" are made absolute before sending.',
  ],
  run: (client, parsed) => client.mconsole(parsed),
};
