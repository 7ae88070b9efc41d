// :filter [TEXT...] in the TUI (a key binds it by default): the sidebar shows only the guests TEXT finds, as typed.
import type { TuiCommand } from './command.js';
import { tuiCommandWithWord } from './tui-command.js';

const details = [
  'Finds a guest by a part of its name, the start of its state (panic, hang, off) or owner, or a part of its',
  'directory written with a /; ! finds those that need attention; when nothing is found so, a name\'s letters in',
  'order (wb1 finds web1). Several words must all find the guest. Enter keeps the filter, Esc clears it.',
];

export const filterCommand: TuiCommand = {
  ...tuiCommandWithWord('filter', 'filter the sidebar as you type (Esc clears)', '[TEXT...]', () => undefined, details),
  maxArgs: 'rest',
  act: (tui, parsed) => tui.filter(parsed.args.length > 0 ? parsed.args.join(' ') : undefined),
};
