// :group [BY] in the TUI (a key binds it by default): group the sidebar by state, owner, definition directory or host.
import { tuiCommandWithWord } from './tui-command.js';

export const groupCommand = tuiCommandWithWord('group', 'group the sidebar: none, state, owner, dir, host (in turn)', '[none|state|owner|dir|host]', (tui, by) => tui.group(by), [
  'Without a word, steps to the next grouping. dir is the directory of the guest\'s definition, or the uml_dir a',
  'guest umux found running was in. host (the default with hosts.toml) puts each host\'s guests under its name,',
  'with a line saying why a host cannot be reached.',
]);
