// umux pause NAME: MConsole stop (umux's name for it: `stop` is the shutdown ladder); go resumes.
import { verbCommand } from './guest-verb.js';

export const pauseCommand = verbCommand('pause', 'Freeze a guest with MConsole stop: it answers only MConsole until go', undefined, [
  'The guest kernel sits in a loop serving MConsole requests; its consoles and network stop. umux go resumes it.',
]);
