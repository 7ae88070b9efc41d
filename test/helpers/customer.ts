// A hosting customer for tests (issue 17): bin/umux run as another host user against a shared server's hosting
// directory, and a small protocol client run as that user (probe) that sends raw requests, attaches and types,
// and reports each answer as a JSON line, so the server's own checks are tested, not just the CLI's.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UMUX_BIN } from './run-tool.js';
import { startAs, type OtherUser } from './other-user.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** bin/umux as `user` with `args` (and only PATH, HOME and `env` in its environment). */
export function umuxAs(user: OtherUser & { home?: string }, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [UMUX_BIN, ...args], {
      uid: user.uid,
      gid: user.gid,
      cwd: '/',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: user.home ?? '/', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(opts.input ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A protocol step of the probe. */
export type ProbeStep =
  | { req: string[] }
  | { attach: string; readOnly: boolean; type?: string; expect?: string; holdMs?: number }
  | { subscribe: true; waitMs: number }
  | { connect: string };

const PROBE = `
import net from 'node:net';
const dist = process.argv[2];
const { useHostingSocket } = await import(dist + 'client/hosting-socket.js');
const { ServerSession } = await import(dist + 'client/session.js');
const [dir, stepsJson] = [process.argv[3], process.argv[4]];
const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
useHostingSocket(dir);
let session;
try { session = await ServerSession.connect({ env: {} }); } catch (e) { out({ connect: 'failed', error: e.message }); process.exit(0); }
const text = (b) => Buffer.from(b).toString('latin1');
for (const step of JSON.parse(stepsJson)) {
  try {
    if (step.connect) {
      await new Promise((res) => { const s = net.createConnection(step.connect); s.on('connect', () => { out({ connect: step.connect, ok: true }); s.destroy(); res(); }); s.on('error', (e) => { out({ connect: step.connect, error: e.code }); res(); }); });
    } else if (step.req) {
      const r = await session.request(step.req, 10000);
      out({ req: step.req, ok: true, data: r.data, text: r.text });
    } else if (step.subscribe) {
      const seen = { guests: [], events: [] };
      session.onGuests?.((l) => (seen.guests = l.guests.map((g) => g.name)));
      session.onEvent?.((e) => seen.events.push(e.guest));
      await session.subscribe({ host: true });
      await new Promise((r) => setTimeout(r, step.waitMs));
      out({ subscribe: true, ...seen });
    } else if (step.attach) {
      const s = await session.attach(step.attach, 'con0', { readOnly: step.readOnly });
      let got = text(s.snapshot.data ?? '');
      const notices = [];
      let closed = '';
      s.onData((b) => (got += text(b)));
      s.onNotice((n) => notices.push(n.text));
      s.onClosed((r) => (closed = r));
      if (step.type) s.write(Buffer.from(step.type));
      const deadline = Date.now() + (step.holdMs ?? 8000);
      while (Date.now() < deadline && !closed && !(step.expect && got.includes(step.expect))) await new Promise((r) => setTimeout(r, 50));
      if (!step.expect) out({ attached: step.attach, readOnly: s.readOnly, ready: true });
      if (step.expect === undefined && step.holdMs) {
        const until = Date.now() + step.holdMs;
        while (Date.now() < until && !closed) await new Promise((r) => setTimeout(r, 50));
      }
      out({ attach: step.attach, readOnly: s.readOnly, found: step.expect ? got.includes(step.expect) : undefined, notices, closed, others: s.others });
    }
  } catch (e) {
    out({ step, error: e.message, hint: e.hint });
  }
}
session.dispose();
process.exit(0);
`;

/** Runs the probe as `user` against the hosting directory `dir`; resolves with its JSON lines. */
export function probeAs(user: OtherUser, dir: string, steps: ProbeStep[], timeoutMs = 40_000): Promise<Array<Record<string, unknown>>> {
  const child = startAs(user, PROBE, [DIST, path.resolve(dir), JSON.stringify(steps)]);
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', () => {
      clearTimeout(timer);
      const lines = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      if (err.trim()) lines.push({ stderr: err.trim() });
      resolve(lines);
    });
  });
}
