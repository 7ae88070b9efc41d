// The server's own notify socket, for guests started by hand with mconsole=notify:SOCKET. A SOCKET notification
// adopts the guest at once; panic, hang and user notifications carry no sender, so they go to the one guest whose
// command line names this socket; a panic goes to the guest that died right after it.

import path from 'node:path';
import type { Disposable } from '../core/disposable.js';
import { processExists } from '../guests/process-group.js';
import type { NotifyListener } from '../mconsole/notify.js';
import type { AdoptedGuest } from './adopted-guest.js';
import type { GuestRegistry } from './registry.js';

/** How long after an unattributed panic the guest that dies is taken to be the one that panicked. */
const PANIC_ATTRIBUTION_MS = 3000;

export function attachNotifications(listener: NotifyListener, registry: GuestRegistry, socket: string, rescan: () => void): Disposable {
  const timers = new Set<NodeJS.Timeout>();
  const candidates = (): AdoptedGuest[] =>
    registry.adoptedGuests().filter((g) => g.pid !== null && g.cmdline?.notify !== undefined && path.resolve(g.cwd ?? '/', g.cmdline.notify) === socket);
  const sub = listener.onNotification((n) => {
    if (n.type === 'socket') {
      rescan();
      return;
    }
    const text = n.data.replace(/\0+$/, '').trimEnd();
    const list = candidates();
    if (n.type === 'panic') {
      // The panicking guest exits right after this: wait, rescan, and give the text to the one that died.
      const at = Date.now();
      const timer = setTimeout(() => {
        timers.delete(timer);
        rescan();
        const dead = registry
          .adoptedGuests()
          .filter((g) => (g.pid === null || !processExists(g.pid)) && g.endedAt !== null && g.endedAt >= at - PANIC_ATTRIBUTION_MS && g.panicText === null);
        const ours = dead.filter((g) => list.includes(g));
        const pick = ours.length === 1 ? ours : dead;
        if (pick.length === 1) pick[0]!.attributePanic(text);
        else for (const g of [...new Set([...list, ...dead])]) g.event(`a guest on the shared notify socket panicked ("${text}"); umux could not tell which`);
      }, PANIC_ATTRIBUTION_MS);
      timers.add(timer);
      return;
    }
    const what = n.type === 'hang' ? 'hang notification (harddog watchdog)' : `user notification: ${text}`;
    for (const g of list) {
      g.event(list.length === 1 ? what : `${what} (from one of ${list.length} guests on the shared notify socket)`);
      if (n.type === 'hang' && list.length === 1) g.setState('unresponsive', 'the harddog watchdog reported a hang');
    }
  });
  return {
    dispose: () => {
      sub.dispose();
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
