// The keeper's process: `node keeper/main.js SOCKET_DIR BUILD`, started detached by a server that found none. It
// listens on SOCKET_DIR/keeper.sock and lives until it holds nothing, or until that socket is gone.

import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { checkPrivateDir } from '../files/private-dir.js';
import { KEEPER_SOCKET } from '../protocol/keeper-wire.js';
import { Keeper } from './keeper.js';

const SOCKET_CHECK_MS = 5000;

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} keeper[${process.pid}]: ${line}\n`);
}

/** True when a keeper already answers on the socket. */
function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(socket);
    const timer = setTimeout(() => {
      s.destroy();
      resolve(false);
    }, 1000);
    s.once('connect', () => {
      clearTimeout(timer);
      s.destroy();
      resolve(true);
    });
    s.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

async function main(): Promise<void> {
  const [dir, build = 'unknown'] = process.argv.slice(2);
  if (!dir) {
    log('usage: keeper SOCKET_DIR [BUILD]');
    process.exit(2);
  }
  process.title = `umux-keeper ${dir}`; // ps names it and its directory
  try {
    if (!checkPrivateDir(dir)) throw new Error(`${dir} does not exist`);
  } catch (err) {
    log((err as Error).message);
    process.exit(1);
  }
  const socketPath = path.join(dir, KEEPER_SOCKET);
  if (await answers(socketPath)) {
    log('another keeper answers on its socket: leaving it be');
    process.exit(0);
  }
  fs.rmSync(socketPath, { force: true });
  const keeper = new Keeper(build, dir, log, () => {
    log('holds nothing and no server came: exiting');
    process.exit(0);
  });
  const listener = net.createServer((socket) => keeper.accept(socket));
  listener.on('error', (err) => {
    log(`cannot listen on ${socketPath}: ${err.message}`);
    process.exit(1);
  });
  listener.listen(socketPath, () => {
    const ino = fs.lstatSync(socketPath).ino;
    log(`holding consoles for ${dir} (build ${build})`);
    // A removed runtime directory leaves no way back to us: the fds would only make the guests wait.
    setInterval(() => {
      if (!Keeper.socketStillOurs(socketPath, ino)) {
        log(`${socketPath} is gone: exiting`);
        process.exit(0);
      }
    }, SOCKET_CHECK_MS);
  });
  process.on('SIGHUP', () => undefined);
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.on(sig, () => {
      log(`${sig}: exiting; the consoles it held are closed`);
      process.exit(0);
    });
  }
}

void main();
