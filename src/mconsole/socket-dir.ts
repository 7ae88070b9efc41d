// umux's private socket directory (DESIGN.md §1): $UMUX_SOCKET_DIR, else $XDG_RUNTIME_DIR/umux, else
// /tmp/umux-UID. Created and checked by files/private-dir.ts.

import path from 'node:path';
import { socketDirOf } from '../protocol/locations.js';

export function defaultSocketDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(socketDirOf(env, process.getuid?.() ?? 0));
}
