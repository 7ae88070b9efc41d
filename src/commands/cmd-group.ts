// :group [BY] in the TUI (a key binds it by default): group the sidebar by state, owner or definition directory.
import { tuiCommandWithWord } from './tui-command.js';

export const groupCommand = tuiCommandWithWord('group', 'group the sidebar: none, state, owner, dir (in turn)', '[none|state|owner|dir]', (tui, by) => tui.group(by), [
  'Without a word, steps to the next grouping. dir is the directory of the guest\'s definition, or the uml_dir a',
  'guest umux found running was in.',
]);
