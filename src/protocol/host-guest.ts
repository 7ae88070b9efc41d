// A guest of another host, as the TUI over several hosts names it: `NAME@HOST` (a guest name never holds `@`, so the
// two never mix). Names from a far server are checked on receipt: only what a guest name may be gets shown.

/** What a guest's name (its umid) may be: config/uml-args.ts checks definitions with it too. */
export const GUEST_NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,62}$/;

/** The host of the local server in the TUI over several hosts. */
export const LOCAL_HOST = 'local';

export function qualify(name: string, host: string): string {
  return host === LOCAL_HOST ? name : `${name}@${host}`;
}

/** `web1@b` → { guest: web1, host: b }; a plain name is the local host's. */
export function splitQualified(text: string): { guest: string; host: string } {
  const at = text.lastIndexOf('@');
  return at < 0 ? { guest: text, host: LOCAL_HOST } : { guest: text.slice(0, at), host: text.slice(at + 1) };
}

/** `web1@b:con1` (a console target) → { target: web1:con1, host: b }. */
export function splitQualifiedTarget(text: string): { target: string; host: string } {
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  const { guest, host } = splitQualified(name);
  return { target: colon < 0 ? guest : `${guest}${text.slice(colon)}`, host };
}

const CONSOLE_NAME_RE = /^(con|ssl)\d{1,2}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A far server's guest list as the TUI takes it: each guest whose name is a guest name, renamed NAME@HOST, its
 * consoles those with console names; anything else is dropped and counted (the sidebar escapes all shown text).
 */
export function receivedGuests<G extends { name: string; consoles: Array<{ name: string }> }>(guests: unknown, host: string): { guests: G[]; dropped: number } {
  if (!Array.isArray(guests)) return { guests: [], dropped: 0 };
  const kept: G[] = [];
  for (const g of guests as unknown[]) {
    if (!isRecord(g) || typeof g['name'] !== 'string' || !GUEST_NAME_RE.test(g['name']) || typeof g['state'] !== 'string' || !Array.isArray(g['consoles'])) continue;
    const consoles = (g['consoles'] as unknown[]).filter((c) => isRecord(c) && typeof c['name'] === 'string' && CONSOLE_NAME_RE.test(c['name']));
    kept.push({ ...(g as unknown as G), name: qualify(g['name'], host), consoles, mem: typeof g['mem'] === 'string' ? g['mem'] : '?' } as G);
  }
  return { guests: kept, dropped: guests.length - kept.length };
}
