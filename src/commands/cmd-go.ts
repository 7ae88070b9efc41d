// umux go NAME: MConsole go, resuming a guest frozen with pause.
import { verbCommand } from './guest-verb.js';

export const goCommand = verbCommand('go', 'Resume a guest frozen with pause (MConsole go)');
