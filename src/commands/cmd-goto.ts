// :goto [NAME] in the TUI (a key binds it by default): the focused pane shows the guest NAME (Tab completes it).
import { tuiCommandWithWord } from './tui-command.js';

export const gotoCommand = {
  ...tuiCommandWithWord('goto', 'jump to a guest by name in the focused pane', '[NAME]', (tui, name) => tui.goto(name), [
    'NAME may be the start of a name or its letters in order, when that finds one guest; without NAME, asks for it.',
  ]),
  target: 'guest' as const,
};
