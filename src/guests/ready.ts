// When is a freshly booted guest usable? The SOCKET notification comes before the console drivers are set up:
// `config con0` then answers "Bad configuration option" and `config con1` "none" for a while. Ready means every
// console answers the spec it was booted with.

import { UmuxError } from '../core/errors.js';
import type { MconsoleClient } from '../mconsole/client.js';

/** The console specs a managed guest is booted with: con0=fd:0,fd:1, then conN=fd:N+2. */
export function expectedConsoleSpecs(extraConsoles: number): string[] {
  return ['fd:0,fd:1', ...Array.from({ length: extraConsoles }, (_, i) => `fd:${i + 3}`)];
}

export async function waitConsolesReady(
  client: MconsoleClient,
  guest: { socket: string; umid: string; consoles: readonly unknown[] },
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const specs = expectedConsoleSpecs(guest.consoles.length);
  for (let i = 0; i < specs.length; ) {
    const reply = await client.call(guest.socket, `config con${i}`, { name: guest.umid, timeoutMs: Math.max(1, Math.min(2000, deadline - Date.now())) });
    if (reply.ok && reply.text === specs[i]) {
      i++;
      continue;
    }
    if (Date.now() > deadline) {
      throw new UmuxError('timeout', `${guest.umid} booted but con${i} did not come up in ${timeoutMs} ms: config con${i} says "${reply.text}", expected "${specs[i]}"`, {
        hint: 'the guest may be stuck early in boot: look at its console',
      });
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
