// Text reaches stdout and stderr through src/term/print.ts, which shows control characters visibly: no command can
// print guest text (events, umid names, replies, errors quoting them) raw by writing to the streams itself.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../../src');

/** Files that write to the streams themselves, and why that is safe. */
const ALLOWED: Record<string, string> = {
  'term/print.ts': 'the printers: showControls on everything (raw only into a pipe, for umux mconsole replies)',
  'cli/stream-commands.ts': 'umux log: plainText on a terminal, the bytes as logged into a pipe',
  'keeper/main.ts': 'the keeper log: its stderr is STATE/keeper.log (the server opens it), never a terminal',
  'cli/attach.ts': 'umux attach: paints cells of its own terminal model, and its status line through showControls',
};

/** Direct writes to the process's streams, and aliases of them (`const out = process.stdout`). */
const DIRECT_WRITE = /process\.std(?:out|err)\.write\(|console\.(?:log|error|warn|info|debug)\(|=\s*process\.std(?:out|err)\s*;/;

function listTs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return listTs(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

describe('terminal output', () => {
  it('writes to stdout and stderr only in term/print.ts and the files listed with a reason', () => {
    const offenders: string[] = [];
    for (const file of listTs(SRC)) {
      const rel = path.relative(SRC, file);
      if (rel in ALLOWED) continue;
      fs.readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (DIRECT_WRITE.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it('lists only files that still write directly (no stale exemptions)', () => {
    const stale = Object.keys(ALLOWED).filter((rel) => !DIRECT_WRITE.test(fs.readFileSync(path.join(SRC, rel), 'utf8')));
    expect(stale).toEqual([]);
  });
});
