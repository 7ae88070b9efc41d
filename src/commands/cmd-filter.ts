// :filter [TEXT] in the TUI (a key binds it by default): the sidebar shows only the guests TEXT finds, as it is typed.
import { tuiCommandWithWord } from './tui-command.js';

export const filterCommand = tuiCommandWithWord('filter', 'filter the sidebar as you type (Esc clears)', '[TEXT]', (tui, text) => tui.filter(text), [
  'Finds a guest by a part of its name, its letters in order (wb1 finds web1), or its state (panic, hang, off),',
  'owner or directory; ! finds those that need attention. Enter keeps the filter, Esc clears it.',
]);
