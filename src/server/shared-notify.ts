// The server's own notify socket, for guests started by hand with mconsole=notify:SOCKET. A SOCKET notification
// adopts the guest at once; panic, hang and user notifications carry no sender, so they go to the one guest whose
// command line names this socket, or (several) to the one that dies right after a panic.

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
      if (list.length === 1) {
        list[0]!.panicText = text;
        list[0]!.event(`panic: ${text}`);
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        const died = list.filter((g) => g.pid === null || !processExists(g.pid));
        if (died.length === 1) {
          died[0]!.panicText = text;
          died[0]!.event(`panic: ${text}`);
          if (died[0]!.pid !== null) died[0]!.markGone(true);
        } else for (const g of list) g.event(`a guest on the shared notify socket panicked ("${text}"); umux could not tell which`);
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
