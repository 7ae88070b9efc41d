// Runs a command-line tool (bin/umux, uml_mconsole) as a child process with a timeout and returns its exact
// stdout bytes, stderr text and exit code, for byte-for-byte comparisons.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const UMUX_BIN = fileURLToPath(new URL('../../bin/umux', import.meta.url));

export interface ToolResult {
  stdout: Buffer;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
}

export function runTool(
  file: string,
  args: readonly string[],
  opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(file, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(file)} ${args.join(' ')}: no exit within ${opts.timeoutMs ?? 10000} ms; stdout so far: ${Buffer.concat(out).toString()}`));
    }, opts.timeoutMs ?? 10000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString(), code, signal, ms: Date.now() - t0 });
    });
    // A tool that exits without reading its input (uml_mconsole single-shot) closes the pipe: that is fine.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** An environment with a private umux socket directory, so tests never share sockets. */
export function umuxEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-s-'));
  return { ...process.env, UMUX_SOCKET_DIR: dir, XDG_STATE_HOME: dir, ...extra };
}

export function umux(args: readonly string[], opts: Parameters<typeof runTool>[2] = {}): Promise<ToolResult> {
  return runTool(process.execPath, [UMUX_BIN, ...args], { env: umuxEnv(), ...opts });
}

export function umlMconsole(args: readonly string[], opts: Parameters<typeof runTool>[2] = {}): Promise<ToolResult> {
  return runTool('uml_mconsole', args, opts);
}

export function dgramQlen(): number {
  return Number(fs.readFileSync('/proc/sys/net/unix/max_dgram_qlen', 'utf8').trim());
}
