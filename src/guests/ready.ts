// When is a freshly booted guest usable? The SOCKET notification comes before the console drivers are set up:
// `config con0` then answers "Bad configuration option" and `config con1` "none" for a while. Ready means every
// console and serial line answers the spec it was booted with.

import { UmuxError } from '../core/errors.js';
import type { MconsoleClient } from '../mconsole/client.js';
import { consoleNames, type PortLineSpec } from './launch.js';

/** The channels a managed guest is booted with and their specs: con0=fd:0,fd:1, conN/sslN=fd:3, fd:4, …, port lines. */
export function expectedConsoleSpecs(consoles: number, serials = 0, ports: readonly PortLineSpec[] = []): Array<[string, string]> {
  const fds = consoleNames(consoles, serials, ports).map((name, i): [string, string] => [name, i === 0 ? 'fd:0,fd:1' : `fd:${i + 2}`]);
  return [...fds, ...ports.map((p): [string, string] => [p.name, `port:${p.port}`])];
}

/**
 * Resolves once every console answers its spec. A request that gets no reply counts as not ready yet (a guest deep
 * in its boot may not answer for seconds), so only the deadline ends the wait, or `signal` (the guest died).
 */
export async function waitConsolesReady(
  client: MconsoleClient,
  guest: { socket: string; umid: string; consoles: number; serials: number; ports?: readonly PortLineSpec[] },
  timeoutMs = 10_000,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const specs = expectedConsoleSpecs(guest.consoles, guest.serials, guest.ports);
  for (let i = 0; i < specs.length; ) {
    if (signal?.aborted) throw new UmuxError('not-running', `${guest.umid} went away while its consoles came up`);
    const [name, spec] = specs[i]!;
    const answer = await client.call(guest.socket, `config ${name}`, { name: guest.umid, timeoutMs: Math.max(1, Math.min(2000, deadline - Date.now())) }).then(
      (reply) => (reply.ok && reply.text === spec ? undefined : `config ${name} says "${reply.text}"`),
      (err: Error) => `config ${name} got no answer (${err.message})`,
    );
    if (answer === undefined) {
      i++;
      continue;
    }
    if (Date.now() > deadline) {
      throw new UmuxError('timeout', `${guest.umid} booted but ${name} did not come up in ${timeoutMs} ms: ${answer}, expected "${spec}"`, {
        hint: 'the guest may be stuck early in boot: look at its console',
      });
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
