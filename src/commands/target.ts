// Targets as admins type them: NAME for a guest, NAME:CONSOLE for one of its consoles (con0 when left out).

import { UsageError } from '../core/errors.js';

export interface ConsoleTarget {
  guest: string;
  console: string;
}

export function parseConsoleTarget(text: string): ConsoleTarget {
  const colon = text.indexOf(':');
  const guest = colon < 0 ? text : text.slice(0, colon);
  const console = colon < 0 ? 'con0' : text.slice(colon + 1);
  if (guest === '') throw new UsageError(`expected NAME or NAME:CONSOLE, got "${text}"`);
  if (!/^(con\d{1,2}|ssl\d{1,2})$/.test(console)) {
    throw new UsageError(`expected a console such as con0, con1 or ssl0 after "${guest}:", got "${console}"`);
  }
  return { guest, console };
}
