// The `:` line's history, kept across TUI sessions in the state directory (file `tui_history`, oldest line first,
// private to the user). A convenience: reading or writing it never fails the TUI.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stateDirOf, type Env } from '../protocol/locations.js';
import { makeDirs } from '../files/make-dirs.js';

export function historyPath(env: Env, home: string = os.homedir()): string {
  return path.join(stateDirOf(env, home), 'tui_history');
}

/** The saved lines, newest first; [] when the file is missing or unreadable. */
export function loadHistory(file: string): string[] {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').reverse();
  } catch {
    return [];
  }
}

/**
 * Puts `line` (trimmed) in front of `history` (newest first), keeps `max` lines and saves them: the file mode 0600
 * (written to a temporary file, then renamed), its directory created 0700. Blank lines and a repeat of the newest
 * come back unchanged and unsaved. Never throws: when saving fails, the new list is returned all the same.
 */
export function addToHistory(file: string, history: string[], line: string, max = 500): string[] {
  const entry = line.replace(/[\r\n]+/g, ' ').trim();
  if (entry === '' || history[0] === entry) return history;
  const next = [entry, ...history].slice(0, max);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    makeDirs(path.dirname(file), 'history directory');
    fs.writeFileSync(tmp, `${[...next].reverse().join('\n')}\n`, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing more to do: history is a convenience
    }
  }
  return next;
}
